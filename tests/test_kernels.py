"""The fused update loops give the NumPy rules' results, bit for bit.

Three implementations of each rule are compared: the NumPy ufuncs, the
plain Python loops of ``kernels`` (their specification, run without Numba)
and those loops compiled by Numba (when installed, as the test extras do).
"""

import builtins
import sys
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_digits

from skffnn import FFNNClassifier, FFNNRegressor
from skffnn._network import (
    ACTIVATIONS,
    OUTPUT_LOSSES,
    Buffers,
    Network,
    Parameters,
    add_penalty,
    penalty,
)
from skffnn._training import SGD, Adam, AdamW, RMSprop, kernels
from skffnn._training.batch_step import BatchStep
from skffnn._training.batches import Batches
from skffnn._training.optimizers import L2, NO_L2

RULES = {
    "sgd": lambda n, dt: SGD(n, dt, 0.1, momentum=0.9, nesterov=False),
    "nesterov": lambda n, dt: SGD(n, dt, 0.1, momentum=0.9, nesterov=True),
    "adam": lambda n, dt: Adam(n, dt, 0.01),
    "adamw": lambda n, dt: AdamW(n, dt, 0.01, weight_decay=0.3, n_weights=23),
    "rmsprop": lambda n, dt: RMSprop(n, dt, 0.01),
}
STATE = ("velocity", "m", "v")


def python_kernels():
    """The uncompiled loops, in the place of the compiled ones."""
    return kernels._Kernels(
        adam=kernels.adam,
        rmsprop=kernels.rmsprop,
        sgd=kernels.sgd,
        gather=kernels.gather,
    )


def numba_kernels():
    pytest.importorskip("numba")
    fused = kernels._compile()
    assert fused is not None
    return fused


@pytest.fixture
def use(monkeypatch):
    """use(namespace or False): the kernels the rules see for this test."""

    def set_kernels(fused):
        monkeypatch.setattr(kernels, "_COMPILED", fused)
        # The small test networks would otherwise keep to the NumPy rules.
        monkeypatch.setattr(kernels, "MIN_PARAMS", 0)

    return set_kernels


@pytest.fixture
def spied_kernels(monkeypatch):
    """The Python loops in the place of the compiled ones; lists each one asked for."""
    calls = []

    class Spy:
        def __getattr__(self, name):
            calls.append(name)
            return getattr(python_kernels(), name)

    monkeypatch.setattr(kernels, "_COMPILED", Spy())
    return calls


def run_steps(rule, theta, grads, parts, l2_scale=None, n_weights=23):
    """Steps on parts; with l2_scale, the penalty on theta[:n_weights]."""
    for grad in grads:
        grad = grad.copy()  # the penalty's gradient is added in place
        rule.advance()
        for part in parts:
            n = min(max(n_weights - part.start, 0), part.stop - part.start)
            l2 = NO_L2 if l2_scale is None else L2(n, l2_scale)
            rule.update(theta, grad, part, l2)


@pytest.mark.parametrize("make_kernels", [python_kernels, numba_kernels])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("l2_scale", [None, 0.3 / 7.0, np.float64(1e-5)])
@pytest.mark.parametrize("name", RULES)
def test_loops_equal_the_numpy_rules_bit_for_bit(
    use, make_kernels, name, l2_scale, dtype
):
    """Five steps on parts (cutting the weights/biases boundary at 23)."""
    rng = np.random.default_rng(1)
    n, parts = 40, [slice(0, 7), slice(7, 20), slice(20, 40)]
    theta0 = rng.normal(size=n).astype(dtype)
    # Gradients over several magnitudes, zeros included (Adam's 0 / eps).
    grads = [rng.normal(size=n).astype(dtype) * 10.0**k for k in (-6, -2, 0, 2)]
    grads.append(np.zeros(n, dtype))
    results = []
    for fused in (False, make_kernels()):
        use(fused)
        rule, theta = RULES[name](n, dtype), theta0.copy()
        run_steps(rule, theta, grads, parts, l2_scale)
        results.append((theta, [getattr(rule, s) for s in STATE if hasattr(rule, s)]))
    (theta_np, state_np), (theta_k, state_k) = results
    assert not np.array_equal(theta_np, theta0)
    np.testing.assert_array_equal(theta_k, theta_np)
    for a, b in zip(state_k, state_np):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("make_kernels", [None, python_kernels, numba_kernels])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", RULES)
