"""Hidden-layer activations: g and g' side by side.

Each activation is a pair of in-place functions:

- ``g(z, out)`` writes a = g(z) into ``out`` (``out`` may be ``z`` itself);
- ``g_prime(z, a, delta)`` multiplies ``delta`` by g'(z) in place.

``g_prime`` receives both z and a because some derivatives are cheapest in
terms of the output (logistic: a (1 - a)), others need the input. When an
activation's derivative reads only ``a``, the forward pass may overwrite z
with a (``needs_z=False``) and save one buffer per layer.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from scipy.special import expit


class Activation(NamedTuple):
    """An activation function g with its derivative g'."""

    g: Callable[[np.ndarray, np.ndarray], None]
    g_prime: Callable[[np.ndarray, np.ndarray, np.ndarray], None]
    needs_z: bool


def identity(z, out):
    if out is not z:
        np.copyto(out, z)


def identity_prime(z, a, delta):
    pass  # g'(z) = 1


def logistic(z, out):
    expit(z, out=out)


def logistic_prime(z, a, delta):
    # g'(z) = a (1 - a)
    delta *= a
    delta -= delta * a


def tanh(z, out):
    np.tanh(z, out=out)


def tanh_prime(z, a, delta):
    # g'(z) = 1 - a^2
    delta -= delta * a * a


def relu(z, out):
    np.maximum(z, 0, out=out)


def relu_prime(z, a, delta):
    # g'(z) = 1 where z > 0, else 0; a > 0 exactly where z > 0.
    delta *= a > 0


LEAKY_SLOPE = 0.01


def leaky_relu(z, out):
    # max(z, 0.01 z): z where z > 0, 0.01 z elsewhere.
    np.maximum(z, LEAKY_SLOPE * z, out=out)


def leaky_relu_prime(z, a, delta):
    # g'(z) = 1 where z > 0, else 0.01; a has the sign of z.
    delta *= np.where(a > 0, 1.0, LEAKY_SLOPE).astype(delta.dtype, copy=False)


def elu(z, out):
    # z where z > 0, e^z - 1 elsewhere (alpha = 1).
    np.copyto(out, np.where(z > 0, z, np.expm1(np.minimum(z, 0))))


def elu_prime(z, a, delta):
    # g'(z) = 1 where z > 0, else e^z = a + 1; a > 0 exactly where z > 0.
    delta *= np.where(a > 0, 1.0, a + 1.0).astype(delta.dtype, copy=False)


# SELU constants (Klambauer et al., 2017): with lecun_normal weights they
# keep activations at zero mean and unit variance through deep networks.
SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805


def selu(z, out):
    negative = SELU_ALPHA * np.expm1(np.minimum(z, 0))
    np.copyto(out, SELU_SCALE * np.where(z > 0, z, negative))


def selu_prime(z, a, delta):
    # g'(z) = scale where z > 0, else scale alpha e^z = a + scale alpha.
    slope = np.where(a > 0, SELU_SCALE, a + SELU_SCALE * SELU_ALPHA)
    delta *= slope.astype(delta.dtype, copy=False)


GELU_C = float(np.sqrt(2.0 / np.pi))


def gelu(z, out):
    # tanh approximation (Hendrycks & Gimpel, 2016):
    # 0.5 z (1 + tanh(c (z + 0.044715 z^3))), c = sqrt(2 / pi).
    t = np.tanh(GELU_C * (z + 0.044715 * z**3))
    np.multiply(0.5 * z, 1 + t, out=out)


def gelu_prime(z, a, delta):
    # d/dz of the tanh approximation: 0.5 (1 + t) + 0.5 z (1 - t^2) u'(z)
    # with u = c (z + 0.044715 z^3), t = tanh(u).
    t = np.tanh(GELU_C * (z + 0.044715 * z**3))
    du = GELU_C * (1 + 3 * 0.044715 * z**2)
    delta *= 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * du


def softplus(z, out):
    # log(1 + e^z), computed without overflow.
    np.logaddexp(0, z, out=out)


def softplus_prime(z, a, delta):
    # g'(z) = sigmoid(z) = 1 - e^{-a}.
    delta *= -np.expm1(-a)


def silu(z, out):
    # z sigmoid(z), also called swish.
    np.multiply(z, expit(z), out=out)


def silu_prime(z, a, delta):
    # g'(z) = s (1 + z (1 - s)) with s = sigmoid(z).
    s = expit(z)
    delta *= s * (1 + z * (1 - s))


ACTIVATIONS = {
    "identity": Activation(identity, identity_prime, needs_z=False),
    "logistic": Activation(logistic, logistic_prime, needs_z=False),
    "tanh": Activation(tanh, tanh_prime, needs_z=False),
    "relu": Activation(relu, relu_prime, needs_z=False),
    "leaky_relu": Activation(leaky_relu, leaky_relu_prime, needs_z=False),
    "elu": Activation(elu, elu_prime, needs_z=False),
    "selu": Activation(selu, selu_prime, needs_z=False),
    "gelu": Activation(gelu, gelu_prime, needs_z=True),
    "softplus": Activation(softplus, softplus_prime, needs_z=False),
    "silu": Activation(silu, silu_prime, needs_z=True),
}
