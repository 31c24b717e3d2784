"""Initial weights."""

import numpy as np


def glorot_uniform(params, random_state, activation):
    """Fill params with Glorot & Bengio (2010) uniform weights, in place.

    W^(l) and b^(l) are drawn from U(-r, r) with r = sqrt(f / (n_{l-1} + n_l)),
    f = 2 for the logistic activation and 6 otherwise. The draws are made in
    float64 from ``random_state`` (a ``numpy.random.RandomState``) in the same
    order as scikit-learn's MLP (per layer: the weight matrix, then the bias),
    so that the same ``random_state`` starts both models from the same point.

    Parameters
    ----------
    params : Parameters
        Filled in place.
    random_state : numpy.random.RandomState
        Source of the draws.
    activation : str
        Name of the hidden activation.
    """
    factor = 2.0 if activation == "logistic" else 6.0
    for l in range(1, params.L + 1):
        fan_in, fan_out = params.W[l].shape
        r = np.sqrt(factor / (fan_in + fan_out))
        params.W[l][...] = random_state.uniform(-r, r, (fan_in, fan_out))
        params.b[l][...] = random_state.uniform(-r, r, fan_out)
