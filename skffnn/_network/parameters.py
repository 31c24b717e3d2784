"""One flat parameter vector theta with per-layer views W[l], b[l].

Layout: all weight matrices first (W[1], ..., W[L], each C-ordered), then
all bias vectors (b[1], ..., b[L]). Keeping the weights contiguous makes the
L2 penalty a single slice ``theta[:n_weights]``; keeping everything in one
vector lets L-BFGS and the optimizers work on theta with no packing.

Layers are numbered as in the lecture: l = 0 is the input, l = L the
output; W[0] and b[0] are ``None`` so that ``W[l]`` is W^(l).
"""

import numpy as np


class Parameters:
    """Flat storage for the weights and biases of a feed-forward network.

    Parameters
    ----------
    layer_sizes : sequence of int
        n_0 (input features), n_1, ..., n_L (outputs).
    dtype : numpy dtype
        Storage precision.
    theta : ndarray of shape (n_params,), default=None
        Existing storage to view; a new zero vector when None.

    Attributes
    ----------
    theta : ndarray of shape (n_params,)
        All parameters.
    W : list of ndarray
        ``W[l]`` has shape (n_{l-1}, n_l) and is a view into theta.
    b : list of ndarray
        ``b[l]`` has shape (n_l,) and is a view into theta.
    n_weights : int
        Number of entries of theta that belong to weight matrices.
    """

    def __init__(self, layer_sizes, dtype, theta=None):
        self.layer_sizes = tuple(int(n) for n in layer_sizes)
        shapes = list(zip(self.layer_sizes[:-1], self.layer_sizes[1:]))
        self.n_weights = sum(n_in * n_out for n_in, n_out in shapes)
        n_params = self.n_weights + sum(self.layer_sizes[1:])
        if theta is None:
            theta = np.zeros(n_params, dtype=dtype)
        if theta.shape != (n_params,):
            raise ValueError(
                f"theta has shape {theta.shape}, expected ({n_params},) "
                f"for layer sizes {self.layer_sizes}."
            )
        self.theta = theta
        self.W, self.b = [None], [None]
        start = 0
        for n_in, n_out in shapes:
            self.W.append(theta[start : start + n_in * n_out].reshape(n_in, n_out))
            start += n_in * n_out
        for _, n_out in shapes:
            self.b.append(theta[start : start + n_out])
            start += n_out

    @property
    def L(self):
        """Index of the output layer (number of weight layers)."""
        return len(self.layer_sizes) - 1

    @property
    def dtype(self):
        return self.theta.dtype

    @property
    def weights(self):
        """The weight part of theta, ``theta[:n_weights]`` (a view)."""
        return self.theta[: self.n_weights]

    def like(self, dtype=None):
        """Zero parameters of the same shapes (default: the same dtype)."""
        return Parameters(self.layer_sizes, dtype or self.theta.dtype)

    @classmethod
    def from_layers(cls, coefs, intercepts, dtype):
        """Copy per-layer arrays (sklearn's ``coefs_``, ``intercepts_``) in."""
        sizes = [coefs[0].shape[0]] + [W.shape[1] for W in coefs]
        params = cls(sizes, dtype)
        for l, (W, b) in enumerate(zip(coefs, intercepts), start=1):
            params.W[l][...] = W
            params.b[l][...] = b
        return params


class Layers:
    """Per-layer weights held as separate arrays, without a flat vector.

    What a forward pass needs from already-fitted weights (sklearn's
    ``coefs_`` and ``intercepts_``), viewed without copying them.

    Parameters
    ----------
    coefs : list of ndarray
        W^(1), ..., W^(L), all of one dtype.
    intercepts : list of ndarray
        b^(1), ..., b^(L).
    """

    def __init__(self, coefs, intercepts):
        self.W = [None, *coefs]
        self.b = [None, *intercepts]
        self.layer_sizes = (coefs[0].shape[0], *(W.shape[1] for W in coefs))
        self.dtype = coefs[0].dtype

    @property
    def L(self):
        """Index of the output layer."""
        return len(self.W) - 1
