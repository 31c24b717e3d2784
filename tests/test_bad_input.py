"""Bad input: each entry point raises ValueError or TypeError saying what is wrong.

One parametrized test per kind of bad input; each case asserts the exception
type and its message. Not covered here: the command line (tested with the
CLI).
"""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning, NotFittedError

from skffnn import FFNNClassifier, FFNNRegressor

SMALL = dict(hidden_layer_sizes=(4,), max_iter=3, random_state=0)
ESTIMATORS = [FFNNClassifier, FFNNRegressor]


pytestmark = pytest.mark.usefixtures("quiet_convergence")


@pytest.fixture(scope="module")
def X():
    return np.random.RandomState(0).normal(size=(30, 3))


def target(Estimator, n=30):
    if Estimator is FFNNClassifier:
        return np.arange(n) % 3
    return np.linspace(0.0, 1.0, n)


def with_value(value):
    def bad(X, y):
        X = X.copy()
        X[4, 1] = value
        return X, y

    return bad


def as_strings(X, y):
    return np.where(X > 0, "a", "b"), y


def object_with_string(X, y):
    X = X.astype(object)
    X[2, 0] = "3.5 kg"
    return X, y


def sparse_with_nan(X, y):
    X = sp.csr_matrix(X)
    X.data[3] = np.nan
    return X, y


# case: (make bad (X, y) from good ones, exception, message)
BAD_X = {
    "NaN": (with_value(np.nan), ValueError, "Input X contains NaN"),
    "inf": (with_value(np.inf), ValueError, "Input X contains infinity"),
    "-inf": (with_value(-np.inf), ValueError, "Input X contains infinity"),
    "sparse NaN": (sparse_with_nan, ValueError, "Input X contains NaN"),
    "empty": (lambda X, y: (X[:0], y[:0]), ValueError, r"0 sample\(s\)"),
    "no feature": (lambda X, y: (X[:, :0], y), ValueError, r"0 feature\(s\)"),
    "1-D": (lambda X, y: (X[:, 0], y), ValueError, "Expected 2D array, got 1D"),
    "3-D": (lambda X, y: (X[:, :, None], y), ValueError, "dim 3"),
    "strings": (as_strings, ValueError, "could not convert string to float"),
    "object": (object_with_string, ValueError, "could not convert string"),
    "complex": (lambda X, y: (X + 1j, y), ValueError, "Complex data not supported"),
    "too few y": (lambda X, y: (X, y[:-1]), ValueError, "inconsistent numbers"),
}


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize("case", BAD_X)
def test_fit_rejects_bad_X(Estimator, case, X):
    make_bad, error, match = BAD_X[case]
    X_bad, y_bad = make_bad(X, target(Estimator))
    with pytest.raises(error, match=match):
        Estimator(**SMALL).fit(X_bad, y_bad)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize("case", BAD_X)
def test_partial_fit_rejects_bad_X(Estimator, case, X):
    make_bad, error, match = BAD_X[case]
    y = target(Estimator)
    X_bad, y_bad = make_bad(X, y)
    kw = {"classes": np.unique(y)} if Estimator is FFNNClassifier else {}
    model = Estimator(**SMALL)
    with pytest.raises(error, match=match):
        model.partial_fit(X_bad, y_bad, **kw)
    # A failed first call leaves no half-fitted model behind.
    with pytest.raises(NotFittedError):
        model.predict(X)


PREDICT_BAD_X = {
    **{k: v for k, v in BAD_X.items() if k != "too few y"},
    "wrong n_features": (
        lambda X, y: (X[:, :2], y),
        ValueError,
        "X has 2 features, but .* is expecting 3 features",
    ),
}


def fitted(Estimator, X):
    return Estimator(**SMALL).fit(X, target(Estimator))


METHODS = [
    (FFNNClassifier, "predict"),
    (FFNNClassifier, "predict_proba"),
    (FFNNClassifier, "predict_log_proba"),
    (FFNNClassifier, "score"),
    (FFNNClassifier, "transform"),
    (FFNNRegressor, "predict"),
    (FFNNRegressor, "score"),
    (FFNNRegressor, "transform"),
]


