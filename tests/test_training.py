"""Training behaviour: solvers, early stopping, partial_fit, inputs, targets."""

import io
from contextlib import redirect_stdout

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import load_digits, make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelBinarizer

from skffnn import FFNNClassifier, FFNNRegressor

pytestmark = pytest.mark.usefixtures("quiet_convergence")


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return train_test_split(X / 16.0, y, random_state=0)


def test_partial_fit_over_chunks_reaches_fit_accuracy(digits):
    X_train, X_test, y_train, y_test = digits
    full = FFNNClassifier(max_iter=30, random_state=0).fit(X_train, y_train)
    stream = FFNNClassifier(random_state=0)
    classes = np.unique(y_train)
    rng = np.random.RandomState(0)
    for _ in range(30):
        order = rng.permutation(len(X_train))
        for chunk in np.array_split(order, 5):
            stream.partial_fit(X_train[chunk], y_train[chunk], classes=classes)
    assert stream.score(X_test, y_test) >= full.score(X_test, y_test) - 0.02
    assert stream.t_ == 30 * len(X_train)


def test_partial_fit_epochs_equal_fit_epochs():
    """k calls of partial_fit continue the optimizer exactly like k epochs of fit."""
    X, y = make_regression(n_samples=300, n_features=5, noise=1.0, random_state=0)
    y = y / y.std()
    kw = dict(
        hidden_layer_sizes=(20,),
        batch_size=64,
        shuffle=False,
        n_iter_no_change=np.inf,
        random_state=0,
        dtype="float64",
    )
    fitted = FFNNRegressor(max_iter=20, **kw).fit(X, y)
    streamed = FFNNRegressor(**kw)
    for _ in range(20):
        streamed.partial_fit(X, y)
    np.testing.assert_allclose(streamed.loss_curve_, fitted.loss_curve_, rtol=1e-12)
    for a, b in zip(streamed.coefs_, fitted.coefs_):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    assert streamed.loss_curve_[-1] < 0.5 * streamed.loss_curve_[0]


# Early stopping that stops well before max_iter on digits, in float64.
EARLY_STOPPING = dict(
    early_stopping=True,
    n_iter_no_change=3,
    learning_rate_init=0.02,
    max_iter=200,
    random_state=0,
    dtype="float64",
)


def test_early_stopping_restores_the_best_weights(digits):
    X_train, _, y_train, _ = digits
    kw = EARLY_STOPPING
    stopped = FFNNClassifier(**kw).fit(X_train, y_train)
    scores = stopped.validation_scores_
    best_epoch = int(np.argmax(scores)) + 1
    assert stopped.best_validation_score_ == max(scores)
    assert best_epoch < stopped.n_iter_  # training went past the best epoch
    # The same run cut at the best epoch ends with those weights.
    at_best = FFNNClassifier(**{**kw, "max_iter": best_epoch}).fit(X_train, y_train)
    for kept, best in zip(stopped.coefs_, at_best.coefs_):
        np.testing.assert_array_equal(kept, best)


def test_warm_start_turning_early_stopping_on_keeps_the_best_weights(digits):
    # The stopping rule of the first call used to stay: after a partial_fit
    # (or a fit without early stopping), a warm-started fit with
    # early_stopping=True scored a held-out split but ran all max_iter
    # epochs on the training loss and kept the last weights.
    X_train, _, y_train, _ = digits
    kw = dict(EARLY_STOPPING, warm_start=True)

    def after_partial_fit(**params):
        model = FFNNClassifier(**{**kw, **params})
        return model.partial_fit(X_train, y_train, classes=np.arange(10))

    stopped = after_partial_fit().fit(X_train, y_train)
    scores = stopped.validation_scores_
    assert len(scores) == stopped.n_iter_ < 100  # this fit: n_iter_ counts per call
    assert stopped.best_validation_score_ == max(scores)
    assert stopped.best_loss_ is None
    best_epoch = int(np.argmax(scores)) + 1
    at_best = after_partial_fit(max_iter=best_epoch).fit(X_train, y_train)
    for kept, best in zip(stopped.coefs_, at_best.coefs_):
        np.testing.assert_array_equal(kept, best)
    # And off again: the training loss decides, from a fresh best.
    stopped.set_params(early_stopping=False, max_iter=5).fit(X_train, y_train)
    assert stopped.best_validation_score_ is None
    assert stopped.best_loss_ == min(stopped.loss_curve_[-5:])


