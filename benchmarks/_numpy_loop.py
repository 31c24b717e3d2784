"""Reference rows for bench_training: what plain NumPy reaches on this machine.

Three loops over the same batches as the contenders, in float32, with the
same BLAS and the same buffers-once discipline as skffnn:

- ``minimal adam``: the shortest correct training loop, written as a user
  would from the lecture equations (relu, softmax + cross-entropy, Adam)
  and nothing else: no loss value, no L2 penalty, no input checks, no
  sample weights. skffnn's default epoch does all of these on top.
- ``GEMMs + gathering only``: each batch is gathered and the batch's
  matrix products are run, with no activation, loss or update in between.
  No NumPy implementation of this network can take less time, so its
  "% of peak" bounds what any NumPy training loop can reach here.
- ``GEMMs + gathering + adam step``: the same, plus the one part of a
  training step no Adam loop can leave out, the update of every parameter,
  made as cheaply as skffnn can make it: one compiled pass over theta with
  Numba (skffnn's own kernel), NumPy's passes without. Its "% of peak"
  bounds what a correct Adam loop can reach with the update on one core
  (NumPy's OpenBLAS threads keep the other busy between products).
"""

import numpy as np

from skffnn._network import Parameters

N_CLASSES = 10

# The loops, by the name bench_training prints.
KINDS = {
    "minimal": "NumPy minimal adam",
    "gemms": "NumPy GEMMs + gathering only",
    "gemms+adam": "NumPy GEMMs + gathering + adam step",
}


class NumpyLoopRun:
    """A plain float32 NumPy loop, timed like the estimators (one epoch a call).

    Parameters
    ----------
    X : ndarray of shape (n, n_0)
        Training data, cast to float32 once here (not timed).
    y : ndarray of shape (n,)
        Integer labels in 0 ... N_CLASSES - 1.
    hidden : tuple of int
    batch_size : int
    kind : {"minimal", "gemms", "gemms+adam"}, default="minimal"
        The loop (see the module docstring): the minimal Adam loop, the
        gathering and the matrix products only, or those and Adam's update.
    seed : int, default=0
    """

    compute_dtype = np.dtype(np.float32)

    def __init__(self, X, y, hidden, batch_size, kind="minimal", seed=0):
        self.name, self.kind = KINDS[kind], kind
        self.X = np.asarray(X, dtype=np.float32)
        self.Y = np.eye(N_CLASSES, dtype=np.float32)[y]
        self.rng = np.random.default_rng(seed)
        sizes = [self.X.shape[1], *hidden, N_CLASSES]
        self.L = len(sizes) - 1
        # W and b of every layer, and their gradients, are views of one
        # vector each, laid out by skffnn's Parameters, so that one call can
        # update them all.
        params = Parameters(sizes, np.float32)
        grad = params.like()
        self.theta, self.W, self.b = params.theta, params.W, params.b
        self.grad, self.dW, self.db = grad.theta, grad.W, grad.b
        for W in self.W[1:]:
            n_in, n_out = W.shape
            bound = np.sqrt(6 / (n_in + n_out))  # Glorot uniform, as sklearn
            W[...] = self.rng.uniform(-bound, bound, (n_in, n_out))
        m = batch_size
        self.batch_size = m
        self.Xb = np.empty((m, sizes[0]), dtype=np.float32)
        self.Yb = np.empty((m, N_CLASSES), dtype=np.float32)
        self.a = [None] + [np.empty((m, k), dtype=np.float32) for k in sizes[1:]]
        # Small finite deltas: the GEMMs-only loop never computes them, and
        # garbage (NaN, huge or subnormal values) could change GEMM speed.
        self.delta = [None] + [
            (1e-3 * self.rng.standard_normal((m, k))).astype(np.float32)
            for k in sizes[1:]
        ]
        self.ones = np.ones(m, dtype=np.float32)
        if kind == "gemms+adam":
            self.adam = [AdamState(self.theta, compiled_adam())]
            self.name += ", compiled" if self.adam[0].kernel else ", NumPy"
        else:
            self.adam = [AdamState(p) for p in self.W[1:] + self.b[1:]]

    @property
    def gemm_only(self):
        """Whether the step leaves out activations, loss and the per-layer Adam."""
        return self.kind != "minimal"

    def warm_up(self):
        self.epoch()

    def epoch(self):
        """One pass over the shuffled rows; the last batch may be short."""
        order = self.rng.permutation(self.X.shape[0])
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            m = len(rows)
            np.take(self.X, rows, axis=0, out=self.Xb[:m], mode="clip")
            np.take(self.Y, rows, axis=0, out=self.Yb[:m], mode="clip")
            self.step(m)

    def step(self, m):
        """Forward, backward and Adam on the first m batch rows, as the kind says."""
        W, full, L = self.W, not self.gemm_only, self.L
        X, Y = self.Xb[:m], self.Yb[:m]
        a = [None] + [a_l[:m] for a_l in self.a[1:]]
        delta = [None] + [d_l[:m] for d_l in self.delta[1:]]
        a_prev = X
        for l in range(1, L + 1):  # z = a W + b; a = g(z), in place
            np.matmul(a_prev, W[l], out=a[l])
            if full:
                a[l] += self.b[l]
                if l < L:
                    np.maximum(a[l], 0, out=a[l])
            a_prev = a[l]
        if full:
            softmax(a[L])
            np.subtract(a[L], Y, out=delta[L])
            delta[L] *= 1.0 / m
        for l in range(L, 0, -1):
            a_prev = X if l == 1 else a[l - 1]
            np.matmul(a_prev.T, delta[l], out=self.dW[l])
            if full:
                np.matmul(self.ones[:m], delta[l], out=self.db[l])
            if l > 1:
                np.matmul(delta[l], W[l].T, out=delta[l - 1])
                if full:
                    delta[l - 1] *= a[l - 1] > 0  # relu'
        if full:
            grads = self.dW[1:] + self.db[1:]
            for state, g in zip(self.adam, grads):
                state.update(g)
        elif self.kind == "gemms+adam":
            self.adam[0].update(self.grad)

    def accuracy(self, X, y):
        """Held-out accuracy, or None for the loop that does not train."""
        if self.gemm_only:
            return None
        a = np.asarray(X, dtype=np.float32)
        for l in range(1, self.L + 1):
            a = a @ self.W[l] + self.b[l]
            if l < self.L:
                a = np.maximum(a, 0)
        return float((a.argmax(axis=1) == y).mean())