@pytest.mark.parametrize("Estimator, method", METHODS)
@pytest.mark.parametrize("case", PREDICT_BAD_X)
@pytest.mark.parametrize("dot_min_size", [1, 1 << 16], ids=["dot", "sum"])
def test_predict_rejects_bad_X(Estimator, method, case, X, dot_min_size, monkeypatch):
    """Both finiteness checks of predict's fast path (dot product for large
    X, one sum for small X) leave bad X to scikit-learn's messages."""
    monkeypatch.setattr("skffnn._checks._DOT_MIN_SIZE", dot_min_size)
    model = fitted(Estimator, X)
    make_bad, error, match = PREDICT_BAD_X[case]
    X_bad, y_bad = make_bad(X, target(Estimator))
    args = (X_bad, y_bad) if method == "score" else (X_bad,)
    with pytest.raises(error, match=match):
        getattr(model, method)(*args)


@pytest.mark.parametrize("Estimator, method", METHODS)
def test_predict_before_fit(Estimator, method, X):
    args = (X, target(Estimator)) if method == "score" else (X,)
    with pytest.raises(NotFittedError, match="not fitted yet"):
        getattr(Estimator(**SMALL), method)(*args)


BAD_WEIGHTS = {
    "wrong length": (np.ones(7), r"sample_weight.shape == \(7,\), expected \(30,\)"),
    "negative": (np.r_[-1.0, np.ones(29)], "Negative values in data passed"),
    "all zero": (np.zeros(30), "at least one non-zero"),
    "NaN": (np.r_[np.nan, np.ones(29)], "Input sample_weight contains NaN"),
    "inf": (np.r_[np.inf, np.ones(29)], "sample_weight contains infinity"),
    "2-D": (np.ones((30, 1)), "Sample weights must be 1D array or scalar"),
    "strings": (np.array(["heavy"] * 30), "could not convert string to float"),
}


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize("method", ["fit", "partial_fit"])
@pytest.mark.parametrize("case", BAD_WEIGHTS)
def test_bad_sample_weight(Estimator, method, case, X):
    weights, match = BAD_WEIGHTS[case]
    y = target(Estimator)
    kw = {"classes": np.unique(y)} if method == "partial_fit" else {}
    if Estimator is FFNNRegressor:
        kw = {}
    with pytest.raises(ValueError, match=match):
        getattr(Estimator(**SMALL), method)(X, y, sample_weight=weights, **kw)


FLOAT32_WEIGHTS = {
    "beyond range": (np.full(30, 1e39), "sample_weight holds values too large"),
    "sum beyond range": (np.full(30, 3e38), "sample_weight sums to more than"),
    "underflow to zero": (np.full(30, 1e-60), "sample_weight has no weight left"),
}


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize("case", FLOAT32_WEIGHTS)
def test_sample_weight_outside_the_float32_range(Estimator, case, X):
    weights, match = FLOAT32_WEIGHTS[case]
    with pytest.raises(ValueError, match=match):
        Estimator(**SMALL, dtype="float32").fit(
            X, target(Estimator), sample_weight=weights
        )


def test_range_errors_advise_float64_only_below_it(X):
    y = target(FFNNRegressor)
    weights = np.full(30, 1e307)  # sums beyond float64
    with pytest.raises(ValueError, match="float64 holds") as error:
        FFNNRegressor(**SMALL, dtype="float64").fit(X, y, sample_weight=weights)
    assert str(error.value).endswith(". Divide the weights by a common factor.")
    with pytest.raises(ValueError, match="Set dtype='float64' or divide the weights"):
        FFNNRegressor(**SMALL, dtype="float32").fit(X, y, sample_weight=weights / 1e269)


@pytest.mark.parametrize("warm_start", [False, True])
def test_a_network_of_another_shape_is_refused_with_the_right_remedy(warm_start, X):
    y = target(FFNNRegressor)
    model = FFNNRegressor(**SMALL, warm_start=warm_start).fit(X, np.c_[y, y])
    match = "layer sizes .3, 4, 2. but the data .* give .3, 4, 1.. Call fit .without"
    with pytest.raises(ValueError, match=match):
        model.partial_fit(X, y)  # partial_fit continues whatever warm_start is
    if warm_start:
        with pytest.raises(ValueError, match="Set warm_start=False to train a new"):
            model.fit(X, y)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_early_stopping_split_without_weight_on_one_side(Estimator, X):
    weights = np.r_[1.0, np.zeros(29)]  # one weighted sample: one side has none
    with pytest.raises(ValueError, match="only zero sample weights"):
        Estimator(**SMALL, early_stopping=True).fit(
            X, target(Estimator), sample_weight=weights
        )


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_class_weight_that_zeroes_every_sample(solver, X):
    y = target(FFNNClassifier)
    model = FFNNClassifier(**SMALL, solver=solver, class_weight={0: 0, 1: 0, 2: 0})
    with pytest.raises(ValueError, match="class_weight gives every sample a weight"):
        model.fit(X, y)
    # A class without weight is fine while another one keeps some.
    FFNNClassifier(**SMALL, solver=solver, class_weight={0: 0, 1: 1, 2: 1}).fit(X, y)


