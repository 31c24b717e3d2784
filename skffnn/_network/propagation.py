"""Forward and backward propagation: the lecture's equations on a batch.

For a batch of m samples (rows), layers l = 1 ... L:

    forward    z^(l) = a^(l-1) W^(l) + b^(l),    a^(l) = g(z^(l)),    a^(0) = X
    output     a^(L) = link(z^(L)),              delta^(L) = a^(L) - y  (canonical)
    backward   delta^(l-1) = (delta^(l) W^(l)^T) * g'(z^(l-1))
    gradient   dW^(l) = a^(l-1)^T delta^(l),     db^(l) = 1^T delta^(l)  (sum over rows)

The objective of a batch is its weighted mean loss plus the L2 penalty
alpha/2 ||W||^2 divided by the same total weight sum(s) (m without
weights), as in scikit-learn's MLP; delta^(L) carries the factor s / sum(s).

Every array the training passes write lives in a :class:`Buffers` allocated
once per fit, so the hot loop creates no new arrays of batch size.
Prediction (:func:`infer`) needs no backward pass and allocates afresh.
"""

from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from .losses import OutputLoss


class Network(NamedTuple):
    """What a forward pass needs besides the parameters.

    ``g[l]`` is the activation of hidden layer l = 1 ... L-1 (``g[0]`` is
    unused); the output layer's activation is the link of ``output``.
    """

    g: tuple
    output: OutputLoss

    @classmethod
    def build(cls, activations, output):
        """A network from one :class:`Activation` per hidden layer."""
        return cls((None, *activations), output)


class Buffers:
    """Per-layer arrays z[l], a[l], delta[l] for training batches of up to m rows.

    Index 0 is unused (a^(0) is the input batch itself). a[l] is z[l]
    itself where g' needs only a (g overwrites z); z^(L) is kept beside
    a^(L) for the loss. ``penalty_grad`` is the penalty's scratch and
    ``ones`` serves the bias gradient. Prediction needs none of these:
    see :func:`infer`.

    Parameters
    ----------
    network : Network
    layer_sizes : sequence of int
        n_0, ..., n_L.
    m : int
        Largest batch the buffers hold.
    dtype : numpy dtype
    dropout : sequence of float, default=None
        Dropout rate of each layer l (index 0 and L unused). A layer with a
        positive rate gets ``mask[l]`` (the next layer reads a^(l) * mask)
        and ``dropped[l]``, which holds that product while a[l] keeps g(z)
        for g'.
    """

    def __init__(self, network, layer_sizes, m, dtype, dropout=None):
        L = len(layer_sizes) - 1
        self.m = m
        self.mask, self.dropped = [None] * (L + 1), [None] * (L + 1)
        for l, rate in enumerate(dropout or ()):
            if 0 < l < L and rate > 0:
                self.mask[l] = np.empty((m, layer_sizes[l]), dtype=dtype)
                self.dropped[l] = np.empty((m, layer_sizes[l]), dtype=dtype)
        n_weights = sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
        self.penalty_grad = np.empty(n_weights, dtype=dtype)
        # db = 1^T delta: a BLAS matrix-vector product, 2-3x faster than
        # NumPy's sum over rows on batch-sized deltas.
        self.ones = np.ones(m, dtype=dtype)
        self.z, self.a, self.delta = [None], [None], [None]
        for l in range(1, L + 1):
            shape = (m, layer_sizes[l])
            # Column-major output layer: softmax's max and sum and the loss
            # reduce over a row's n_L outputs, which NumPy does 3-7x faster
            # as a few passes over contiguous columns than row by row
            # (batch 256, n_L = 10: ~130 -> ~60 us per batch).
            order = "F" if l == L else "C"
            z = np.empty(shape, dtype=dtype, order=order)
            keep_z = l == L or network.g[l].needs_z
            self.z.append(z)
            self.a.append(np.empty(shape, dtype=dtype, order=order) if keep_z else z)
            self.delta.append(np.empty(shape, dtype=dtype, order=order))


def _matmul(A, B, out=None):
    """A @ B, written into out when given (A may be a scipy.sparse matrix)."""
    if not sp.issparse(A):
        return np.matmul(A, B, out=out)
    if out is None:
        return np.asarray(A @ B)
    out[...] = A @ B
    return out


