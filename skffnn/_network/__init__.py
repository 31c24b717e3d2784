"""The feed-forward network: NumPy/SciPy only, no scikit-learn."""

from .activations import ACTIVATIONS, Activation
from .initialization import glorot_uniform
from .losses import OUTPUT_LOSSES, OutputLoss
from .parameters import Layers, Parameters
from .propagation import (
    Buffers,
    Network,
    backward,
    forward,
    loss_and_gradient,
    predict,
)

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "Buffers",
    "Layers",
    "Network",
    "OUTPUT_LOSSES",
    "OutputLoss",
    "Parameters",
    "backward",
    "forward",
    "glorot_uniform",
    "loss_and_gradient",
    "predict",
]