@pytest.mark.parametrize("bad", [-1.0, np.nan, np.inf])
@pytest.mark.parametrize("method", ["fit", "partial_fit"])
def test_class_weight_must_be_finite_and_non_negative(bad, method, X):
    # A negative weight trained the class to be missed and made score()
    # exceed 1; NaN and inf were reported as a sample_weight overflow.
    model = FFNNClassifier(**SMALL, class_weight={0: bad, 1: 1.0, 2: 1.0})
    kwargs = {"classes": [0, 1, 2]} if method == "partial_fit" else {}
    with pytest.raises(ValueError, match=r"class_weight must be finite and non-neg"):
        getattr(model, method)(X, target(FFNNClassifier), **kwargs)
    assert not hasattr(model, "coefs_")


def test_multiclass_multioutput_targets_are_named_in_partial_fit_too(X):
    # partial_fit's classes set up the model before y is seen: it said
    # "y holds multilabel indicator rows, but the model was fitted on ...".
    Y = np.column_stack([np.arange(30) % 2, np.arange(30) % 3])
    for call in (
        lambda model: model.partial_fit(X, Y, classes=[0, 1, 2]),
        lambda model: model.fit(X, Y),
    ):
        with pytest.raises(ValueError, match="does not support multiclass-multi"):
            call(FFNNClassifier(**SMALL))


def test_all_zero_weights_are_named_whatever_scikit_learn_checks():
    # scikit-learn < 1.7 lets all-zero weights through _check_sample_weight.
    from skffnn._checks import _cast_weights

    with pytest.raises(ValueError, match="sample_weight_val must contain at least"):
        _cast_weights(np.zeros(3), np.float32, "sample_weight_val")


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_score_sample_weight_of_wrong_length(Estimator, X):
    model = fitted(Estimator, X)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        model.score(X, target(Estimator), sample_weight=np.ones(7))


BAD_CLASSIFIER_TARGETS = {
    "single class": (np.zeros(30), ValueError, "2 classes, .* only one class: 0.0[.]"),
    "continuous": (np.linspace(0, 1, 30), ValueError, "Unknown label type: contin"),
    "NaN": (np.r_[np.nan, np.arange(29) % 2], ValueError, "Input y contains NaN"),
    "inf": (np.r_[np.inf, np.arange(29) % 2], ValueError, "y contains infinity"),
    "mixed types": (
        np.array(["a", 1] * 15, dtype=object),
        TypeError,
        "y mixes labels of types that cannot be compared",
    ),
    "multioutput multiclass": (
        np.c_[np.arange(30) % 3, np.arange(30) % 2],
        ValueError,
        "does not support multiclass-multioutput targets",
    ),
    "3-D": (np.zeros((30, 1, 1)), ValueError, "dim 3"),
    # Once reported as labels of types that cannot be compared.
    "bytes": (np.array([b"a", b"b"] * 15), TypeError, "^Support for labels repr"),
}


@pytest.mark.parametrize("case", BAD_CLASSIFIER_TARGETS)
def test_classifier_rejects_bad_target(case, X):
    y, error, match = BAD_CLASSIFIER_TARGETS[case]
    with pytest.raises(error, match=match):
        FFNNClassifier(**SMALL).fit(X, y)


BAD_REGRESSOR_TARGETS = {
    "NaN": ({}, np.r_[np.nan, np.ones(29)], ValueError, "Input y contains NaN"),
    "inf": ({}, np.r_[np.inf, np.ones(29)], ValueError, "y contains infinity"),
    "strings": ({}, np.array(["a"] * 30), ValueError, "could not convert string"),
    "complex": ({}, np.ones(30) + 1j, ValueError, "Complex data not supported"),
    "3-D": ({}, np.zeros((30, 1, 1)), ValueError, "dim 3"),
    "negative counts": (
        {"loss": "poisson"},
        np.r_[-1.0, np.ones(29)],
        ValueError,
        "loss='poisson' requires non-negative targets",
    ),
    "beyond float32": (
        {"dtype": "float32"},
        np.r_[1e300, np.ones(29)],
        ValueError,
        "y holds values too large for the compute dtype float32",
    ),
}


