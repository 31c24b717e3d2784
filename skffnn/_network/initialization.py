"""Initial weights.

Every scheme draws W^(l) from a distribution whose spread depends on the
fan-in n_{l-1} and fan-out n_l, so that activations (forward) and deltas
(backward) keep a similar variance from layer to layer:

============== =============================================== ==========
scheme          W^(l)                                            b^(l)
============== =============================================== ==========
glorot_uniform  U(-r, r), r = sqrt(6 / (fan_in + fan_out))       zeros
glorot_normal   N(0, 2 / (fan_in + fan_out))                     zeros
he_uniform      U(-r, r), r = sqrt(6 / fan_in)                   zeros
he_normal       N(0, 2 / fan_in)                                 zeros
lecun_normal    N(0, 1 / fan_in)                                 zeros
============== =============================================== ==========

'auto' is scikit-learn MLP's own rule (see :func:`mlp_uniform`). Draws are
made in float64 from a ``numpy.random.RandomState``, layer by layer.
"""

import numpy as np


def mlp_uniform(params, random_state, activations):
    """Fill params with scikit-learn MLP's initial weights, in place.

    W^(l) and b^(l) are drawn from U(-r, r) with r = sqrt(f / (n_{l-1} + n_l)),
    f = 2 when the layer's activation is logistic and 6 otherwise, in the
    same order as scikit-learn (per layer: the weight matrix, then the bias),
    so that the same ``random_state`` starts both models from the same point.

    Parameters
    ----------
    params : Parameters
        Filled in place.
    random_state : numpy.random.RandomState
        Source of the draws.
    activations : sequence of str
        Name of the activation that follows each weight layer l = 1 ... L
        (for the output layer, the hidden activation, as in MLP).
    """
    for l in range(1, params.L + 1):
        fan_in, fan_out = params.W[l].shape
        factor = 2.0 if activations[l - 1] == "logistic" else 6.0
        r = np.sqrt(factor / (fan_in + fan_out))
        params.W[l][...] = random_state.uniform(-r, r, (fan_in, fan_out))
        params.b[l][...] = random_state.uniform(-r, r, fan_out)


def _uniform(r):
    return lambda rng, shape: rng.uniform(-r, r, shape)


def _normal(std):
    return lambda rng, shape: rng.normal(0.0, std, shape)


SCHEMES = {
    "glorot_uniform": lambda n_in, n_out: _uniform(np.sqrt(6.0 / (n_in + n_out))),
    "glorot_normal": lambda n_in, n_out: _normal(np.sqrt(2.0 / (n_in + n_out))),
    "he_uniform": lambda n_in, n_out: _uniform(np.sqrt(6.0 / n_in)),
    "he_normal": lambda n_in, n_out: _normal(np.sqrt(2.0 / n_in)),
    "lecun_normal": lambda n_in, n_out: _normal(np.sqrt(1.0 / n_in)),
}


def initialize(params, random_state, scheme, activations):
    """Fill params in place with the named scheme ('auto' is MLP's rule).

    Parameters
    ----------
    params : Parameters
    random_state : numpy.random.RandomState
    scheme : str
        'auto' or a key of :data:`SCHEMES`.
    activations : sequence of str
        Activation after each weight layer (used by 'auto').
    """
    if scheme == "auto":
        mlp_uniform(params, random_state, activations)
        return
    for l in range(1, params.L + 1):
        fan_in, fan_out = params.W[l].shape
        draw = SCHEMES[scheme](fan_in, fan_out)
        params.W[l][...] = draw(random_state, (fan_in, fan_out))
        params.b[l][...] = 0.0