def forward(params, network, X, buffers):
    """Propagate a training batch X forward; return a^(L), a view into ``buffers``.

    Parameters
    ----------
    params : Parameters
    network : Network
    X : {ndarray, sparse matrix} of shape (m, n_0)
        Must have the dtype of the buffers.
    buffers : Buffers
        Holds z^(l) and a^(l) on return.

    Returns
    -------
    a : ndarray of shape (m, n_L)
    """
    m, L = X.shape[0], params.L
    a = X
    for l in range(1, L + 1):
        z = buffers.z[l][:m]
        _matmul(a, params.W[l], out=z)
        z += params.b[l]
        a = buffers.a[l][:m]
        if l < L:
            network.g[l].g(z, out=a)
            if buffers.mask[l] is not None:
                # Inverted dropout: the mask holds 0 or 1 / (1 - rate).
                a = np.multiply(a, buffers.mask[l][:m], out=buffers.dropped[l][:m])
        else:
            network.output.link(z, out=a)
    return a


def _layer_input(buffers, l, m):
    """What layer l + 1 received: a^(l), times its dropout mask if any."""
    if buffers.mask[l] is not None:
        return buffers.dropped[l][:m]
    return buffers.a[l][:m]


def draw_dropout_masks(buffers, dropout, rng, m):
    """New inverted-dropout masks for a batch of m rows, in place.

    Each unit is kept with probability 1 - rate and then scaled by
    1 / (1 - rate), so the expected input of the next layer is unchanged
    and prediction needs no rescaling.
    """
    for l, mask in enumerate(buffers.mask):
        if mask is not None:
            keep = 1.0 - dropout[l]
            rng.random(out=mask[:m], dtype=mask.dtype)
            np.less(mask[:m], keep, out=mask[:m], casting="unsafe")
            mask[:m] *= 1.0 / keep


def backward(params, grad, network, X, Y, sample_weight, alpha, buffers):
    """Backpropagate after :func:`forward`; fill ``grad``, return the loss.

    The objective is the weighted mean loss of the batch plus the penalty,
    ``(sum_i s_i loss_i + alpha/2 ||W||^2) / sum_i s_i``. Scaling
    delta^(L) by s_i / sum(s) makes every delta^(l) the derivative of that
    mean, so the gradients come out already divided.

    Parameters
    ----------
    params : Parameters
    grad : Parameters
        Receives d objective / d theta (same layout as params).
    network : Network
    X : {ndarray, sparse matrix} of shape (m, n_0)
        The batch given to :func:`forward`.
    Y : ndarray of shape (m, n_L)
        Targets, in the dtype of the buffers.
    sample_weight : ndarray of shape (m,) or None
    alpha : float
        L2 penalty.
    buffers : Buffers
        As left by :func:`forward`.

    Returns
    -------
    loss : float
        The objective that grad derives.
    """
    m, L = X.shape[0], params.L
    z, a = buffers.z, buffers.a

    sample_loss = network.output.sample_loss(z[L][:m], Y)
    delta = network.output.delta(a[L][:m], Y, buffers.delta[L][:m])
    if sample_weight is None:
        s_sum = m
        loss = float(sample_loss.sum())
        delta *= 1.0 / m
    else:
        s_sum = float(sample_weight.sum())
        loss = float(sample_loss @ sample_weight)
        delta *= (sample_weight / s_sum)[:, None]

    for l in range(L, 0, -1):
        a_prev = X if l == 1 else _layer_input(buffers, l - 1, m)
        _matmul(a_prev.T, delta, out=grad.W[l])
        np.matmul(buffers.ones[:m], delta, out=grad.b[l])
        if l > 1:
            delta_prev = buffers.delta[l - 1][:m]
            np.matmul(delta, params.W[l].T, out=delta_prev)
            network.g[l - 1].g_prime(z[l - 1][:m], a[l - 1][:m], delta_prev)
            if buffers.mask[l - 1] is not None:
                delta_prev *= buffers.mask[l - 1][:m]  # d(a * mask)/da = mask
            delta = delta_prev

    if alpha:
        loss += add_penalty(params, grad, alpha, s_sum, buffers)
    return loss / s_sum


