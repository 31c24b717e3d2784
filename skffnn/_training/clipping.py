"""Gradient clipping by global norm."""

import math

import numpy as np


def clip_by_global_norm(grad, max_norm):
    """Scale ``grad`` in place so that its Euclidean norm is at most max_norm.

    The whole vector is scaled by one factor, so the direction of the step
    is kept; only its length is bounded (Pascanu et al., 2013).

    Parameters
    ----------
    grad : ndarray of shape (n_params,)
        The flat gradient, modified in place.
    max_norm : float
        Largest norm allowed.

    Returns
    -------
    norm : float
        The norm before clipping.
    """
    norm = math.sqrt(float(np.dot(grad, grad)))
    if norm > max_norm:
        grad *= max_norm / norm
    return norm
