"""The benchmarks' own helpers (the scripts themselves are run by hand)."""

import contextlib
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

_common = pytest.importorskip("_common")


@pytest.mark.parametrize("n_items", [3, 4, 5])
def test_round_order_changes_every_contenders_predecessor(n_items):
    """Within rounds, each contender runs after at least two others.

    A rotated fixed order kept each contender's predecessor in every round,
    so one neighbour's after-effects, such as another library's threads
    still spinning, always hit the same contender.
    """
    items = [f"contender {i}" for i in range(n_items)]
    rounds = [_common.round_order(items, r) for r in range(5)]
    assert rounds[0] == items
    for order in rounds:
        assert sorted(order) == sorted(items)
    for item in items:
        predecessors = {
            order[order.index(item) - 1] for order in rounds if order[0] != item
        }
        assert len(predecessors) >= 2, (item, predecessors)


def test_numpy_reference_loop_computes_skffnn_gradient_and_adam_step():
    """The reference loop is fast only by leaving work out, never by error.

    One step of the minimal Adam loop, on a short batch (its last batch of
    an epoch), computes skffnn's gradient (without penalty) for the same
    weights and rows, and moves every parameter by Adam's first step.
    """
    import _numpy_loop

    from skffnn._network import (
        ACTIVATIONS,
        Buffers,
        Network,
        Parameters,
        loss_and_gradient,
        output_loss,
    )

    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(40, 7)), rng.randint(10, size=40)
    loop = _numpy_loop.NumpyLoopRun(X, y, (8, 6), batch_size=16)
    m = 11
    loop.Xb[:m], loop.Yb[:m] = loop.X[:m], loop.Y[:m]
    sizes = [7, 8, 6, 10]
    params = Parameters(sizes, np.float32)
    for l in range(1, 4):
        params.W[l][...], params.b[l][...] = loop.W[l], loop.b[l]
    before = params.theta.copy()
    network = Network.build([ACTIVATIONS["relu"]] * 2, output_loss("log_loss"))
    grad = params.like()
    buffers = Buffers(network, sizes, m, np.float32)
    Xb, Yb = loop.Xb[:m], loop.Yb[:m]
    loss_and_gradient(params, grad, network, Xb, Yb, None, 0.0, buffers)

    loop.step(m)
    after = Parameters(sizes, np.float32)
    for l in range(1, 4):
        np.testing.assert_allclose(loop.dW[l], grad.W[l], rtol=1e-4, atol=1e-7)
        np.testing.assert_allclose(loop.db[l], grad.b[l], rtol=1e-4, atol=1e-7)
        after.W[l][...], after.b[l][...] = loop.W[l], loop.b[l]
    # Adam's first step, exactly: m = 0.1 g, v = 0.001 g^2, bias-corrected.
    g = grad.theta.astype(np.float64)
    step = -1e-3 * g / (np.abs(g) + 1e-8 / np.sqrt(1e-3))
    np.testing.assert_allclose(after.theta - before, step, rtol=1e-3, atol=1e-7)


def test_numpy_gemm_loop_processes_every_row_and_does_not_train():
    """The GEMMs-only bound covers all n rows (short last batch included)."""
    import _numpy_loop

    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(40, 7)), rng.randint(10, size=40)
    loop = _numpy_loop.NumpyLoopRun(X, y, (8,), batch_size=16, kind="gemms")
    seen = []
    loop.step = seen.append  # records each batch's row count
    loop.epoch()
    assert seen == [16, 16, 8]
    assert loop.accuracy(X, y) is None


@pytest.mark.parametrize("numba", [True, False], ids=["compiled", "numpy"])
def test_numpy_gemm_adam_loop_makes_adam_step_on_every_parameter(numba):
    """The Adam bound updates all of theta from the GEMMs' gradient, as Adam does.

    Its W and dW are views of theta and grad, so one call moves every
    parameter: after two steps theta equals textbook Adam on the gradients
    the step left in grad. The loop makes no bias gradient; the test puts
    one in, so that the biases' update is seen too. The compiled step takes
    its scalars in float32, as skffnn's does (a float64 scalar would be a
    second, slower specialization).
    """
    import _numpy_loop

    from skffnn._training import kernels

    if numba and kernels.compiled() is None:
        pytest.skip("Numba is not installed")
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(40, 7)), rng.randint(10, size=40)
    context = contextlib.nullcontext() if numba else kernels.disabled()
    with context:
        loop = _numpy_loop.NumpyLoopRun(X, y, (8, 6), batch_size=16, kind="gemms+adam")
    assert loop.name.endswith(", compiled" if numba else ", NumPy")
    theta, m, v = loop.theta.astype(np.float64), 0.0, 0.0
    for t in (1, 2):
        loop.Xb[:16] = loop.X[16 * (t - 1) : 16 * t]
        for db in loop.db[1:]:
            db[...] = rng.normal(size=db.shape)
        loop.step(16)
        g = loop.grad.astype(np.float64)
        assert np.count_nonzero(g) == g.size
        m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g**2
        eta = 1e-3 * np.sqrt(1 - 0.999**t) / (1 - 0.9**t)
        theta -= eta * m / (np.sqrt(v) + 1e-8)
        np.testing.assert_allclose(loop.theta, theta, rtol=1e-5, atol=1e-7)
    assert loop.accuracy(X, y) is None
    if numba:  # every float32 specialization takes float32 scalars
        from numba import types

        for signature in loop.adam[0].kernel.signatures:
            if signature[0].dtype == types.float32:
                scalars = [a for a in signature if isinstance(a, types.Float)]
                assert set(scalars) == {types.float32}, signature
