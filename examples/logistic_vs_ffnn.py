"""A neural network against logistic regression where a line cannot separate.

Logistic regression draws one straight decision boundary, so on XOR and on
concentric circles it does no better than a coin. One hidden layer lets the
network bend the boundary. Run:

    python examples/logistic_vs_ffnn.py
"""

import numpy as np
from sklearn.datasets import make_circles
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skffnn import FFNNClassifier


def xor(n=600, seed=0):
    """Points labelled by whether their two coordinates share a sign."""
    rng = np.random.RandomState(seed)
    X = rng.uniform(0.1, 1.0, size=(n, 2)) * rng.choice([-1, 1], size=(n, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(int)


def main():
    datasets = {
        "xor": xor(),
        "circles": make_circles(n_samples=600, noise=0.05, factor=0.5, random_state=0),
    }
    models = {
        "LogisticRegression": LogisticRegression(),
        "FFNNClassifier(16,)": FFNNClassifier(
            hidden_layer_sizes=(16,), solver="lbfgs", random_state=0
        ),
    }
    print(f"{'data':<10}{'model':<22}{'accuracy (5-fold CV)':>22}")
    for data_name, (X, y) in datasets.items():
        for model_name, model in models.items():
            scores = cross_val_score(make_pipeline(StandardScaler(), model), X, y)
            print(
                f"{data_name:<10}{model_name:<22}"
                f"{scores.mean():>14.3f} ± {scores.std():.3f}"
            )


if __name__ == "__main__":
    main()