@pytest.mark.parametrize("case", BAD_REGRESSOR_TARGETS)
def test_regressor_rejects_bad_target(case, X):
    params, y, error, match = BAD_REGRESSOR_TARGETS[case]
    with pytest.raises(error, match=match):
        FFNNRegressor(**SMALL, **params).fit(X, y)


def first_call(X):
    return FFNNClassifier(**SMALL).partial_fit(X, np.arange(30) % 2, classes=[0, 1])


BAD_PARTIAL_FIT_CLASSES = {
    "no classes on first call": (
        lambda X: FFNNClassifier(**SMALL).partial_fit(X, np.arange(30) % 2),
        "classes must be passed on the first call to partial_fit",
    ),
    "unseen labels": (
        lambda X: first_call(X).partial_fit(X, np.arange(30) % 3),
        r"`y` has classes not in `self.classes_`",
    ),
    "classes changed": (
        lambda X: first_call(X).partial_fit(X, np.arange(30) % 2, classes=[0, 1, 2]),
        r"`classes=\[0, 1, 2\]` is not the same as on last call",
    ),
    "y outside classes": (
        lambda X: FFNNClassifier(**SMALL).partial_fit(
            X, np.arange(30) % 3, classes=[0, 1]
        ),
        r"`y` has classes not in `self.classes_`",
    ),
    "single class": (
        lambda X: FFNNClassifier(**SMALL).partial_fit(X, np.zeros(30), classes=[0]),
        "at least 2 classes",
    ),
    "labels after multilabel rows": (
        lambda X: (
            FFNNClassifier(**SMALL)
            .fit(X, np.eye(3, dtype=int)[np.arange(30) % 3])
            .partial_fit(X, np.arange(30) % 3)
        ),
        "y holds one label per sample, but the model's classes .* are for "
        "multilabel indicator rows",
    ),
    "multilabel rows after labels": (
        lambda X: first_call(X).partial_fit(X, np.eye(2, dtype=int)[np.arange(30) % 2]),
        "y holds multilabel indicator rows, but the model's classes .* are "
        "for one label per sample",
    ),
    "mixed types": (
        lambda X: FFNNClassifier(**SMALL).partial_fit(
            X, np.array(["a", 1] * 15, dtype=object), classes=["a", 1]
        ),
        "Mix of label input types",
    ),
}


@pytest.mark.parametrize("case", BAD_PARTIAL_FIT_CLASSES)
def test_partial_fit_rejects_bad_classes(case, X):
    call, match = BAD_PARTIAL_FIT_CLASSES[case]
    with pytest.raises(ValueError, match=match):
        call(X)


def test_partial_fit_with_wrong_n_features_after_first_call(X):
    model = first_call(X)
    with pytest.raises(ValueError, match="X has 2 features, but .* expecting 3"):
        model.partial_fit(X[:, :2], np.arange(30) % 2)