def test_a_failed_warm_start_leaves_the_stopping_rule_as_it_was(digits, monkeypatch):
    import skffnn._base

    X_train, _, y_train, _ = digits
    model = FFNNClassifier((8,), max_iter=3, warm_start=True, random_state=0)
    model.fit(X_train, y_train)
    best_loss = model.best_loss_

    def fail(*args, **kwargs):
        raise RuntimeError("fault")

    model.set_params(early_stopping=True)
    for name in ["_epoch_hooks", "run_epochs"]:  # before and inside the try
        with monkeypatch.context() as patch:
            where = FFNNClassifier if name == "_epoch_hooks" else skffnn._base
            patch.setattr(where, name, fail)
            with pytest.raises(RuntimeError, match="fault"):
                model.fit(X_train, y_train)
        assert model._history.early_stopping is False, name
        assert model._history.best_loss == best_loss, name
        assert model._history.validation_scores is None, name


def test_early_stopping_split_is_stratified():
    X, y = make_classification(
        n_samples=400, weights=[0.9, 0.1], random_state=0, n_informative=3
    )
    model = FFNNClassifier(
        hidden_layer_sizes=(5,), early_stopping=True, max_iter=3, random_state=0
    ).fit(X, y)
    assert len(model.validation_scores_) == model.n_iter_
    assert model.best_loss_ is None


def test_plateau_stops_training():
    X, y = make_classification(n_samples=200, random_state=0)
    model = FFNNClassifier(
        hidden_layer_sizes=(5,), tol=10.0, n_iter_no_change=3, random_state=0
    ).fit(X, y)
    # Epoch 1 sets the best loss; epochs 2-5 stall, and the 4th stalled
    # epoch exceeds n_iter_no_change=3.
    assert model.n_iter_ == 5


def test_adaptive_learning_rate_divides_by_five():
    X, y = make_classification(n_samples=200, random_state=0)
    model = FFNNClassifier(
        hidden_layer_sizes=(5,),
        solver="sgd",
        learning_rate="adaptive",
        learning_rate_init=0.1,
        tol=10.0,
        n_iter_no_change=1,
        max_iter=6,
        random_state=0,
    ).fit(X, y)
    # Epoch 1 sets the best loss; then every 2nd stalled epoch exceeds
    # n_iter_no_change=1 (epochs 3 and 5): 2 divisions by 5.
    assert model._optimizer.rule.learning_rate == pytest.approx(0.1 / 5**2)


def test_invscaling_learning_rate():
    X, y = make_classification(n_samples=100, random_state=0)
    model = FFNNClassifier(
        hidden_layer_sizes=(5,),
        solver="sgd",
        learning_rate="invscaling",
        learning_rate_init=0.5,
        power_t=0.25,
        max_iter=3,
        random_state=0,
    ).fit(X, y)
    assert model._optimizer.rule.learning_rate == pytest.approx(0.5 / 301**0.25)


def test_max_fun_is_honoured():
    X, y = make_classification(n_samples=200, random_state=0)
    with pytest.warns(ConvergenceWarning, match="lbfgs failed to converge"):
        model = FFNNClassifier(solver="lbfgs", max_fun=10, random_state=0).fit(X, y)
    assert model.n_iter_ <= 10


def test_warm_start_continues_from_previous_weights():
    X, y = make_classification(n_samples=200, random_state=0)
    model = FFNNClassifier(
        hidden_layer_sizes=(5,), max_iter=5, warm_start=True, random_state=0
    ).fit(X, y)
    first = [W.copy() for W in model.coefs_]
    loss_after_first = model.loss_curve_[-1]
    model.fit(X, y)
    assert len(model.loss_curve_) == 10
    assert model.loss_curve_[5] < model.loss_curve_[0]
    assert model.loss_ < loss_after_first
    assert not np.allclose(first[0], model.coefs_[0])
    cold = FFNNClassifier(hidden_layer_sizes=(5,), max_iter=5, random_state=0)
    np.testing.assert_array_equal(cold.fit(X, y).coefs_[0], first[0])