def compiled_adam():
    """skffnn's compiled Adam loop, or None without Numba (or SKFFNN_NUMBA=0)."""
    from skffnn._training import kernels

    compiled = kernels.compiled()
    return None if compiled is None else compiled.adam


def softmax(z):
    """Row-wise softmax of z, in place."""
    z -= z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)


class AdamState:
    """Textbook Adam (lr 1e-3, betas 0.9 / 0.999, eps 1e-8) on one array.

    With ``kernel`` (skffnn's compiled loop, for a 1-d param) the update is
    one pass over the entries, with the same arithmetic.
    """

    def __init__(self, param, kernel=None):
        self.param, self.kernel = param, kernel
        self.m, self.v = np.zeros_like(param), np.zeros_like(param)
        self.s = np.empty_like(param)
        self.t = 0

    def update(self, g):
        self.t += 1
        eta = 1e-3 * np.sqrt(1 - 0.999**self.t) / (1 - 0.9**self.t)
        m, v, s = self.m, self.v, self.s
        if self.kernel is not None:
            f = self.param.dtype.type
            constants = (0.9, 0.1, 0.999, 0.001, 1e-8, eta)
            self.kernel(self.param, g, m, v, 0, f(0), *map(f, constants))
            return
        m *= 0.9
        np.multiply(g, 0.1, out=s)
        m += s
        v *= 0.999
        np.multiply(g, g, out=s)
        s *= 0.001
        v += s
        np.sqrt(v, out=s)
        s += 1e-8
        np.divide(m, s, out=s)
        s *= float(eta)
        self.param -= s