# parameter, value, message (sklearn's InvalidParameterError is both a
# ValueError and a TypeError)
ABSURD_PARAMETERS = [
    ("hidden_layer_sizes", (-3,), "hidden_layer_sizes must be positive integers"),
    ("hidden_layer_sizes", (8, 0), "hidden_layer_sizes must be positive integers"),
    ("hidden_layer_sizes", (2.5,), "hidden_layer_sizes must be positive integers"),
    # Once bare TypeErrors: "iteration over a 0-d array", "unhashable type".
    ("hidden_layer_sizes", np.array(-4), "hidden_layer_sizes must be positive integ"),
    ("activation", [["relu"]], r"Unknown activation\(s\) \[\['relu'\]\]"),
    ("hidden_layer_sizes", 0, "'hidden_layer_sizes' parameter .* must be"),
    ("hidden_layer_sizes", "wide", "'hidden_layer_sizes' parameter .* must be"),
    ("batch_size", 0, r"'batch_size' parameter .* int in the range \[1, inf\)"),
    ("batch_size", -5, r"'batch_size' parameter .* int in the range \[1, inf\)"),
    ("validation_fraction", 1.0, r"'validation_fraction' .* range \[0.0, 1.0\)"),
    ("n_iter_no_change", 0, r"'n_iter_no_change' .* range \[1, inf\)"),
    ("max_iter", 0, r"'max_iter' .* range \[1, inf\)"),
    ("max_iter", 2.5, r"'max_iter' .* must be an int"),
    ("learning_rate_init", 0.0, r"'learning_rate_init' .* range \(0.0, inf\)"),
    ("learning_rate_init", np.nan, "'learning_rate_init' .* Got nan"),
    ("learning_rate_init", np.inf, "'learning_rate_init' .* Got inf"),
    ("alpha", -1.0, r"'alpha' .* range \[0.0, inf\)"),
    ("alpha", np.nan, "'alpha' .* Got nan"),
    ("momentum", 1.5, r"'momentum' .* range \[0.0, 1.0\]"),
    ("beta_2", 1.0, r"'beta_2' .* range \[0.0, 1.0\)"),
    ("epsilon", 0.0, r"'epsilon' .* range \(0.0, inf\)"),
    ("tol", -1e-4, r"'tol' .* range \[0.0, inf\)"),
    ("max_fun", 0, r"'max_fun' .* range \[1, inf\)"),
    ("solver", "newton", "'solver' parameter .* among"),
    ("activation", "swish", "'activation' parameter"),
    ("dtype", "float16", "'dtype' parameter .* among"),
    ("early_stopping", "yes", "'early_stopping' parameter"),
]


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize("name, value, match", ABSURD_PARAMETERS)
def test_fit_rejects_absurd_parameters(Estimator, name, value, match, X):
    model = Estimator(**{**SMALL, name: value})
    with pytest.raises((ValueError, TypeError), match=match):
        model.fit(X, target(Estimator))


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_validation_fraction_zero_holds_nothing_out(Estimator, X):
    y = target(Estimator)
    kw = dict(SMALL, validation_fraction=0.0)
    # Allowed as in MLP when nothing is held out ...
    fitted = Estimator(**kw).fit(X, y)
    default = Estimator(**SMALL).fit(X, y)
    np.testing.assert_array_equal(fitted.coefs_[0], default.coefs_[0])
    Estimator(**kw, early_stopping=True).fit(X, y, X_val=X[:10], y_val=y[:10])
    # ... and named when early stopping would need a split.
    with pytest.raises(ValueError, match="validation_fraction=0.0 holds out nothing"):
        Estimator(**kw, early_stopping=True).fit(X, y)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.UndefinedMetricWarning")
def test_early_stopping_on_an_undefined_validation_score(X):
    # R^2 of one sample is NaN: no epoch was ever best, and the fit used to
    # end on its initial weights without a word.
    y = target(FFNNRegressor)
    model = FFNNRegressor(**SMALL, early_stopping=True)
    with pytest.raises(ValueError, match="validation score is NaN after epoch 1"):
        model.fit(X, y, X_val=X[:1], y_val=y[:1])
    assert not hasattr(model, "coefs_")
    model.set_params(early_stopping_metric="loss").fit(X, y, X_val=X[:1], y_val=y[:1])
    assert np.isfinite(model.validation_loss_curve_).all()  # what it monitors


@pytest.mark.parametrize("metric", ["score", "loss"])
def test_early_stopping_on_a_never_finite_validation_value(metric, X):
    # Outputs overflow on this X_val: -inf scores, inf losses. Neither ever
    # beat the initial best, and the fit used to run all max_iter epochs
    # and keep its initial weights.
    y = target(FFNNRegressor)
    model = FFNNRegressor(
        **{**SMALL, "max_iter": 50}, early_stopping=True, early_stopping_metric=metric
    )
    with pytest.raises(ValueError, match=f"validation {metric} was not finite in any"):
        model.fit(X, y, X_val=np.full((5, 3), 1e300), y_val=y[:5])
    assert not hasattr(model, "coefs_")


def test_early_stopping_needs_three_samples(X):
    with pytest.raises(ValueError, match="early_stopping needs at least 3 samples"):
        FFNNRegressor(**SMALL, early_stopping=True).fit(X[:2], [0.0, 1.0])


