"""How the optimizer shapes training: loss and validation score per epoch.

A network trained by a stochastic solver records its training loss after
every epoch (``loss_curve_``) and, with ``early_stopping=True``, its
accuracy on a held-out 10 % of the training data (``validation_scores_``).
Training stops once that score has not improved for ``n_iter_no_change``
epochs, and the weights of the best epoch are kept.

Four settings on the digits show the usual picture: plain SGD with a small
step crawls (82 epochs to 0.911 here), momentum gets further in fewer (35
to 0.950), Adam at its default step does as well (40 to 0.950), and a
larger Adam step gets there fastest (18 to 0.967), with a noisier score
along the way. ``LossCurveDisplay`` draws the
loss with the validation score on a second axis. The script prints each
run's epochs and best validation accuracy and saves ``loss_curves.png``.
Run::

    python examples/plot_loss_curves.py
"""

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.preprocessing import StandardScaler

from skffnn import FFNNClassifier
from skffnn.plot import LossCurveDisplay

SETTINGS = {
    "sgd, step 0.01, no momentum": {
        "solver": "sgd",
        "learning_rate_init": 0.01,
        "momentum": 0.0,
    },
    "sgd, step 0.01, momentum 0.9": {
        "solver": "sgd",
        "learning_rate_init": 0.01,
        "momentum": 0.9,
    },
    "adam, step 0.001": {"solver": "adam", "learning_rate_init": 0.001},
    "adam, step 0.01": {"solver": "adam", "learning_rate_init": 0.01},
}


def main():
    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    fig, axes = plt.subplots(2, 2, figsize=(10, 7), layout="constrained")
    print(f"{'setting':<30}{'epochs':>7}{'best validation accuracy':>26}")
    for ax, (name, setting) in zip(axes.ravel(), SETTINGS.items()):
        clf = FFNNClassifier(
            hidden_layer_sizes=(64,),
            early_stopping=True,
            max_iter=100,
            random_state=0,
            **setting,
        )
        clf.fit(X, y)
        print(f"{name:<30}{clf.n_iter_:>7}{clf.best_validation_score_:>26.3f}")
        LossCurveDisplay.from_estimator(clf, ax=ax, name=name)
    fig.savefig("loss_curves.png", dpi=100)
    print("saved loss_curves.png")


if __name__ == "__main__":
    main()
