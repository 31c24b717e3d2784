"""Logistic regression's linear limit, in one picture.

Logistic regression predicts ``sigmoid(x w + b)``: its decision boundary,
where ``x w + b = 0``, is a straight line. On XOR, where opposite quadrants
share a class, and on concentric circles, no straight line separates the
classes, and the model does no better than a coin. A hidden layer composes
a few such lines (one per neuron) into a bent boundary, and the network
separates both.

The script fits both models on a training split, prints their test
accuracy and saves ``logistic_limit.png``: one row per data set, the
decision boundaries side by side. Run::

    python examples/plot_logistic_limit.py
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_circles
from sklearn.inspection import DecisionBoundaryDisplay
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skffnn import FFNNClassifier


def xor(n_samples=400, noise=0.35, random_state=0):
    """Four blobs at (±1, ±1), class 1 where the two coordinates differ in sign."""
    rng = np.random.RandomState(random_state)
    centers = np.array([[1, 1], [-1, -1], [1, -1], [-1, 1]])
    blob = np.arange(n_samples) % 4
    X = centers[blob] + noise * rng.standard_normal((n_samples, 2))
    return X, (blob >= 2).astype(int)


def models():
    """The two contenders, each behind a StandardScaler."""
    return {
        "LogisticRegression": make_pipeline(StandardScaler(), LogisticRegression()),
        "FFNNClassifier(16,)": make_pipeline(
            StandardScaler(),
            FFNNClassifier(hidden_layer_sizes=(16,), solver="lbfgs", random_state=0),
        ),
    }


def plot_boundary(ax, model, X, y, title):
    """Shade the predicted class over the plane, then draw the points."""
    DecisionBoundaryDisplay.from_estimator(
        model, X, ax=ax, response_method="predict", cmap="coolwarm", alpha=0.3
    )
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", s=12, edgecolor="k", lw=0.3)
    ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])


def main():
    datasets = {
        "XOR": xor(n_samples=400, random_state=0),
        "circles": make_circles(n_samples=400, noise=0.1, factor=0.5, random_state=0),
    }
    fig, axes = plt.subplots(2, 2, figsize=(8, 8), layout="constrained")
    for row, (data_name, (X, y)) in zip(axes, datasets.items()):
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.3, stratify=y, random_state=0
        )
        for ax, (model_name, model) in zip(row, models().items()):
            accuracy = model.fit(X_train, y_train).score(X_test, y_test)
            print(f"{data_name:<8} {model_name:<20} test accuracy {accuracy:.3f}")
            plot_boundary(
                ax,
                model,
                X,
                y,
                f"{data_name}: {model_name}\ntest accuracy {accuracy:.2f}",
            )
    fig.suptitle("A straight line cannot separate these classes; a hidden layer can")
    fig.savefig("logistic_limit.png", dpi=100)
    print("saved logistic_limit.png")


if __name__ == "__main__":
    main()