def test_partial_fit_needs_a_stochastic_solver(X):
    # As in MLP: hasattr(model, "partial_fit") is False for lbfgs, so the
    # error is an AttributeError (caused by "only available for stochastic").
    with pytest.raises(AttributeError, match="has no attribute 'partial_fit'"):
        FFNNClassifier(solver="lbfgs").partial_fit(X, np.arange(30) % 2, [0, 1])


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_extremely_large_X_gives_finite_weights_and_predictions(Estimator, solver, X):
    """1e30 in X: a finite model (perhaps with a ConvergenceWarning), no NaN.

    sgd's steps on such X blow the loss up to ~1e83 in its first epoch: a
    new network has no weights worth keeping, and the fit says so (it kept
    those of the first epoch, with a warning). A network trained before
    goes back to its weights.
    """
    X_big = X * 1e30
    model = Estimator(**{**SMALL, "solver": solver})
    if solver == "sgd":
        with pytest.raises(ValueError, match="of a new network"):
            model.fit(X_big, target(Estimator))
        model.set_params(solver="adam").fit(X_big, target(Estimator))
        model.set_params(solver="sgd", warm_start=True)
        with pytest.warns(ConvergenceWarning, match="diverged"):
            model.fit(X_big, target(Estimator))
    else:
        model.fit(X_big, target(Estimator))
    assert all(np.isfinite(W).all() for W in model.coefs_)
    assert np.isfinite(model.predict(X_big).astype(float)).all()


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_extremely_large_X_with_lbfgs(Estimator, X):
    model = Estimator(**SMALL, solver="lbfgs").fit(X * 1e30, target(Estimator))
    assert all(np.isfinite(W).all() for W in model.coefs_)
    assert np.isfinite(model.predict(X * 1e30).astype(float)).all()


def test_X_beyond_float32_range_with_float32_compute(X):
    with pytest.raises(ValueError, match="X holds values too large for .* float32"):
        FFNNRegressor(**SMALL, dtype="float32").fit(X * 1e300, target(FFNNRegressor))


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize("row", [0, 13, -1])
@pytest.mark.parametrize(
    "value, match",
    [
        (np.nan, "Input X contains NaN"),
        (np.inf, "Input X contains infinity"),
        (-np.inf, "Input X contains infinity"),
        (1e39, "X holds values too large for .* float32"),
        (-1e39, "X holds values too large for .* float32"),
    ],
)
def test_float64_X_trained_in_float32_is_checked_block_by_block(
    Estimator, row, value, match, X, monkeypatch
):
    """float64 X narrowed to float32 is checked in one blockwise max/min pass.

    Blocks of 2 rows here, so the bad value sits in the first, a middle or
    the last block; NaN and infinity get scikit-learn's messages.
    """
    monkeypatch.setattr("skffnn._checks._RANGE_BLOCK_BYTES", 2 * X[0].nbytes)
    X_bad = X.copy()
    X_bad[row, 1] = value
    y = target(Estimator)
    kw = {"classes": np.unique(y)} if Estimator is FFNNClassifier else {}
    with pytest.raises(ValueError, match=match):
        Estimator(**SMALL, dtype="float32").fit(X_bad, y)
    with pytest.raises(ValueError, match=match):
        Estimator(**SMALL, dtype="float32").partial_fit(X_bad, y, **kw)


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize(
    "X_dtype, dtype, value, error",
    [
        # Squares overflow the dot product: the exact checks must accept.
        (np.float32, np.float32, 1e30, None),
        (np.float64, np.float64, 1e200, None),
        # Only finiteness asked: the sum of the row sums overflows.
        (np.float32, np.float32, 3e38, None),
        (np.float64, np.float64, 1.7e308, None),
        (np.float64, np.float32, 3e38, None),  # in float32; 2 squares > 1.2e77
        (np.float64, np.float32, 3.5e38, "too large for the compute dtype"),
        (np.float32, np.float32, np.nan, "Input X contains NaN"),
        (np.float64, np.float32, -np.inf, "Input X contains infinity"),
    ],
)
def test_finiteness_check_by_dot_product_defers_to_exact_checks(
    X, X_dtype, dtype, value, error, layout
):
    """x . x clears most X at once; where it cannot, the exact checks decide.

    Large finite values overflow the sum of squares without being errors,
    and non-contiguous X never takes the dot product.
    """
    from skffnn._checks import _check_finite

    X_big = np.vstack([X] * 4).astype(X_dtype)
    X_big[45:47, 2] = value
    if layout == "F":
        X_big = np.asfortranarray(X_big)
    elif layout == "strided":
        X_big = np.repeat(X_big, 2, axis=1)[:, ::2]
    if error is None:
        _check_finite(X_big, dtype, "X", "FFNNRegressor")
    else:
        with pytest.raises(ValueError, match=error):
            _check_finite(X_big, dtype, "X", "FFNNRegressor")


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_ordinary_contiguous_X_is_cleared_by_the_dot_product(X, layout):
    """The fast path is taken where it can be: contiguous X, in range."""
    from skffnn._checks import _surely_within

    contiguous = layout != "strided"
    for dtype, largest in [
        (np.float64, np.finfo(np.float32).max),
        (np.float32, np.inf),
    ]:
        X_big = np.vstack([X] * 4).astype(dtype)
        if layout == "F":
            X_big = np.asfortranarray(X_big)
        elif layout == "strided":
            X_big = np.repeat(X_big, 2, axis=1)[:, ::2]
        assert _surely_within(X_big, float(largest)) is contiguous