def add_penalty(params, grad, alpha, s_sum, buffers):
    """Add the L2 penalty's gradient to grad; return the penalty.

    The gradient of alpha/2 ||W||^2 / sum(s) is alpha / sum(s) W; biases
    are not penalized. The stochastic training loop does not call this:
    it adds the gradient within the optimizer's step, part by part, and
    takes the value from :func:`penalty` (see ``_training.batch_step``).

    Parameters
    ----------
    params, grad : Parameters
    alpha : float
    s_sum : float
        Total sample weight of the batch.
    buffers : Buffers
        Its ``penalty_grad`` is the scratch.

    Returns
    -------
    penalty : float
        alpha/2 ||W||^2, not divided by sum(s): :func:`backward` divides
        the whole objective.
    """
    w, grad_w = params.weights, grad.weights
    # In the dtype of theta: a NumPy float64 alpha would make the float32
    # product compute in float64.
    scale = w.dtype.type(float(alpha) / float(s_sum))
    grad_w += np.multiply(w, scale, out=buffers.penalty_grad)
    return penalty(params, alpha)


def penalized(params, part=None):
    """The slice of theta holding the weights within theta[part] (maybe empty).

    Weights come first in theta, biases last; only weights are penalized.
    """
    start = 0 if part is None else part.start
    stop = params.n_weights if part is None else min(part.stop, params.n_weights)
    return slice(start, max(start, stop))


def penalty(params, alpha, part=None):
    """alpha/2 ||W||^2 over the weights within theta[part] (default: all).

    Not divided by sum(s). Parts that together cover theta sum to the
    whole penalty.
    """
    w = params.theta[penalized(params, part)]
    return 0.5 * alpha * float(w @ w)


def loss_and_gradient(params, grad, network, X, Y, sample_weight, alpha, buffers):
    """One forward and one backward pass; see :func:`backward`."""
    forward(params, network, X, buffers)
    return backward(params, grad, network, X, Y, sample_weight, alpha, buffers)


def infer(params, network, X, depth=None, link=True):
    """The forward pass of prediction: a^(depth) for X, in fresh arrays.

    No dropout, nothing kept for a backward pass: each a^(l) overwrites its
    z^(l). Allocating per call costs less than building :class:`Buffers`,
    which matters for the latency of predicting one row.

    Parameters
    ----------
    params : Parameters or Layers
    network : Network
    X : {ndarray, sparse matrix} of shape (m, n_0)
    depth : int, default=None
        Stop after layer ``depth`` (default L, the output).
    link : bool, default=True
        Apply the output activation; False returns z^(L) (depth L only).

    Returns
    -------
    a : ndarray of shape (m, n_depth)
    """
    L = params.L
    a = X
    for l in range(1, (depth or L) + 1):
        z = _matmul(a, params.W[l])
        z += params.b[l]
        if l < L:
            network.g[l].g(z, out=z)
        elif link:
            network.output.link(z, out=z)
        a = z
    return a


# Rows of a dense X propagated together by predict: a block's activations
# (~1 MB for 256 units in float64) stay in cache from one layer to the
# next, where whole-X activations would go through memory (10,000 rows:
# ~8 % faster). Each block allocates afresh; the allocator hands back the
# memory of the previous block, still in cache.
PREDICT_BLOCK = 512


def predict(params, network, X, depth=None, link=True):
    """:func:`infer` for X, a dense X in blocks of PREDICT_BLOCK rows.

    ``params`` may be :class:`Parameters` or any object with per-layer lists
    ``W`` and ``b`` (index 0 unused), such as :class:`Layers`.
    """
    n = X.shape[0]
    if sp.issparse(X) or n <= PREDICT_BLOCK:
        return infer(params, network, X, depth, link)
    output = np.empty((n, params.layer_sizes[depth or params.L]), params.dtype)
    for start in range(0, n, PREDICT_BLOCK):
        rows = slice(start, start + PREDICT_BLOCK)
        output[rows] = infer(params, network, X[rows], depth, link)
    return output


def evaluate(params, network, X, Y, sample_weight=None):
    """Output a^(L) for X and the weighted mean loss on (X, Y), no penalty.

    The loss is computed from z^(L) as in training, so a validation loss is
    on the same scale as the training loss curve (less the penalty).
    """
    z = predict(params, network, X, link=False)
    sample_loss = network.output.sample_loss(z, Y)
    output = np.empty_like(z)
    network.output.link(z, out=output)
    if sample_weight is None:
        return output, float(sample_loss.mean())
    return output, float(sample_loss @ sample_weight) / float(sample_weight.sum())
