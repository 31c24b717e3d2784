"""skffnn: feed-forward neural networks for scikit-learn.

``FFNNClassifier`` and ``FFNNRegressor`` are drop-in replacements for
scikit-learn's ``MLPClassifier`` and ``MLPRegressor`` whose training is
backpropagation written in NumPy.
"""

from ._classifier import FFNNClassifier
from ._persistence import InconsistentVersionWarning
from ._regressor import FFNNRegressor
from .gradient_check import check_gradients

__version__ = "0.1.0"

__all__ = [
    "FFNNClassifier",
    "FFNNRegressor",
    "InconsistentVersionWarning",
    "__version__",
    "check_gradients",
]