def test_penalty_in_the_update_equals_add_penalty_first(
    use, monkeypatch, make_kernels, name, dtype
):
    """The batch step's two penalty paths agree bit for bit.

    Without clipping the optimizer adds the penalty's gradient part by part
    within its step; with clipping (to a norm no gradient reaches) the
    backward pass adds it whole with ``add_penalty``. One part holds the
    weights/biases boundary.
    """
    use(make_kernels() if make_kernels else False)
    # Parts of 48 float64 / 96 float32 entries: one holds the boundary at 680.
    monkeypatch.setattr("skffnn._training.batch_step.PART_BYTES", 48 * 8)
    rng = np.random.default_rng(2)
    W0 = [rng.normal(size=(30, 20)), rng.normal(size=(20, 4))]
    b0 = [rng.normal(size=20), rng.normal(size=4)]
    X = rng.normal(size=(16, 30)).astype(dtype)
    Y = np.eye(4, dtype=dtype)[rng.integers(0, 4, 16)]
    network = Network.build([ACTIVATIONS["relu"]], OUTPUT_LOSSES["log_loss"])
    results = []
    for max_grad_norm in (None, 1e30):
        params = Parameters.from_layers(W0, b0, dtype)
        buffers = Buffers(network, params.layer_sizes, 16, dtype)
        rule = RULES[name](params.theta.shape[0], dtype)
        step = BatchStep(params, network, buffers, rule, 0.3, max_grad_norm)
        assert any(p.start < params.n_weights < p.stop for p in step.parts)
        losses = [step(X, Y, None, 16.0) for _ in range(3)]
        results.append((losses, params.theta))
    (losses_by_part, theta_by_part), (losses_whole, theta_whole) = results
    assert not np.array_equal(
        theta_by_part, Parameters.from_layers(W0, b0, dtype).theta
    )
    np.testing.assert_array_equal(theta_by_part, theta_whole)
    assert losses_by_part == pytest.approx(losses_whole, rel=1e-5)


def test_penalty_by_parts_sums_to_add_penalty():
    rng = np.random.default_rng(4)
    params = Parameters.from_layers(
        [rng.normal(size=(30, 20)), rng.normal(size=(20, 4))],
        [rng.normal(size=20), rng.normal(size=4)],
        np.float64,
    )
    whole = add_penalty(params, params.like(), 0.3, 7.0, _Scratch(params))
    assert sum(penalty(params, 0.3, part) for part in _parts(params)) == (
        pytest.approx(whole, rel=1e-14)
    )
    assert penalty(params, 0.3, slice(params.n_weights, params.theta.shape[0])) == 0


class _Scratch:
    """What ``add_penalty`` needs of Buffers: its scratch vector."""

    def __init__(self, params):
        self.penalty_grad = np.empty(params.n_weights, params.dtype)


def _parts(params):
    """Parts that cut through the weights/biases boundary."""
    n, cut = params.theta.shape[0], params.n_weights
    return [slice(0, 100), slice(100, cut + 3), slice(cut + 3, n)]


def test_add_penalty_reference_value():
    """The NumPy reference itself: alpha/2 ||W||^2 and alpha/s W."""
    params = Parameters.from_layers([np.full((2, 3), 2.0)], [np.ones(3)], np.float64)
    grad = params.like()
    grad.theta[:] = 0
    value = add_penalty(params, grad, 0.5, 4.0, _Scratch(params))
    assert value == pytest.approx(0.5 * 0.5 * 6 * 4.0)
    np.testing.assert_array_equal(grad.weights, 0.5 / 4.0 * 2.0)
    np.testing.assert_array_equal(grad.theta[params.n_weights :], 0)


@pytest.mark.parametrize("n_rows", [3, 20, 23])
@pytest.mark.parametrize("make_kernels", [python_kernels, numba_kernels])
def test_gather_casts_as_numpy_does(make_kernels, n_rows):
    """Bit for bit, over float32's whole range (signed zeros, subnormals).

    Batches of 3, 20 and 23 rows: rows are copied in groups of four, then
    one by one.
    """
    rng = np.random.default_rng(5)
    X = rng.normal(size=(50, 7)) * 10.0 ** rng.integers(-45, 38, size=(50, 7))
    X[rng.integers(50), :4] = [-0.0, 1e-46, 3.4028235e38, 1.0000000596046448]
    rows = rng.permutation(50)[:n_rows]
    out = np.empty((n_rows, 7), np.float32)
    make_kernels().gather(X, rows, out)
    expected = X[rows].astype(np.float32)
    np.testing.assert_array_equal(out.view(np.uint32), expected.view(np.uint32))


@pytest.mark.parametrize("order", ["C", "F"])
def test_batches_with_the_gather_kernel_equal_batches_without(order):
    """Early stopping's row map included; an F-ordered X keeps np.take."""
    rng = np.random.default_rng(6)
    X = np.asarray(rng.normal(size=(60, 5)), order=order)
    Y = rng.normal(size=(40, 2)).astype(np.float32)
    x_rows = rng.permutation(60)[:40]
    rows = rng.permutation(40)[:16]
    plain = Batches(X, Y, None, 16, x_rows)
    fused = Batches(X, Y, None, 16, x_rows, gather=kernels.gather)
    assert (fused._gather is None) == (order == "F")
    for a, b in zip(plain(rows)[:2], fused(rows)[:2]):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(fused(rows)[0], X[x_rows[rows]].astype(np.float32))


