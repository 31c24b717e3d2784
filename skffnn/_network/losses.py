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

The robust regression losses (Huber, absolute error) are not canonical:
their delta^(L) is the residual a - y clipped (Huber) or its sign (absolute
error, a subgradient at 0). Each :class:`OutputLoss` carries its delta.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from scipy.special import expit, xlogy


def residual(a, y, out):
    """delta^(L) = a^(L) - y, the output error of every canonical pair."""
    return np.subtract(a, y, out=out)


class OutputLoss(NamedTuple):
    """An output activation (the link), its loss, and d loss / d z^(L)."""

    out_activation: str
    link: Callable[[np.ndarray, np.ndarray], None]
    sample_loss: Callable[[np.ndarray, np.ndarray], np.ndarray]
    delta: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray] = residual


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


def huber(huber_delta):
    """Identity output with the Huber loss of threshold ``huber_delta``.

    0.5 r^2 for |r| <= huber_delta, huber_delta (|r| - huber_delta / 2)
    beyond, with r = z - y: squared error near the target, absolute error
    (so bounded gradients) for outliers.
    """

    def sample_loss(z, y):
        r = np.abs(z - y)
        quadratic = np.minimum(r, huber_delta)
        return (0.5 * quadratic**2 + huber_delta * (r - quadratic)).sum(axis=1)

    def delta(a, y, out):
        np.subtract(a, y, out=out)
        return np.clip(out, -huber_delta, huber_delta, out=out)

    return OutputLoss("identity", identity, sample_loss, delta)


def absolute_error_loss(z, y):
    return np.abs(z - y).sum(axis=1)


def sign_of_residual(a, y, out):
    np.subtract(a, y, out=out)
    return np.sign(out, out=out)


OUTPUT_LOSSES = {
    "squared_error": OutputLoss("identity", identity, half_squared_error),
    "binary_log_loss": OutputLoss("logistic", sigmoid, binary_cross_entropy),
    "log_loss": OutputLoss("softmax", softmax, cross_entropy),
    "poisson": OutputLoss("exp", exp, half_poisson_deviance),
    "absolute_error": OutputLoss(
        "identity", identity, absolute_error_loss, sign_of_residual
    ),
}


def output_loss(name, huber_delta=1.0):
    """The :class:`OutputLoss` called ``name`` ('huber' takes its threshold)."""
    if name == "huber":
        return huber(huber_delta)
    return OUTPUT_LOSSES[name]