def test_verbose_prints_one_line_per_epoch():
    X, y = make_classification(n_samples=100, random_state=0)
    out = io.StringIO()
    with redirect_stdout(out):
        FFNNClassifier(hidden_layer_sizes=(5,), max_iter=7, verbose=True).fit(X, y)
    lines = [l for l in out.getvalue().splitlines() if l.startswith("Iteration")]
    assert len(lines) == 7
    assert lines[0].startswith("Iteration 1, loss = ")


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_and_dense_input_give_the_same_model(solver, fmt):
    rng = np.random.RandomState(0)
    X = rng.binomial(1, 0.2, size=(120, 30)) * rng.normal(size=(120, 30))
    y = (X[:, :5].sum(axis=1) > 0).astype(int)
    kw = dict(hidden_layer_sizes=(10,), solver=solver, max_iter=20, random_state=0)
    dense = FFNNClassifier(dtype="float64", **kw).fit(X, y)
    sparse = FFNNClassifier(dtype="float64", **kw).fit(
        sp.csr_matrix(X).asformat(fmt), y
    )
    for a, b in zip(
        dense.coefs_ + dense.intercepts_, sparse.coefs_ + sparse.intercepts_
    ):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(
        dense.predict_proba(X), sparse.predict_proba(sp.csc_matrix(X)), rtol=1e-10
    )


def test_multilabel_classification():
    X, Y = make_classification(n_samples=300, random_state=0), None
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 4))
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0, X[:, 0] + X[:, 1] > 0]).astype(int)
    model = FFNNClassifier(hidden_layer_sizes=(20,), solver="lbfgs", random_state=0)
    model.fit(X, Y)
    assert model.out_activation_ == "logistic"
    assert model.predict(X).shape == (300, 3)
    assert model.predict_proba(X).shape == (300, 3)
    assert model.score(X, Y) > 0.9


def test_multiclass_probabilities():
    X, y = make_classification(
        n_samples=300, n_classes=4, n_informative=4, random_state=0
    )
    labels = np.array(["a", "b", "c", "d"])[y]
    model = FFNNClassifier(hidden_layer_sizes=(10,), random_state=0).fit(X, labels)
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.classes_, ["a", "b", "c", "d"])
    np.testing.assert_array_equal(
        model.predict(X), model.classes_[proba.argmax(axis=1)]
    )
    np.testing.assert_allclose(model.predict_log_proba(X), np.log(proba))
    assert model.out_activation_ == "softmax"


@pytest.mark.parametrize(
    "y, classes",
    [
        (np.arange(40) % 3, [0, 1, 2]),
        (np.arange(40) % 3, [0, 1, 2, 7]),  # a chunk without some classes
        (np.arange(40) % 2, [0, 1]),
        (np.zeros(40, int), [0, 1]),  # binary, one class in the chunk
        ((np.arange(40) % 3).astype(float), [0, 1, 2]),
        (np.array(list("cab") * 13 + ["c"]), ["a", "b", "c"]),
        (np.array([-1, 1] * 20), [-1, 1]),
    ],
    ids=repr,
)
def test_targets_are_label_binarizers_indicators(y, classes):
    """The classifier encodes labels itself; LabelBinarizer is the reference."""
    X = np.random.default_rng(0).normal(size=(40, 3))
    model = FFNNClassifier(hidden_layer_sizes=(3,)).partial_fit(X, y, classes=classes)
    expected = LabelBinarizer().fit(classes).transform(y).astype(np.float64)
    Y = model._indicators(y)
    assert Y.dtype == np.float64
    np.testing.assert_array_equal(Y, expected)


def test_multi_output_regression():
    X, Y = make_regression(n_samples=200, n_features=4, n_targets=3, random_state=0)
    model = FFNNRegressor(hidden_layer_sizes=(), solver="lbfgs", alpha=0.0, tol=1e-10)
    model.fit(X, Y / 100)
    assert model.n_outputs_ == 3
    assert model.predict(X).shape == (200, 3)
    assert model.score(X, Y / 100) > 0.999


