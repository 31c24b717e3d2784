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


ACTIVATIONS = {
    "identity": Activation(identity, identity_prime, needs_z=False),
    "logistic": Activation(logistic, logistic_prime, needs_z=False),
    "tanh": Activation(tanh, tanh_prime, needs_z=False),
    "relu": Activation(relu, relu_prime, needs_z=False),
}
