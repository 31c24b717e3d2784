"""The feed-forward network: NumPy/SciPy only, no scikit-learn."""

from .activations import ACTIVATIONS, Activation
from .initialization import SCHEMES, initialize
from .losses import OUTPUT_LOSSES, OutputLoss, output_loss
from .parameters import Layers, Parameters
from .propagation import (
    Buffers,
    Network,
    add_penalty,
    backward,
    draw_dropout_masks,
    evaluate,
    forward,
    loss_and_gradient,
    penalized,
    penalty,
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
    "SCHEMES",
    "add_penalty",
    "backward",
    "draw_dropout_masks",
    "evaluate",
    "forward",
    "initialize",
    "loss_and_gradient",
    "output_loss",
    "penalized",
    "penalty",
    "predict",
]
