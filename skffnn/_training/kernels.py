"""The batch step's elementwise passes fused into single loops, when Numba is here.

An Adam step in NumPy is twelve whole-vector ufuncs, each reading and
writing theta-sized vectors; with the L2 penalty's gradient, fourteen.
The functions below make the same arithmetic, the penalty's gradient
included, one loop over the entries. Compiled by Numba (the optional
``fast`` extra), they take the update rules' share of an MNIST-sized
epoch down by about two thirds. ``gather`` copies and casts the rows of a
mini-batch in one pass.

Each loop performs, entry by entry, the very operations of the NumPy rule
in the same order and the same dtype (no fused multiply-add, no
reassociation), so theta and the optimizer state come out bit for bit as
the NumPy rules leave them: installing Numba changes the speed of a fit,
never its result.

Networks of fewer than ``MIN_PARAMS`` parameters, and every network
without Numba or with the environment variable ``SKFFNN_NUMBA=0``, train
with the NumPy rules. The plain Python functions here are the
specification of the compiled ones (the tests run both).
"""

import importlib.util
import os
import threading
import warnings
from contextlib import contextmanager

import numpy as np


def adam(
    theta,
    grad,
    m,
    v,
    n_l2,
    l2_scale,
    beta_1,
    one_minus_beta_1,
    beta_2,
    one_minus_beta_2,
    eps,
    eta,
):
    """Adam's step on every entry (see :class:`optimizers.Adam`).

    The first ``n_l2`` entries are weights under the L2 penalty: their
    gradient is grad + theta * l2_scale (see ``UpdateRule.update``).
    Scalars come in the dtype of the vectors, as NumPy casts them.
    """
    for i in range(theta.shape[0]):
        g = grad[i]
        if i < n_l2:
            g += theta[i] * l2_scale
        m_i = m[i] * beta_1 + g * one_minus_beta_1
        v_i = v[i] * beta_2 + g * g * one_minus_beta_2
        m[i] = m_i
        v[i] = v_i
        theta[i] -= m_i / (np.sqrt(v_i) + eps) * eta


def rmsprop(theta, grad, v, n_l2, l2_scale, rho, one_minus_rho, eps, eta):
    """RMSprop's step on every entry (see :class:`optimizers.RMSprop`)."""
    for i in range(theta.shape[0]):
        g = grad[i]
        if i < n_l2:
            g += theta[i] * l2_scale
        v_i = v[i] * rho + g * g * one_minus_rho
        v[i] = v_i
        theta[i] -= g / (np.sqrt(v_i) + eps) * eta


def sgd(theta, grad, velocity, n_l2, l2_scale, eta, mu, nesterov):
    """SGD's step with momentum on every entry (see :class:`optimizers.SGD`)."""
    for i in range(theta.shape[0]):
        g = grad[i]
        if i < n_l2:
            g += theta[i] * l2_scale
        step = g * eta
        v_i = velocity[i] * mu - step
        velocity[i] = v_i
        if nesterov:
            theta[i] = (theta[i] - step) + v_i * mu
        else:
            theta[i] += v_i


def gather(X, rows, out):
    """out[j] = X[rows[j]] for every j, cast to out's dtype as NumPy casts.

    A mini-batch of a float64 X trained in float32: one pass, where NumPy
    gathers into a float64 block and casts it in a second pass (~62 ms
    per epoch of 60,000 x 784; one row at a time, this loop took ~45).

    Rows are copied four at a time, column by column: a row of X is a
    contiguous run in memory, but the next row of a shuffled batch is
    anywhere, so one row at a time waits for memory at every row's start.
    Four runs read side by side keep four streams in flight (~45 -> ~33 ms
    per epoch of 60,000 x 784, interleaved with GEMMs as in training).
    """
    n, d, j = rows.shape[0], X.shape[1], 0
    # A while loop: written as range(0, n - n % 4, 4), Numba's loop
    # compiled to code no faster than one row at a time.
    while j + 4 <= n:
        r0, r1, r2, r3 = rows[j], rows[j + 1], rows[j + 2], rows[j + 3]
        for k in range(d):
            out[j, k] = X[r0, k]
            out[j + 1, k] = X[r1, k]
            out[j + 2, k] = X[r2, k]
            out[j + 3, k] = X[r3, k]
        j += 4
    while j < n:  # the last n % 4 rows
        r = rows[j]
        for k in range(d):
            out[j, k] = X[r, k]
        j += 1


_COMPILED = None
_COMPILING = threading.Lock()

# Fewer parameters than this train with the NumPy rules: a step then takes a
# few dozen microseconds either way, and Numba would add its import and
# compiling (~1 s and ~100 MiB of LLVM, once per process) to fits that are
# over in seconds.
MIN_PARAMS = 1 << 16


def for_size(n_params):
    """The compiled kernels for a theta of n_params entries, or None (NumPy)."""
    return compiled() if n_params >= MIN_PARAMS else None


def compiled():
    """The kernels compiled by Numba (a namespace), or None to use NumPy.

    Numba is imported on the first call, so a process that never trains
    a large network with a stochastic solver never pays its import
    (~0.4 s); each loop compiles on its first call for a dtype (~0.3 s).
    Nothing is written to disk: Numba's on-disk cache would save only
    ~0.2 s and ~10 of Numba's ~110 MiB per process (loading a cached
    loop still goes through LLVM) and leave files in the installed
    package that ``pip uninstall`` does not remove. The environment variable
    ``SKFFNN_NUMBA`` is read here, once per process; only the value ``0``
    turns the kernels off.
    """
    global _COMPILED
    if _COMPILED is None:
        with _COMPILING:  # one import and one warning, whichever fit comes first
            if _COMPILED is None:
                _COMPILED = _compile() or False
    return _COMPILED or None


@contextmanager
def disabled():
    """Train with the NumPy update rules meanwhile (tests, benchmarks).

    Process-wide: not for use while another thread trains.
    """
    global _COMPILED
    saved, _COMPILED = _COMPILED, False
    try:
        yield
    finally:
        _COMPILED = saved


def _compile():
    if os.environ.get("SKFFNN_NUMBA", "1") == "0":
        return None
    if importlib.util.find_spec("numba") is None:
        return None
    try:
        import numba
    except Exception as exc:  # installed, but it cannot load (e.g. NumPy too new)
        warnings.warn(
            f"Numba is installed but failed to import ({exc!r}); skffnn trains "
            "with its NumPy update rules, which give the same results more "
            "slowly. Set SKFFNN_NUMBA=0 to silence this warning."
        )
        return None
    # error_model="numpy": a division by zero gives inf or NaN as in NumPy
    # instead of raising, which also lets the loops vectorize. fastmath
    # stays off, so each operation rounds as NumPy's ufunc does.
    exact = numba.njit(error_model="numpy")
    return _Kernels(
        adam=exact(adam),
        rmsprop=exact(rmsprop),
        sgd=exact(sgd),
        gather=exact(gather),
    )


class _Kernels:
    def __init__(self, **kernels):
        self.__dict__.update(kernels)
