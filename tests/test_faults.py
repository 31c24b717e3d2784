"""Faults during training: divergence, interrupts, determinism, numerical safety."""

import os
import pickle
import signal
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_digits, make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler

import skffnn._training.batch_step as batch_step
import skffnn._training.interrupts as interrupts
import skffnn._training.stochastic as stochastic
from skffnn import FFNNClassifier, FFNNRegressor


@pytest.fixture(scope="module")
def classification():
    X, y = make_classification(
        n_samples=200, n_features=10, n_informative=5, random_state=0
    )
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def regression():
    X, y = make_regression(n_samples=200, n_features=10, noise=1.0, random_state=0)
    return StandardScaler().fit_transform(X), y / y.std()


def all_finite(model):
    return all(np.isfinite(a).all() for a in model.coefs_ + model.intercepts_)


def assert_same_weights(a, b):
    for x, y in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_):
        np.testing.assert_array_equal(x, y)


def fail_at_call(monkeypatch, k, fault):
    """Make the k-th loss_and_gradient call of the training loop run ``fault``.

    ``fault(result)`` may raise, or return the loss the loop sees.
    """
    real = batch_step.loss_and_gradient
    calls = {"n": 0}

    def patched(*args):
        calls["n"] += 1
        result = real(*args)
        return fault(result) if calls["n"] == k else result

    monkeypatch.setattr(batch_step, "loss_and_gradient", patched)
    return calls


def raise_interrupt(result):
    raise KeyboardInterrupt


@pytest.fixture(autouse=True)
def no_earlier_ctrl_c(monkeypatch):
    """Each test's first Ctrl+C is a first press, whatever the last test sent."""
    monkeypatch.setattr(interrupts, "_last_request", [-float("inf")], raising=False)


@pytest.fixture
def python_sigint_handler():
    # A shell starts background jobs with SIGINT ignored, and then Python
    # installs no handler of its own; training leaves any handler but
    # Python's alone, so the tests that send SIGINT set Python's.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def send_sigint(times=1):
    """A fault for fail_at_call: Ctrl+C pressed ``times`` times in a row."""

    def fault(result):
        for _ in range(times):
            os.kill(os.getpid(), signal.SIGINT)
        return result

    return fault


# -- divergence ---------------------------------------------------------


def test_exploding_loss_is_detected_and_weights_stay_finite(classification):
    """sgd at learning_rate_init=1e3: the loss grows ~1e4 times per epoch.

    In float64 it stays finite for dozens of epochs; the fit stops at the
    first epoch whose loss is a thousand times the reference. A network
    trained before goes back to the weights before that epoch; a new one
    whose first epoch left weights a thousand times worse than its mean
    (they were kept, with a warning) has nothing to go back to, and raises.
    """
    X, y = classification
    kw = dict(hidden_layer_sizes=(20,), solver="sgd", random_state=0)
    model = FFNNClassifier(learning_rate_init=1e3, **kw)
    with pytest.raises(ValueError, match="during epoch 2 of a new network, and"):
        model.fit(X, y)
    assert not hasattr(model, "coefs_")

    model = FFNNClassifier(learning_rate_init=0.01, max_iter=2, **kw)
    with pytest.warns(ConvergenceWarning, match="Maximum iterations"):
        model.fit(X, y)
    model.set_params(learning_rate_init=1e3, warm_start=True, max_iter=200)
    with pytest.warns(ConvergenceWarning, match="the optimization diverged") as rec:
        model.fit(X, y)
    assert "grew to" in str(rec[0].message) and "during epoch" in str(rec[0].message)
    assert all_finite(model) and np.isfinite(model.predict_proba(X)).all()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_non_finite_loss_stops_training_with_the_weights_before_it(
    regression, monkeypatch, dtype
):
    X, y = regression
    kw = dict(hidden_layer_sizes=(8,), batch_size=50, random_state=0, dtype=dtype)
    two_epochs = FFNNRegressor(max_iter=2, **kw)
    with pytest.warns(ConvergenceWarning, match="Maximum iterations"):
        two_epochs.fit(X, y)

    fail_at_call(monkeypatch, 2 * 4 + 3, lambda result: np.inf)  # epoch 3
    model = FFNNRegressor(max_iter=50, **kw)
    with pytest.warns(ConvergenceWarning, match="became non-finite during epoch 3"):
        model.fit(X, y)

    assert model.n_iter_ == 2 and model.loss_curve_ == two_epochs.loss_curve_
    assert_same_weights(model, two_epochs)
    # The optimizer starts afresh: its moments held the gradients of the
    # diverged batches (a partial_fit after a divergence went on from them).
    rule = model._optimizer.rule
    assert rule.t == 0 and not rule.m.any() and not rule.v.any()
    calls = fail_at_call(monkeypatch, 2 * 4 + 3, lambda result: np.inf)
    sgd = FFNNRegressor(max_iter=50, solver="sgd", **kw)
    with pytest.warns(ConvergenceWarning, match="moments reset"):
        sgd.fit(X, y)
    assert calls["n"] == 11 and not sgd._optimizer.rule.velocity.any()


