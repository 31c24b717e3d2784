"""Regression: where a network earns its keep, and where a line is enough.

Ridge regression fits ``y = x w + b``. On the diabetes data set that is
about as good as it gets: the signal is nearly linear and the 442 patients
are too few to find more, so the network only matches Ridge. On a target
that bends, ``y = sin(2x) + x^2 / 4 + noise``, no choice of w and b follows
the curve, while a hidden layer of tanh units does.

Both models sit in a Pipeline with a StandardScaler and are scored by 5-fold
cross-validated r2. The script prints the scores and saves
``regression.png``: the two fits of the bending target. Run::

    python examples/regression.py
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.compose import TransformedTargetRegressor
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skffnn import FFNNRegressor


def bending_target(n_samples=300, random_state=0):
    """One feature x in [-3, 3] and y = sin(2x) + x^2 / 4 + noise."""
    rng = np.random.RandomState(random_state)
    x = rng.uniform(-3, 3, size=(n_samples, 1))
    y = np.sin(2 * x[:, 0]) + x[:, 0] ** 2 / 4 + 0.1 * rng.standard_normal(n_samples)
    return x, y


def models(network):
    """Ridge and a network, each behind a StandardScaler.

    The network also standardizes the target: its initial weights assume
    outputs of about unit scale, and diabetes' targets run into the hundreds.
    """
    return {
        "Ridge": make_pipeline(StandardScaler(), Ridge()),
        "FFNNRegressor": TransformedTargetRegressor(
            make_pipeline(StandardScaler(), FFNNRegressor(**network, random_state=0)),
            transformer=StandardScaler(),
        ),
    }


def datasets():
    """Each data set with the network settings that suit it."""
    return {
        "diabetes": (
            load_diabetes(return_X_y=True),
            # Few noisy samples: stop on a held-out score before the fit gets wiggly.
            {
                "hidden_layer_sizes": (32,),
                "learning_rate_init": 0.01,
                "early_stopping": True,
                "max_iter": 500,
            },
        ),
        "sin(2x) + x^2/4": (
            bending_target(),
            {
                "hidden_layer_sizes": (16,),
                "activation": "tanh",
                "solver": "lbfgs",
                "max_iter": 1000,
            },
        ),
    }


def plot_fits(X, y, fitted, path):
    """Draw the data and each model's prediction curve."""
    grid = np.linspace(X.min(), X.max(), 300).reshape(-1, 1)
    fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
    ax.scatter(X[:, 0], y, s=8, color="0.6", label="data")
    for name, model in fitted.items():
        ax.plot(grid[:, 0], model.predict(grid), lw=2.5, label=name)
    ax.set(xlabel="x", ylabel="y", title="A straight line against a hidden layer")
    ax.legend()
    fig.savefig(path, dpi=100)


def main():
    cv = KFold(n_splits=5, shuffle=True, random_state=0)
    print(f"{'data':<16}{'model':<15}{'r2 (5-fold CV)':>18}")
    data = datasets()
    for data_name, ((X, y), network) in data.items():
        for model_name, model in models(network).items():
            scores = cross_val_score(model, X, y, cv=cv, scoring="r2")
            print(
                f"{data_name:<16}{model_name:<15}"
                f"{scores.mean():>10.3f} ± {scores.std():.3f}"
            )
    (X, y), network = data["sin(2x) + x^2/4"]
    fitted = {name: model.fit(X, y) for name, model in models(network).items()}
    plot_fits(X, y, fitted, "regression.png")
    print("saved regression.png")


if __name__ == "__main__":
    main()