def test_long_double_X_beyond_float64_gets_the_infinity_message(X):
    """Predict's fast path skips long double: 1e400 + -1e400 sums to 0 there,
    but as float64 both are infinite."""
    model = FFNNRegressor(**SMALL).fit(X, X[:, 0])
    X_wide = X[:2].astype(np.longdouble)
    X_wide[0, 0], X_wide[0, 1] = np.longdouble("1e400"), -np.longdouble("1e400")
    with pytest.raises(ValueError, match="Input X contains infinity"):
        model.predict(X_wide)


def test_any_huber_delta_type_keys_the_network_cache(X):
    """set_params after fit may give huber_delta as a 0-d array: still predicts."""
    model = FFNNRegressor(**SMALL, loss="huber").fit(X, X[:, 0])
    expected = model.predict(X)
    model.set_params(huber_delta=np.array(2.0))
    np.testing.assert_array_equal(model.predict(X), expected)


def test_prediction_that_overflows_raises(X):
    """exp(z) beyond float64 on inputs far outside the training range."""
    model = FFNNRegressor(**SMALL, loss="poisson").fit(X, np.arange(30) % 4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy overflow warnings either
        with pytest.raises(ValueError, match="output overflows float64 for"):
            model.predict(X * 1e30)


def test_outputs_near_the_float64_limit_are_no_overflow(X):
    """Finite outputs whose sum overflows are returned, not taken for overflow.

    The output check first sums the outputs (one reduction clears them all);
    1.5e308 + 1.5e308 is inf although both outputs are finite.
    """
    model = FFNNRegressor(**{**SMALL, "hidden_layer_sizes": ()}).fit(X, X[:, 0])
    model.coefs_[0][...] = 0.5e308
    model.intercepts_[0][...] = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(model.predict(np.ones((2, 3))), [1.5e308] * 2)


@pytest.mark.parametrize("method", ["predict", "transform"])
def test_hidden_layer_overflow_raises(method, X):
    """An identity hidden layer carries 1e308 * 10 beyond float64."""
    model = FFNNRegressor(**{**SMALL, "activation": "identity"}).fit(X, X[:, 0])
    model.coefs_[0][...] = 10.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="output overflows float64 for 2 of 2"):
            getattr(model, method)(np.full((2, 3), 1e308))


@pytest.mark.parametrize(
    "layer, match",
    [(2, "layer must be an integer in 1..1"), (0, "got 0"), (1.0, "got 1.0")],
)
def test_transform_rejects_bad_layer(layer, match, X):
    model = fitted(FFNNClassifier, X)
    with pytest.raises(ValueError, match=match):
        model.transform(X, layer=layer)


def test_failed_fit_leaves_a_new_estimator_unfitted(X):
    model = FFNNClassifier(**SMALL)
    with pytest.raises(ValueError, match="at least 2 classes"):
        model.fit(X, np.zeros(30))
    # validate_data had set n_features_in_ before the failing check.
    assert not hasattr(model, "n_features_in_")
    with pytest.raises(NotFittedError):
        model.predict(X)


def test_failed_refit_keeps_the_previous_model(X):
    model = fitted(FFNNClassifier, X)
    before = model.predict_proba(X)
    with pytest.raises(ValueError, match="at least 2 classes"):
        model.fit(np.c_[X, X], np.zeros(30))
    assert model.n_features_in_ == 3
    np.testing.assert_array_equal(model.predict_proba(X), before)