X_DIGITS, Y_DIGITS = load_digits(return_X_y=True)
X_DIGITS = X_DIGITS / 16


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"dtype": "float64", "alpha": np.float64(0.01)},
        {"solver": "sgd"},
        {"solver": "sgd", "nesterovs_momentum": False},
        {"solver": "rmsprop"},
        {"solver": "adamw"},
        {"max_grad_norm": 1.0},  # penalty added by the backward pass
        {"alpha": np.float64(0.01), "beta_1": np.float32(0.8)},
    ],
    ids=repr,
)
def test_fit_with_numba_equals_fit_without(use, settings):
    """Installing Numba changes the speed of a fit, never its model."""
    fused = numba_kernels()
    use(fused)
    # float32 unless asked: dtype='auto' trains digits in float64.
    kw = {"random_state": 0, "max_iter": 4, "batch_size": 100, "dtype": "float32"}
    kw.update(settings)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with kernels.disabled():
            expected = FFNNClassifier(**kw).fit(X_DIGITS, Y_DIGITS)
        assert kernels.compiled() is fused
        got = FFNNClassifier(**kw).fit(X_DIGITS, Y_DIGITS)
    for a, b in zip(
        got.coefs_ + got.intercepts_, expected.coefs_ + expected.intercepts_
    ):
        np.testing.assert_array_equal(a, b)
    assert got.n_iter_ == expected.n_iter_
    assert got.loss_curve_ == expected.loss_curve_


def test_partial_fit_regressor_with_numba_equals_without(use):
    use(numba_kernels())
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(300, 6)), rng.normal(size=300)
    models = []
    for off in (True, False):
        model = FFNNRegressor(random_state=0, batch_size=32, dtype="float32")
        if off:
            with kernels.disabled():
                model.partial_fit(X, y).partial_fit(X, y)
        else:
            model.partial_fit(X, y).partial_fit(X, y)
        models.append(model)
    np.testing.assert_array_equal(models[0].predict(X), models[1].predict(X))


def test_small_networks_keep_to_the_numpy_rules(monkeypatch):
    sentinel = python_kernels()
    monkeypatch.setattr(kernels, "_COMPILED", sentinel)
    assert kernels.for_size(kernels.MIN_PARAMS - 1) is None
    assert kernels.for_size(kernels.MIN_PARAMS) is sentinel


def test_a_large_network_trains_with_the_kernels(spied_kernels):
    """An MNIST-sized theta takes the compiled path (spied on, not compiled)."""
    calls = spied_kernels
    rule = Adam(kernels.MIN_PARAMS, np.float32, 0.01)
    theta = np.ones(kernels.MIN_PARAMS, np.float32)
    rule.advance()
    rule.update(theta, np.ones_like(theta), slice(0, 10))
    assert calls == ["adam"]
    np.testing.assert_allclose(theta[:10], 1 - 0.01, rtol=1e-5)
    np.testing.assert_array_equal(theta[10:], 1)


def test_environment_variable_turns_the_kernels_off(monkeypatch):
    monkeypatch.setenv("SKFFNN_NUMBA", "0")
    assert kernels._compile() is None


def test_without_numba_the_numpy_rules_run_silently(monkeypatch):
    monkeypatch.setitem(sys.modules, "numba", None)  # as if not installed
    monkeypatch.setattr(kernels, "_COMPILED", None)
    monkeypatch.setattr(kernels, "MIN_PARAMS", 0)  # the fit below asks for them
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert kernels.compiled() is None
        model = FFNNClassifier(max_iter=2, random_state=0)
        warnings.simplefilter("ignore")  # the ConvergenceWarning of max_iter=2
        model.fit(X_DIGITS[:200], Y_DIGITS[:200])
    assert np.isfinite(model.coefs_[0]).all()


@pytest.mark.parametrize(
    "error",
    [
        ImportError("Numba needs NumPy 2.5 or less. Got NumPy 2.6."),
        OSError("libllvmlite.so: cannot open shared object file"),
    ],
)
def test_a_numba_that_fails_to_load_is_reported(monkeypatch, error):
    pytest.importorskip("numba")  # installed: its import is what fails here
    real_import = builtins.__import__

    def failing_import(name, *args, **kwargs):
        if name == "numba":
            raise error
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", failing_import)
    monkeypatch.delenv("SKFFNN_NUMBA", raising=False)
    with pytest.warns(UserWarning, match="Numba is installed but failed to import"):
        assert kernels._compile() is None


def test_disabled_restores_the_kernels(monkeypatch):
    sentinel = python_kernels()
    monkeypatch.setattr(kernels, "_COMPILED", sentinel)
    with kernels.disabled():
        assert kernels.compiled() is None
    assert kernels.compiled() is sentinel


def test_the_loops_write_nothing_to_disk():
    """No Numba cache files in the installed package (pip would leave them)."""
    numba_caching = pytest.importorskip("numba.core.caching")
    fused = numba_kernels()
    for name in ("adam", "rmsprop", "sgd", "gather"):
        assert isinstance(getattr(fused, name)._cache, numba_caching.NullCache)