def test_overflow_in_the_first_epoch_of_a_new_network_raises(regression):
    """The loss becomes inf within epoch 1: no epoch completes.

    A new network has no trained weights to go back to: the fit raises, as
    MLP's does, rather than return its random initial weights as a model
    (it did, with a warning, and n_iter_ 0). A network trained before keeps
    the weights it had.
    """
    X, y = regression
    kw = dict(hidden_layer_sizes=(8,), solver="sgd", batch_size=10, random_state=0)
    model = FFNNRegressor(learning_rate_init=1e3, **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no numpy overflow noise
        with pytest.raises(ValueError, match="non-finite during the first epoch of a"):
            model.fit(X, y)
    assert not hasattr(model, "coefs_")

    model = FFNNRegressor(max_iter=3, **kw)
    with pytest.warns(ConvergenceWarning, match="Maximum iterations"):
        model.fit(X, y)
    trained = [W.copy() for W in model.coefs_ + model.intercepts_]
    model.set_params(warm_start=True, learning_rate_init=1e3)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.warns(ConvergenceWarning, match="non-finite during epoch 1"):
            model.fit(X, y)
    assert model.n_iter_ == 0 and len(model.loss_curve_) == 3
    for W, W0 in zip(model.coefs_ + model.intercepts_, trained):
        np.testing.assert_array_equal(W, W0)


def test_a_first_epoch_that_ruins_a_new_network_raises():
    """sgd at learning_rate_init=1 on unscaled targets (a review's case): the
    first epoch's loss, 1.3e7, is a thousand times the initial 1e4, and the
    fit kept those weights (R^2 -3.8e19 on its own training data; MLP
    raises on the NaN weights it reaches)."""
    X, y = make_regression(n_samples=400, n_features=8, random_state=0)
    model = FFNNRegressor(
        hidden_layer_sizes=(16,), solver="sgd", learning_rate_init=1.0, random_state=0
    )
    with pytest.raises(ValueError, match=r"grew to .* during the first epoch"):
        model.fit(X, y)
    # Partial_fit's first call as well: the chunk's own first batch is the
    # reference, so chunks of different scales do not alarm each other.
    with pytest.raises(ValueError, match="Lower learning_rate_init"):
        model.partial_fit(X, y)
    assert not hasattr(model, "coefs_")


def test_an_outlier_in_X_is_no_divergence():
    """One cell of X at 1e4: the first epoch's mean loss is a thousand times
    its first batch's while the loss falls epoch after epoch (MLP trains on).
    Judged against the first batch alone, 4 of 5 seeds raised, and a stream
    dropped the chunk holding the row; the starting weights' loss over all
    rows is the reference now."""
    X, y = make_regression(n_samples=400, n_features=10, random_state=0)
    y = (y - y.mean()) / y.std()
    X[5, 0] = 1e4
    kw = dict(hidden_layer_sizes=(32,), batch_size=32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for seed in range(5):
            model = FFNNRegressor(max_iter=30, random_state=seed, **kw).fit(X, y)
            assert model.loss_curve_[-1] < model.loss_curve_[0] / 100
    stream = FFNNRegressor(random_state=0, **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no divergence warning
        for chunk in np.array_split(np.arange(400), 4):
            stream.partial_fit(X[chunk], y[chunk])
    assert stream.t_ == 400


def test_a_blow_up_that_leaves_a_new_network_worse_than_constant_raises():
    """sgd on targets of standard deviation 3e3: the first epochs' means stay
    sane while the weights blow up in their last batches. The fit kept the
    weights before the diverging epoch, R^2 -2617 on its own training data
    (a review's case); those weights do far worse than a constant."""
    X, y = make_regression(n_samples=500, n_features=8, random_state=1)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    model = FFNNRegressor(solver="sgd", random_state=1)
    with pytest.raises(ValueError, match="do far worse than a constant prediction"):
        model.fit(X, y / y.std() * 3e3)
    assert not hasattr(model, "coefs_")


@pytest.mark.parametrize(
    "case, message",
    [
        ("y", "constant prediction is not finite either: y hold values too large"),
        ("weights", r"y or the sample \(or class\) weights hold values too large"),
        ("X", "initial network was not finite on the first mini-batch: X holds"),
    ],
)
def test_data_whose_loss_overflows_is_named(case, message):
    """y 1e20 in float32 (its square overflows), X 1e300: the loss of the very
    first batch is inf. The fit returned its initial network, n_iter_ 0 and
    loss_ NaN, with advice to lower the learning rate."""
    X, y = make_regression(n_samples=300, n_features=5, random_state=0)
    X, y = X.astype(np.float32), (y / y.std()).astype(np.float32)
    kw = dict(hidden_layer_sizes=(8,), dtype="float32", random_state=0)
    fit_kw = {}
    if case == "y":
        y = y * np.float32(1e20)
    elif case == "weights":
        y = y * np.float32(1e19)
        fit_kw["sample_weight"] = np.full(len(y), 3.0)
    else:
        X, y = X.astype(np.float64) * 1e300, y.astype(np.float64)
        kw["dtype"] = "float64"
    with pytest.raises(ValueError, match=message):
        FFNNRegressor(**kw).fit(X, y, **fit_kw)


def test_tiny_or_class_weights_are_named():
    X, y = make_classification(n_samples=100, random_state=0)
    model = FFNNClassifier(hidden_layer_sizes=(4,), max_iter=2)
    # Subnormal weights made every batch loss NaN: the fit blamed X.
    with pytest.raises(ValueError, match="largest weight, 1e-320, is below"):
        model.fit(X, y, sample_weight=np.full(len(y), 1e-320))
    # The sum of the class weights overflows: it blamed sample_weight.
    huge = {0: 1e308, 1: 1e308}
    with pytest.raises(ValueError, match="^class_weight sums to more than"):
        model.set_params(class_weight=huge).fit(X, y)
    with pytest.raises(ValueError, match="^sample_weight x class_weight sums"):
        model.fit(X, y, sample_weight=np.ones(len(y)))


def test_a_fit_that_never_learns_is_reported(classification):
    """sgd at learning_rate_init=10 on digits: ruined within the first epoch.

    The first epoch's loss (~600, against log 10 for zero weights) is the
    divergence test's reference, so later epochs never count as diverging;
    the fit used to end as converged at chance accuracy without a warning.
    """
    X, y = load_digits(return_X_y=True)
    model = FFNNClassifier(solver="sgd", learning_rate_init=10.0, random_state=0)
    with pytest.warns(
        ConvergenceWarning, match="Training settled on a loss worse than a constant"
    ) as rec:
        model.fit(X / 16, y)
    assert "all weights zero (2.303)" in str(rec[-1].message)
    assert model.n_iter_ < model.max_iter  # it "converged"
    assert model.score(X / 16, y) < 0.2
    # Steps too small to gain tol per epoch: "converged" where it began,
    # above log 10, once without a word (the test wanted twice log 10).
    model = FFNNClassifier((16,), solver="sgd", learning_rate_init=1e-5)
    with pytest.warns(ConvergenceWarning, match="too small to gain tol"):
        model.set_params(random_state=0).fit(X[:500] / 16, y[:500])
    assert model.n_iter_ < model.max_iter and model.best_loss_ > np.log(10)
    # Not reported: fits cut short by max_iter (their epoch losses carry a
    # large alpha's penalty, far above the zero-weight loss while they
    # learn), plateaus of a large alpha, and targets zero weights fit.
    X, y = classification
    quiet = [
        (FFNNClassifier(hidden_layer_sizes=(8,), max_iter=2), X, y),
        (FFNNClassifier(alpha=30.0, max_iter=5), X, y),
        (FFNNClassifier(alpha=1000.0), X, y),
        (FFNNRegressor(max_iter=50), X, np.zeros(len(X))),
    ]
    # Early stopping's plateau is the validation score's, while the training
    # loss may still carry a large alpha's penalty (it warned in 4 of 4
    # seeds at alpha 10; the model's log-loss was 0.45, below log 2).
    quiet.append((FFNNClassifier(alpha=10.0, early_stopping=True), X, y))
    for model, X_fit, y_fit in quiet:
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            model.set_params(random_state=0).fit(X_fit, y_fit)
        assert not [w for w in record if "worse than a constant" in str(w.message)], (
            model
        )


def test_no_false_alarm_on_a_noisy_warm_start(classification):
    """A tiny first loss (converged model) must not make spikes divergence."""
    X, y = classification
    model = FFNNClassifier(
        hidden_layer_sizes=(64,),
        learning_rate_init=0.1,
        max_iter=300,
        n_iter_no_change=300,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    assert model.loss_ < 1e-3
    n_before = len(model.loss_curve_)
    model.set_params(warm_start=True, max_iter=30)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        model.fit(X, y)
    assert not [w for w in record if "diverged" in str(w.message)]
    # Adam's spikes rise more than a thousandfold over this fit's first loss,
    # yet stay below the loss of the all-zero network (log 2).
    warm = model.loss_curve_[n_before:]
    assert len(warm) == 30 and max(warm) > 1e3 * warm[0]


def test_no_false_alarm_on_a_stream_of_changing_scale(regression):
    X, y = regression
    model = FFNNRegressor(hidden_layer_sizes=(8,), random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        for scale in [1, 1, 1e3, 1e3, 1]:
            model.partial_fit(X, y * scale)
    assert len(model.loss_curve_) == 5 and all_finite(model)


# -- interrupt ----------------------------------------------------------


def test_interrupt_keeps_a_usable_model_that_partial_fit_continues(
    classification, monkeypatch
):
    X, y = classification
    kw = dict(hidden_layer_sizes=(16,), batch_size=50, random_state=0)
    calls = fail_at_call(monkeypatch, 3 * 4 + 2, raise_interrupt)  # epoch 4
    model = FFNNClassifier(max_iter=100, **kw)
    with pytest.warns(UserWarning, match="Training interrupted by user after 3"):
        model.fit(X, y)

    assert calls["n"] == 14
    assert model.n_iter_ == 3 and len(model.loss_curve_) == 3
    assert model.t_ == 3 * len(X)
    assert all_finite(model) and np.isfinite(model.predict_proba(X)).all()
    model.partial_fit(X, y)
    assert model.n_iter_ == 1 and model.t_ == 4 * len(X)
    assert len(model.loss_curve_) == 4


def raise_error(result):
    raise RuntimeError("fault in the middle of an epoch")


@pytest.mark.parametrize(
    "params, k",
    [
        ({}, 2),
        ({"early_stopping": True}, 2),
        ({"solver": "sgd"}, 2),
        # In the third epoch of a warm-started fit (4 batches per epoch),
        # after two epochs were recorded, early stopping's best weights too.
        ({"warm_start": True}, 10),
        ({"warm_start": True, "early_stopping": True}, 8),
    ],
    ids=repr,
)
def test_an_error_midway_leaves_training_state_as_it_was(
    classification, monkeypatch, params, k
):
    """The optimizer's moments and step count and the history (loss curve,
    early stopping's best weights) go back with the weights: the next call
    trains exactly as if the failed one had never happened."""
    X, y = classification
    kw = dict(hidden_layer_sizes=(16,), batch_size=50, random_state=0, **params)
    continues = "warm_start" not in params
    clean, failed = (FFNNClassifier(max_iter=3, **kw) for _ in range(2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for model in (clean, failed):
            model.fit(X, y)
        calls = fail_at_call(monkeypatch, k, raise_error)
        with pytest.raises(RuntimeError, match="fault in the middle"):
            failed.partial_fit(X, y) if continues else failed.fit(X, y)
        assert calls["n"] == k
        monkeypatch.undo()
        for model in (clean, failed):
            model.partial_fit(X, y) if continues else model.fit(X, y)
    assert_same_weights(failed, clean)
    assert failed.loss_curve_ == clean.loss_curve_
    assert failed.t_ == clean.t_ and failed.n_iter_ == clean.n_iter_
    assert failed.validation_scores_ == clean.validation_scores_


def test_interrupt_with_early_stopping_keeps_the_best_weights(
    classification, monkeypatch
):
    X, y = classification
    kw = dict(hidden_layer_sizes=(16,), early_stopping=True, random_state=0)
    best_of_five = FFNNClassifier(max_iter=5, **kw)
    with pytest.warns(ConvergenceWarning, match="Maximum iterations"):
        best_of_five.fit(X, y)

    fail_at_call(monkeypatch, 6, raise_interrupt)  # one batch per epoch
    model = FFNNClassifier(max_iter=100, **kw)
    with pytest.warns(UserWarning, match="Training interrupted by user"):
        model.fit(X, y)

    assert model.validation_scores_ == best_of_five.validation_scores_
    assert_same_weights(model, best_of_five)


def test_ctrl_c_stops_after_the_current_batch(
    classification, monkeypatch, python_sigint_handler
):
    """A SIGINT during batch k lets batch k finish its update, then stops."""
    X, y = classification
    kw = dict(hidden_layer_sizes=(16,), batch_size=20, max_iter=50, random_state=0)
    k = 13

    fail_at_call(monkeypatch, k, send_sigint())
    by_signal = FFNNClassifier(**kw)
    with pytest.warns(UserWarning, match="Training interrupted by user after 1"):
        by_signal.fit(X, y)
    # The handler is Python's again once fit returns.
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler

    # The same model as one stopped right before batch k + 1 updates.
    fail_at_call(monkeypatch, k + 1, raise_interrupt)
    before_next = FFNNClassifier(**kw)
    with pytest.warns(UserWarning, match="Training interrupted"):
        before_next.fit(X, y)
    assert_same_weights(by_signal, before_next)


def test_ctrl_c_during_lbfgs_keeps_the_lowest_loss_evaluated(
    classification, monkeypatch, python_sigint_handler
):
    """L-BFGS: a SIGINT during loss evaluation k stops after it (it raised).

    The model keeps the point of the lowest loss among the k evaluations.
    """
    import skffnn._training.lbfgs as lbfgs
    from skffnn._network import Parameters

    X, y = classification
    real, evaluated, k = lbfgs.loss_and_gradient, [], 7

    def evaluate_then_interrupt(params, *args):
        loss = real(params, *args)
        evaluated.append((loss, params.theta.copy()))
        if len(evaluated) == k:
            os.kill(os.getpid(), signal.SIGINT)
        return loss

    monkeypatch.setattr(lbfgs, "loss_and_gradient", evaluate_then_interrupt)
    model = FFNNClassifier(hidden_layer_sizes=(16,), solver="lbfgs", random_state=0)
    with pytest.warns(UserWarning, match="interrupted by user after .* L-BFGS"):
        model.fit(X, y)
    assert len(evaluated) == k
    loss, theta = min(evaluated, key=lambda pair: pair[0])
    assert model.loss_ == loss < evaluated[0][0]
    kept = Parameters.from_layers(model.coefs_, model.intercepts_, np.float64)
    np.testing.assert_array_equal(kept.theta, theta)
    assert model.score(X, y) > 0.6


def test_a_second_ctrl_c_raises_and_leaves_the_estimator_as_it_was(
    classification, monkeypatch, python_sigint_handler
):
    """Pressed twice in one fit: KeyboardInterrupt, the earlier model kept."""
    X, y = classification
    kw = dict(hidden_layer_sizes=(16,), batch_size=50, max_iter=5, random_state=0)
    with pytest.warns(ConvergenceWarning):
        model = FFNNClassifier(warm_start=True, **kw).fit(X, y)
    before = pickle.dumps(model)
    fail_at_call(monkeypatch, 3, send_sigint(times=2))
    with pytest.raises(KeyboardInterrupt):
        model.fit(X, y)
    assert pickle.dumps(model) == before

    fresh = FFNNClassifier(**kw)
    monkeypatch.setattr(interrupts, "_last_request", [-float("inf")])
    fail_at_call(monkeypatch, 3, send_sigint(times=2))
    with pytest.raises(KeyboardInterrupt):
        fresh.fit(X, y)
    assert not hasattr(fresh, "coefs_")


def test_a_second_ctrl_c_soon_after_stops_the_next_fit_of_a_loop(
    classification, monkeypatch, python_sigint_handler
):
    """Cross-validation, a stream: the first press ends one fit within a step,
    so a second press lands in the next fit, and stops it at once."""
    X, y = classification
    kw = dict(hidden_layer_sizes=(16,), batch_size=50, random_state=0)
    model = FFNNClassifier(**kw)
    fail_at_call(monkeypatch, 2, send_sigint())
    with pytest.warns(UserWarning, match="Pressing Ctrl\\+C twice stops at once"):
        model.partial_fit(X, y, classes=[0, 1])
    before = pickle.dumps(model)
    fail_at_call(monkeypatch, 2, send_sigint())
    with pytest.raises(KeyboardInterrupt):
        model.partial_fit(X, y)
    assert pickle.dumps(model) == before

    # Long after the first press, a press is a first one again.
    interrupts._last_request[0] -= 2 * interrupts.SECOND_PRESS_SECONDS
    fail_at_call(monkeypatch, 2, send_sigint())
    with pytest.warns(UserWarning, match="Training interrupted by user after 0"):
        model.partial_fit(X, y)


def test_ctrl_c_after_the_last_step_is_not_lost(
    classification, monkeypatch, python_sigint_handler
):
    """Pressed while the last epoch is validated: no step follows to see the
    request, which the fit honours all the same."""
    X, y = classification
    real = stochastic.count_no_improvement
    epochs = {"n": 0}

    def press_while_validating(*args):
        epochs["n"] += 1
        if epochs["n"] == 3:
            os.kill(os.getpid(), signal.SIGINT)
        return real(*args)

    monkeypatch.setattr(stochastic, "count_no_improvement", press_while_validating)
    model = FFNNClassifier(hidden_layer_sizes=(16,), max_iter=3, random_state=0)
    with (
        pytest.warns(UserWarning, match="interrupted by user after 3 complete"),
        pytest.warns(ConvergenceWarning, match="Maximum iterations"),
    ):
        model.fit(X, y)
    assert model.n_iter_ == 3

    # Earlier in a fit, the request stops it before the next epoch begins.
    epochs["n"] = 1
    interrupts._last_request[0] = -float("inf")
    model = FFNNClassifier(hidden_layer_sizes=(16,), max_iter=5, random_state=0)
    with pytest.warns(UserWarning, match="interrupted by user after 2 complete"):
        model.fit(X, y)


def test_ctrl_c_while_a_fit_ends_lets_it_finish(
    classification, monkeypatch, python_sigint_handler
):
    """Pressed while early stopping's best weights are checked and restored:
    the handler was Python's again there, and the KeyboardInterrupt threw
    the whole fit away."""
    X, y = classification
    real = stochastic.check_best_is_finite

    def press_then_check(history):
        os.kill(os.getpid(), signal.SIGINT)
        return real(history)

    monkeypatch.setattr(stochastic, "check_best_is_finite", press_then_check)
    kw = dict(hidden_layer_sizes=(16,), early_stopping=True, random_state=0)
    model = FFNNClassifier(max_iter=4, **kw)
    with (
        pytest.warns(UserWarning, match="interrupted by user after 4 complete"),
        pytest.warns(ConvergenceWarning, match="Maximum iterations"),
    ):
        model.fit(X, y)
    monkeypatch.undo()
    with pytest.warns(ConvergenceWarning, match="Maximum iterations"):
        same = FFNNClassifier(max_iter=4, **kw).fit(X, y)
    assert_same_weights(model, same)


def test_ctrl_c_after_the_last_lbfgs_evaluation_is_not_lost(
    classification, monkeypatch, python_sigint_handler
):
    import skffnn._training.lbfgs as lbfgs

    X, y = classification
    kw = dict(hidden_layer_sizes=(16,), solver="lbfgs", max_iter=3, random_state=0)
    real, evaluations = lbfgs.loss_and_gradient, []

    def count(*args):
        evaluations.append(None)
        return real(*args)

    monkeypatch.setattr(lbfgs, "loss_and_gradient", count)
    with pytest.warns(ConvergenceWarning):
        FFNNClassifier(**kw).fit(X, y)
    last = len(evaluations)

    def press_at_the_last(*args):
        loss = count(*args)
        if len(evaluations) == 2 * last:
            os.kill(os.getpid(), signal.SIGINT)
        return loss

    monkeypatch.setattr(lbfgs, "loss_and_gradient", press_at_the_last)
    with pytest.warns(UserWarning, match="interrupted by user after 3 L-BFGS"):
        FFNNClassifier(**kw).fit(X, y)
    assert len(evaluations) == 2 * last


def test_interrupt_before_the_first_validation_keeps_the_trained_weights(
    classification, monkeypatch
):
    """Early stopping has validated no epoch yet: its "best" weights are the
    initial ones, which the batches trained so far improve on."""
    X, y = classification
    kw = dict(hidden_layer_sizes=(16,), early_stopping=True, batch_size=20)
    models = []
    for k in (1, 4):  # before the first step; after three
        fail_at_call(monkeypatch, k, raise_interrupt)
        model = FFNNClassifier(random_state=0, **kw)
        with pytest.warns(UserWarning, match="keeps the weights reached so far"):
            models.append(model.fit(X, y))
    initial, trained = models
    assert trained.n_iter_ == 0 and trained.loss_curve_ == []
    assert not np.array_equal(trained.coefs_[0], initial.coefs_[0])


# -- determinism --------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        dict(solver="adam"),
        dict(solver="sgd", early_stopping=True),
        dict(solver="lbfgs"),
        dict(solver="adam", dtype="float32"),
    ],
    ids=["adam", "sgd-early-stopping", "lbfgs", "adam-float32"],
)
def test_same_random_state_gives_bit_identical_weights(classification, params):
    X, y = classification
    kw = dict(hidden_layer_sizes=(16, 8), max_iter=20, **params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        a = FFNNClassifier(random_state=3, **kw).fit(X, y)
        b = FFNNClassifier(random_state=3, **kw).fit(X, y)
        c = FFNNClassifier(random_state=4, **kw).fit(X, y)
    assert_same_weights(a, b)
    assert not np.array_equal(a.coefs_[0], c.coefs_[0])


# -- numerical safety ---------------------------------------------------


def linear_model(Estimator, X, y, W, b, **params):
    """A network without hidden layer whose output pre-activation is X W + b."""
    model = Estimator(hidden_layer_sizes=(), max_iter=1, random_state=0, **params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    model.coefs_ = [np.asarray(W, dtype=float)]
    model.intercepts_ = [np.asarray(b, dtype=float)]
    return model


# Rows whose output pre-activations are +1e4 and -1e4.
X_PM = np.array([[1.0], [-1.0], [1.0], [-1.0]])


@pytest.mark.parametrize(
    "y, W, b",
    [
        (np.array([0, 1, 0, 1]), [[1e4]], [0.0]),  # binary: sigmoid
        (np.array([0, 1, 2, 0]), [[1e4, -1e4, 0.0]], [0.0, 0.0, 0.0]),  # softmax
        (np.array([[1, 0], [0, 1], [1, 1], [0, 0]]), [[1e4, -1e4]], [0.0, 0.0]),
    ],
    ids=["sigmoid", "softmax", "multilabel"],
)
def test_classifier_outputs_are_stable_at_logits_of_1e4(y, W, b):
    model = linear_model(FFNNClassifier, X_PM, y, W, b, solver="sgd")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # overflow or divide-by-zero warnings
        proba = model.predict_proba(X_PM)
        log_proba = model.predict_log_proba(X_PM)
        labels = model.predict(X_PM)
        # One sgd step on these logits: the loss is large but finite.
        model.set_params(learning_rate_init=1e-12)
        model.partial_fit(X_PM, y)
    assert np.isfinite(proba).all() and set(np.unique(proba)) <= {0.0, 0.5, 1.0}
    # log(predict_proba), as scikit-learn's checks require: log 0 = -inf.
    assert (log_proba[proba == 0] == -np.inf).all()
    np.testing.assert_array_equal(log_proba[proba > 0], np.log(proba[proba > 0]))
    assert len(labels) == len(X_PM)
    assert np.isfinite(model.loss_) and model.loss_ > 1e3


def test_exp_output_is_stable_at_logits_of_minus_1e4_and_refuses_plus_1e4():
    y = np.array([0.0, 1.0, 2.0, 3.0])
    model = linear_model(FFNNRegressor, X_PM, y, [[1e4]], [0.0], loss="poisson")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert model.predict(X_PM[1::2]).tolist() == [0.0, 0.0]  # e^-1e4
        # e^1e4 is beyond float64: an error, not inf.
        with pytest.raises(ValueError, match="overflows float64"):
            model.predict(X_PM)


def test_float32_training_on_standardized_data_stays_finite():
    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    model = FFNNClassifier(hidden_layer_sizes=(64,), max_iter=30, dtype="float32")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("error", RuntimeWarning)
        model.fit(X, y)
    assert np.isfinite(model.loss_curve_).all() and all_finite(model)
    assert model.score(X, y) > 0.95


def test_regressor_score_of_huge_targets_does_not_overflow():
    """R^2 is scale-free: squares of |y| ~ 1e154 must not overflow float64."""
    from sklearn.metrics import r2_score

    from skffnn import FFNNRegressor

    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 2))
    model = FFNNRegressor(hidden_layer_sizes=(), solver="lbfgs").fit(X, X[:, 0])
    y = (X[:, 0] + 0.1 * rng.normal(size=40)) * 1e154
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        score = model.score(X, y)
    expected = r2_score(y / 1e154, model.predict(X) / 1e154)
    assert score == pytest.approx(expected, rel=1e-9)
    assert model.score(X, y[:, None]) == pytest.approx(expected, rel=1e-9)
    # Outputs of far apart scales are rescaled one by one: with one factor
    # for both, the small output's squares underflowed to 0 and it counted
    # as a perfect R^2 of 1.
    Y = np.column_stack([X[:, 0], X[:, 1]])
    both = FFNNRegressor(hidden_layer_sizes=(), solver="lbfgs").fit(X, Y)
    Y_test = np.column_stack([y * 1e46, X[:, 1] + rng.normal(size=40)])
    per_output = [
        r2_score(Y_test[:, 0] / 1e200, both.predict(X)[:, 0] / 1e200),
        r2_score(Y_test[:, 1], both.predict(X)[:, 1]),
    ]
    assert both.score(X, Y_test) == pytest.approx(np.mean(per_output), rel=1e-9)