def test_pandas_dataframe_keeps_feature_names():
    pd = pytest.importorskip("pandas")
    X, y = make_classification(n_samples=100, n_features=4, random_state=0)
    frame = pd.DataFrame(X, columns=["w", "x", "y", "z"])
    model = FFNNClassifier(hidden_layer_sizes=(5,), max_iter=20).fit(frame, y)
    np.testing.assert_array_equal(model.feature_names_in_, ["w", "x", "y", "z"])
    assert model.predict(frame).shape == (100,)
    with pytest.warns(UserWarning, match="feature names"):
        model.predict(X)


def test_sample_weight_in_fit_partial_fit_and_score():
    X, y = make_classification(n_samples=200, random_state=0)
    w = np.where(y == 1, 5.0, 1.0)
    model = FFNNClassifier(hidden_layer_sizes=(5,), max_iter=50, random_state=0)
    weighted = model.fit(X, y, sample_weight=w)
    assert weighted.score(X, y, sample_weight=w) != weighted.score(X, y)
    model.partial_fit(X, y, sample_weight=w)
    zero = FFNNClassifier(hidden_layer_sizes=(5,), max_iter=50, random_state=0)
    # A weight of 0 removes a sample: equal to fitting without it (lbfgs).
    kw = dict(hidden_layer_sizes=(5,), solver="lbfgs", random_state=0, dtype="float64")
    w0 = np.ones(200)
    w0[:50] = 0
    a = FFNNClassifier(**kw).fit(X, y, sample_weight=w0)
    b = FFNNClassifier(**kw).fit(X[50:], y[50:])
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X), rtol=1e-6)
    assert zero.get_params()["hidden_layer_sizes"] == (5,)


def test_lbfgs_has_no_partial_fit():
    model = FFNNClassifier(solver="lbfgs")
    assert not hasattr(model, "partial_fit")
    with pytest.raises(AttributeError, match="partial_fit") as error:
        model.partial_fit(np.zeros((2, 2)), [0, 1])
    assert "lbfgs is not stochastic" in str(error.value.__cause__)


@pytest.mark.parametrize("warm_start", [False, True])
def test_an_lbfgs_fit_leaves_nothing_of_an_earlier_stochastic_fit(digits, warm_start):
    # The curves and bests of the adam fit stayed beside the lbfgs weights
    # (loss_curve_[-1] != loss_), and a partial_fit after a warm-started
    # lbfgs fit went on from Adam's moments and samples count of before it.
    X_train, _, y_train, _ = digits
    fresh = FFNNClassifier((8,), solver="lbfgs", max_iter=20, random_state=0)
    fresh.fit(X_train, y_train)
    model = FFNNClassifier((8,), max_iter=5, early_stopping=True, random_state=0)
    model.fit(X_train, y_train)
    model.set_params(solver="lbfgs", max_iter=20, warm_start=warm_start)
    model.fit(X_train, y_train)
    for name in ["loss_curve_", "best_loss_", "validation_scores_"]:
        assert not hasattr(fresh, name)
        assert not hasattr(model, name), name
    assert not hasattr(model, "validation_loss_curve_")
    assert not hasattr(model, "best_validation_score_")
    model.set_params(solver="adam").partial_fit(X_train, y_train)
    assert model.t_ == len(y_train)
    assert len(model.loss_curve_) == 1


def test_auto_dtype_picks_float32_for_large_epochs():
    X = np.random.RandomState(0).normal(size=(2000, 100))
    y = (X[:, 0] > 0).astype(int)
    model = FFNNClassifier(hidden_layer_sizes=(512,), max_iter=1)
    assert model._compute_dtype(X, [100, 512, 1]) == np.float32
    assert model._compute_dtype(X[:100], [100, 512, 1]) == np.float64
    assert model._compute_dtype(X.astype(np.float32)[:100], [100, 5, 1]) == np.float32
    lbfgs = FFNNClassifier(solver="lbfgs")
    assert lbfgs._compute_dtype(X.astype(np.float32), [100, 512, 1]) == np.float64
    model.fit(X, y)
    assert model._dtype == np.float32
    assert model.coefs_[0].dtype == np.float64  # stored for float64 predictions


