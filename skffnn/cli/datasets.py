"""The built-in suite: where a straight line fails, and where it is enough.

XOR, two moons and concentric circles cannot be separated by a line, so
logistic regression stays near chance while one hidden layer solves them.
The data sets bundled with scikit-learn (digits, breast_cancer, wine,
diabetes) are nearly linear, and the table shows whether a network still
earns its cost there. Each data set carries the network settings that suit
its size: L-BFGS on the small ones, Adam on digits and diabetes.
"""

from dataclasses import dataclass, field

import numpy as np
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_wine,
    make_circles,
    make_moons,
)
from sklearn.preprocessing import StandardScaler

from .errors import CommandError


@dataclass
class Dataset:
    """A data set to compare models on, with how to prepare and split it.

    Attributes
    ----------
    name : str
        Name shown in the table.
    X : array-like of shape (n_samples, n_features)
        Features (a DataFrame for user data).
    y : ndarray of shape (n_samples,)
        Target.
    task : {'classification', 'regression'}
        What y is.
    cv : int
        Number of cross-validation folds.
    preprocessor : transformer
        Unfitted transformer put in front of every model.
    network : dict
        Constructor parameters shared by the FFNN and MLP models.
    """

    name: str
    X: object
    y: np.ndarray
    task: str
    cv: int = 5
    preprocessor: object = field(default_factory=StandardScaler)
    network: dict = field(default_factory=dict)


# Small data: full-batch L-BFGS converges in well under a second per fit.
_SMALL_NETWORK = {"hidden_layer_sizes": (16,), "solver": "lbfgs", "max_iter": 500}
# Few samples and many features: a strong L2 penalty keeps the network smooth.
_REGULARIZED_NETWORK = {**_SMALL_NETWORK, "alpha": 1.0}


def xor(n_samples: int = 400, noise: float = 0.35, random_state: int = 0):
    """Four Gaussian blobs at (±1, ±1), labelled 1 where the signs differ.

    Parameters
    ----------
    n_samples : int, default=400
        Number of points, spread evenly over the four blobs.
    noise : float, default=0.35
        Standard deviation of each blob.
    random_state : int, default=0
        Seed of the noise.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
        The points.
    y : ndarray of shape (n_samples,)
        0 in the quadrants (+, +) and (-, -), 1 in (+, -) and (-, +).
    """
    rng = np.random.RandomState(random_state)
    centers = np.array([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]])
    blob = np.arange(n_samples) % 4
    X = centers[blob] + noise * rng.standard_normal((n_samples, 2))
    return X, (blob >= 2).astype(int)


def _xor():
    return Dataset("xor", *xor(), "classification", network=_SMALL_NETWORK)


def _moons():
    X, y = make_moons(n_samples=400, noise=0.2, random_state=0)
    return Dataset("moons", X, y, "classification", network=_SMALL_NETWORK)


def _circles():
    X, y = make_circles(n_samples=400, noise=0.1, factor=0.5, random_state=0)
    return Dataset("circles", X, y, "classification", network=_SMALL_NETWORK)


def _digits():
    X, y = load_digits(return_X_y=True)
    network = {"hidden_layer_sizes": (64,), "solver": "adam", "max_iter": 200}
    return Dataset("digits", X, y, "classification", cv=3, network=network)


def _breast_cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return Dataset(
        "breast_cancer", X, y, "classification", network=_REGULARIZED_NETWORK
    )


def _wine():
    X, y = load_wine(return_X_y=True)
    return Dataset("wine", X, y, "classification", network=_REGULARIZED_NETWORK)


def _diabetes():
    X, y = load_diabetes(return_X_y=True)
    # 442 noisy samples: stopping on a held-out score beats a tuned penalty
    # and takes a fraction of L-BFGS's time.
    network = {
        "hidden_layer_sizes": (32,),
        "solver": "adam",
        "learning_rate_init": 0.01,
        "early_stopping": True,
        "max_iter": 500,
    }
    return Dataset("diabetes", X, y, "regression", network=network)


BUILTIN = {
    "xor": _xor,
    "moons": _moons,
    "circles": _circles,
    "digits": _digits,
    "breast_cancer": _breast_cancer,
    "wine": _wine,
    "diabetes": _diabetes,
}


def builtin_datasets(names=None) -> list[Dataset]:
    """Load the built-in data sets, all of them or those named.

    Parameters
    ----------
    names : list of str, default=None
        Keys of ``BUILTIN``; None loads the whole suite in its usual order.

    Returns
    -------
    datasets : list of Dataset
        The data sets, in the order asked for, once each.
    """
    names = list(BUILTIN) if names is None else list(dict.fromkeys(names))
    unknown = [name for name in names if name not in BUILTIN]
    if unknown:
        raise CommandError(
            f"unknown data set(s) {', '.join(unknown)}; "
            f"choose from {', '.join(BUILTIN)}"
        )
    return [BUILTIN[name]() for name in names]
