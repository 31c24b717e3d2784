"""Output layers: an output activation paired with its loss.

Each pair is *canonical*: the loss is the negative log-likelihood of the
distribution whose mean is the output activation, so its derivative with
respect to the output pre-activation z^(L) is simply

    delta^(L) = a^(L) - y.

softmax + cross-entropy, sigmoid + binary cross-entropy, identity + squared
error and exp + Poisson deviance all have this property, which is why the
backward pass never divides by a probability.

The per-sample losses are computed from z^(L), not from a^(L): log-sum-exp
and log(1 + e^z) stay exact where a probability would round to 0 or 1.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from scipy.special import expit, xlogy


class OutputLoss(NamedTuple):
    """An output activation (the link) and the loss it is paired with."""

    out_activation: str
    link: Callable[[np.ndarray, np.ndarray], None]
    sample_loss: Callable[[np.ndarray, np.ndarray], np.ndarray]


def identity(z, out):
    np.copyto(out, z)


def half_squared_error(z, y):
    r = z - y
    return 0.5 * np.einsum("ij,ij->i", r, r)


def sigmoid(z, out):
    expit(z, out=out)


def binary_cross_entropy(z, y):
    # -[y log s(z) + (1 - y) log(1 - s(z))] = log(1 + e^z) - y z
    return (np.logaddexp(0, z) - y * z).sum(axis=1)


def softmax(z, out):
    np.subtract(z, z.max(axis=1, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=1, keepdims=True)


def log_sum_exp(z):
    """log(sum_k e^{z_k}) per row, shifted by the row maximum to stay finite."""
    z_max = z.max(axis=1)
    return np.log(np.exp(z - z_max[:, None]).sum(axis=1)) + z_max


def cross_entropy(z, y):
    # -sum_k y_k log softmax(z)_k = logsumexp(z) - y . z   (rows of y sum to 1)
    return log_sum_exp(z) - np.einsum("ij,ij->i", y, z)


def exp(z, out):
    np.exp(z, out=out)


def half_poisson_deviance(z, y):
    # y log(y / mu) - y + mu with mu = e^z; the y log y - y part is constant.
    return (np.exp(z) - y * z + xlogy(y, y) - y).sum(axis=1)


OUTPUT_LOSSES = {
    "squared_error": OutputLoss("identity", identity, half_squared_error),
    "binary_log_loss": OutputLoss("logistic", sigmoid, binary_cross_entropy),
    "log_loss": OutputLoss("softmax", softmax, cross_entropy),
    "poisson": OutputLoss("exp", exp, half_poisson_deviance),
}