def test_float32_training_is_as_accurate_as_float64(digits):
    X_train, X_test, y_train, y_test = digits
    s64 = FFNNClassifier(random_state=0, dtype="float64").fit(X_train, y_train)
    s32 = FFNNClassifier(random_state=0, dtype="float32").fit(X_train, y_train)
    assert abs(s64.score(X_test, y_test) - s32.score(X_test, y_test)) <= 0.01


def test_predictions_do_not_depend_on_batching():
    X, y = make_classification(n_samples=300, random_state=0)
    model = FFNNClassifier(hidden_layer_sizes=(30,), dtype="float32", random_state=0)
    proba = model.fit(X, y).predict_proba(X)
    one_by_one = np.vstack([model.predict_proba(X[i : i + 1]) for i in range(300)])
    np.testing.assert_allclose(proba, one_by_one, rtol=0, atol=1e-12)


def test_predict_in_row_blocks_equals_whole_X(monkeypatch):
    """predict propagates a dense X in blocks of PREDICT_BLOCK rows.

    Blocks of 7 rows (the last one short) give the outputs of one block of
    all 300 rows, for predict_proba, predict and transform alike.
    """
    from skffnn._network import propagation

    X, y = make_classification(n_samples=300, random_state=0)
    model = FFNNClassifier(hidden_layer_sizes=(30, 20), random_state=0).fit(X, y)
    outputs = []
    for block in (1000, 7):
        monkeypatch.setattr(propagation, "PREDICT_BLOCK", block)
        outputs.append(
            (model.predict_proba(X), model.predict(X), model.transform(X, layer=1))
        )
    (proba, labels, hidden), (proba_7, labels_7, hidden_7) = outputs
    np.testing.assert_allclose(proba_7, proba, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(labels_7, labels)
    np.testing.assert_allclose(hidden_7, hidden, rtol=0, atol=1e-12)
    assert hidden.shape == (300, 30)


@pytest.mark.parametrize(
    "params",
    [
        {"solver": "adam"},
        {"solver": "sgd", "nesterovs_momentum": False},
        {"solver": "adamw"},
        {"solver": "rmsprop"},
        {"solver": "adam", "max_grad_norm": 0.05},
    ],
    ids=["adam", "sgd", "adamw", "rmsprop", "adam-clipped"],
)
def test_update_part_by_part_trains_like_one_part(params, monkeypatch):
    """The penalty and optimizer run on cache-sized parts of theta
    (batch_step.PART_BYTES): any cut gives the same weights, bit for bit.

    37-entry parts cut through every layer's weights and biases (and
    through the weights/biases boundary, where the penalty stops); with
    clipping the penalty is added whole before the update instead.
    """
    from skffnn._training import batch_step

    X, y = make_classification(n_samples=120, n_features=6, random_state=0)
    kw = dict(hidden_layer_sizes=(9, 7), alpha=0.05, max_iter=4, random_state=0)
    fitted = []
    for part_bytes in (1 << 40, 37 * 8):
        monkeypatch.setattr(batch_step, "PART_BYTES", part_bytes)
        with pytest.warns(ConvergenceWarning):
            fitted.append(FFNNClassifier(**kw, **params).fit(X, y))
    one, many = fitted
    for a, b in zip(one.coefs_ + one.intercepts_, many.coefs_ + many.intercepts_):
        np.testing.assert_array_equal(a, b)
    # The penalty's share of the loss is summed part by part.
    np.testing.assert_allclose(one.loss_curve_, many.loss_curve_, rtol=1e-13)


def test_penalty_by_parts_equals_the_penalty_in_backward(monkeypatch):
    """The batch step adds the L2 penalty part by part with the optimizer;
    with gradient clipping, backward adds it whole (clipping needs the whole
    gradient). A clipping threshold never reached must change nothing."""
    from skffnn._training import batch_step

    monkeypatch.setattr(batch_step, "PART_BYTES", 37 * 8)
    X, y = make_classification(n_samples=120, n_features=6, random_state=0)
    kw = dict(hidden_layer_sizes=(9, 7), alpha=0.5, max_iter=4, random_state=0)
    with pytest.warns(ConvergenceWarning):
        by_parts = FFNNClassifier(**kw).fit(X, y)
    with pytest.warns(ConvergenceWarning):
        in_backward = FFNNClassifier(**kw, max_grad_norm=1e30).fit(X, y)
    for a, b in zip(
        by_parts.coefs_ + by_parts.intercepts_,
        in_backward.coefs_ + in_backward.intercepts_,
    ):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(
        by_parts.loss_curve_, in_backward.loss_curve_, rtol=1e-13
    )


def test_lbfgs_runs_scipys_own_blas_on_one_thread(monkeypatch):
    """L-BFGS-B's BLAS pool, when SciPy bundles its own, is limited to one
    thread during the fit (it otherwise spins beside NumPy's GEMMs); NumPy's
    pool keeps its threads, and everything is restored afterwards."""
    from threadpoolctl import threadpool_info

    from skffnn._training import blas_pools, lbfgs

    scipy_only = blas_pools._scipy_only_blas()
    if not scipy_only:
        pytest.skip("SciPy shares NumPy's BLAS library here: one pool only")
    if {lib.num_threads for lib in scipy_only.lib_controllers} == {1}:
        pytest.skip("SciPy's BLAS already runs one thread here")
    scipy_paths = {lib.filepath for lib in scipy_only.lib_controllers}

    def threads():
        return {pool["filepath"]: pool["num_threads"] for pool in threadpool_info()}

    before, seen = threads(), []
    real = lbfgs.loss_and_gradient

    def spy(*args):
        seen.append(threads())
        return real(*args)

    monkeypatch.setattr(lbfgs, "loss_and_gradient", spy)
    X, y = make_classification(n_samples=60, n_features=5, random_state=0)
    with pytest.warns(ConvergenceWarning):
        FFNNClassifier((4,), solver="lbfgs", max_iter=3).fit(X, y)
    assert seen
    for during in seen:
        assert {during[path] for path in scipy_paths} == {1}
        assert {p: n for p, n in during.items() if p not in scipy_paths} == {
            p: n for p, n in before.items() if p not in scipy_paths
        }
    assert threads() == before


@pytest.mark.parametrize("shuffle", [True, False])
@pytest.mark.parametrize("early_stopping", [False, True])
def test_float64_X_trained_in_float32_equals_X_cast_beforehand(shuffle, early_stopping):
    """Rows of a float64 X are cast as batches are gathered (in blocks of
    128 rows when shuffled; slices otherwise; through the early-stopping
    row map): the model is the one trained on X cast whole beforehand."""
    X, y = make_classification(n_samples=700, n_features=8, random_state=0)
    kw = dict(
        hidden_layer_sizes=(10,),
        dtype="float32",
        batch_size=300,
        max_iter=3,
        random_state=0,
        shuffle=shuffle,
        early_stopping=early_stopping,
    )
    with pytest.warns(ConvergenceWarning):
        from64 = FFNNClassifier(**kw).fit(X, y)
    with pytest.warns(ConvergenceWarning):
        from32 = FFNNClassifier(**kw).fit(X.astype(np.float32), y)
    for a, b in zip(
        from64.coefs_ + from64.intercepts_, from32.coefs_ + from32.intercepts_
    ):
        np.testing.assert_array_equal(a, b)
    assert from64.loss_curve_ == from32.loss_curve_


def test_overlapping_lbfgs_fits_restore_scipys_blas_threads():
    """Fits in several threads overlap: A enters, B enters, A leaves, B
    leaves. SciPy's pool stays at one thread until the last one leaves,
    then gets back the count found by the first (saving and restoring per
    fit would leave it at one thread for good)."""
    from skffnn._training import blas_pools

    scipy_only = blas_pools._scipy_only_blas()
    if not scipy_only:
        pytest.skip("SciPy shares NumPy's BLAS library here: one pool only")
    libs = scipy_only.lib_controllers
    original = [lib.num_threads for lib in libs]
    try:
        for lib in libs:
            lib.set_num_threads(2)
        a, b = (blas_pools.scipy_blas_single_threaded() for _ in range(2))
        a.__enter__()
        b.__enter__()
        assert [lib.num_threads for lib in libs] == [1] * len(libs)
        a.__exit__(None, None, None)
        assert [lib.num_threads for lib in libs] == [1] * len(libs)
        b.__exit__(None, None, None)
        assert [lib.num_threads for lib in libs] == [2] * len(libs)
    finally:
        for lib, n in zip(libs, original):
            lib.set_num_threads(n)
