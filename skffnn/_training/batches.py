"""The batches of an epoch: row selectors, and rows gathered into buffers."""

import numpy as np
import scipy.sparse as sp


class Batches:
    """Cut (X, Y, s) into batches of at most m rows, gathered into buffers.

    Rows of a dense X are gathered into one preallocated array in the dtype
    of Y (the compute dtype); rows in another dtype are gathered 128 at a
    time and cast, so a float64 X trained in float32 is never copied
    whole. A contiguous slice of an X already in that dtype is used as a
    view. ``x_rows`` maps the rows of (Y, s) to rows of X, for training on
    a subset (early stopping) without copying it out of X. ``gather``, the
    compiled ``kernels.gather`` when the training loop has Numba, copies
    and casts the rows of a C-contiguous X in one pass instead.
    """

    def __init__(self, X, Y, sample_weight, m, x_rows=None, gather=None):
        self.X, self.Y, self.s = X, Y, sample_weight
        self.x_rows = x_rows
        self.m = m
        dense = not sp.issparse(X)
        self._X = np.empty((m, X.shape[1]), Y.dtype) if dense else None
        cast = dense and X.dtype != Y.dtype
        self._gather = gather if cast and X.flags.c_contiguous else None
        # Without the compiled gather, rows to be cast are first gathered in
        # X's own dtype, a block at a time: np.take converting as it copies
        # runs at half the speed of a plain copy followed by a cast of the
        # cache-resident block.
        self._X_raw = (
            np.empty((min(m, _CAST_BLOCK), X.shape[1]), X.dtype)
            if cast and self._gather is None
            else None
        )
        self._Y = np.empty((m, Y.shape[1]), Y.dtype)
        self._s = None if sample_weight is None else np.empty(m, sample_weight.dtype)

    def _gather_X(self, rows):
        if self.x_rows is not None:
            rows = self.x_rows[rows]
        if self._X is None:
            return self.X[rows]
        if isinstance(rows, slice):
            part = self.X[rows]
            if part.dtype == self._X.dtype:
                return part
            out = self._X[: part.shape[0]]
            np.copyto(out, part, casting="same_kind")
            return out
        out = self._X[: len(rows)]
        if self._gather is not None:
            self._gather(self.X, rows, out)
            return out
        if self._X_raw is None:
            return _take(self.X, rows, out)
        for start in range(0, len(rows), _CAST_BLOCK):
            block = rows[start : start + _CAST_BLOCK]
            raw = _take(self.X, block, self._X_raw[: len(block)])
            np.copyto(out[start : start + len(block)], raw, casting="same_kind")
        return out

    def __call__(self, rows):
        """The batch of the given rows: an index array or a slice."""
        Xb = self._gather_X(rows)
        if isinstance(rows, slice):
            s = None if self.s is None else self.s[rows]
            return Xb, self.Y[rows], s
        k = len(rows)
        Yb = _take(self.Y, rows, self._Y[:k])
        sb = None if self.s is None else _take(self.s, rows, self._s[:k])
        return Xb, Yb, sb


# Rows gathered per block before a cast: 128 x 784 float64 is 0.8 MB.
_CAST_BLOCK = 128


def _take(A, rows, out):
    """A[rows] written into out (rows are valid indices by construction).

    mode='clip' because the default mode='raise' gathers into a temporary
    and copies it into ``out``: twice the memory traffic per batch.
    """
    return np.take(A, rows, axis=0, out=out, mode="clip")


def batch_rows(order, n, m):
    """Row selectors of the batches of one epoch (slices when unshuffled)."""
    for start in range(0, n, m):
        stop = min(start + m, n)
        yield slice(start, stop) if order is None else order[start:stop]
