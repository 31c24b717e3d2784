"""Fuzzing the estimators with generated input (hypothesis).

Every call either succeeds with finite outputs of the right shape, or raises
ValueError or TypeError: never another exception, a NaN, numpy's overflow
warnings or a hang. The example count is bounded for CI (derandomized there,
so a CI run is reproducible); set SKFFNN_FUZZ_EXAMPLES to search longer.
"""

import os
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.exceptions import ConvergenceWarning, DataConversionWarning

from skffnn import FFNNClassifier, FFNNRegressor

FUZZ = settings(
    max_examples=int(os.environ.get("SKFFNN_FUZZ_EXAMPLES", 300)),
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Values that break naive code: specials, extremes, subnormals.
SPECIAL = [0.0, -0.0, 1.0, -1.0, 1e30, -1e30, 1e300, -1e300, 5e-324, np.nan, np.inf]
FLOATS = st.one_of(st.floats(-10, 10), st.sampled_from(SPECIAL), st.floats(width=64))
DTYPES = [np.float64, np.float32, np.float16, np.int64, np.uint8, np.bool_]
ROWS = st.integers(0, 12)


def to_dtype(value, dtype):
    with np.errstate(over="ignore"):  # 1e300 in float32 is inf: one more case
        return np.asarray(value).astype(dtype).item()


def elements(dtype):
    if np.dtype(dtype).kind == "f":
        return FLOATS.map(lambda v: to_dtype(v, dtype))
    return None  # hypothesis' full range of the dtype


@st.composite
def matrices(draw, n_rows):
    """X: mostly (n_rows, d), sometimes 1-D, 3-D, complex, strings or sparse."""
    kind = draw(st.sampled_from(["dense"] * 6 + ["1-D", "3-D", "complex", "str"]))
    d = draw(st.integers(0, 4))
    if kind == "str":
        return draw(hnp.arrays(np.dtype("U3"), (n_rows, d)))
    if kind == "complex":
        return draw(hnp.arrays(np.complex128, (n_rows, d)))
    shape = {"1-D": (n_rows,), "3-D": (n_rows, d, 2)}.get(kind, (n_rows, d))
    dtype = draw(st.sampled_from(DTYPES))
    X = draw(hnp.arrays(dtype, shape, elements=elements(dtype)))
    container = draw(st.sampled_from(["ndarray", "ndarray", "list", "csr", "csc"]))
    if container == "list":
        return X.tolist()
    if container != "ndarray" and X.ndim == 2 and X.dtype != np.float16:
        return sp.csr_matrix(X) if container == "csr" else sp.csc_matrix(X)
    return X


def labels(n_rows):
    """Class labels of up to 4 classes, multilabel indicators, or junk."""
    return st.one_of(
        hnp.arrays(np.int64, n_rows, elements=st.integers(0, 3)),
        hnp.arrays(np.dtype("U1"), n_rows, elements=st.sampled_from("ab")),
        hnp.arrays(np.int64, (n_rows, 2), elements=st.integers(0, 1)),
        hnp.arrays(np.float64, n_rows, elements=FLOATS),
    )


def targets(n_rows):
    """Regression targets, one or two outputs."""
    shapes = st.sampled_from([(n_rows,), (n_rows, 1), (n_rows, 2)])
    return shapes.flatmap(lambda s: hnp.arrays(np.float64, s, elements=FLOATS))


def sample_weights(n_rows):
    length = st.sampled_from([n_rows, n_rows, max(n_rows - 1, 0)])
    return st.none() | length.flatmap(
        lambda n: hnp.arrays(np.float64, n, elements=FLOATS)
    )


PARAMS = st.fixed_dictionaries(
    {
        "hidden_layer_sizes": st.lists(st.integers(1, 5), max_size=2).map(tuple),
        "solver": st.sampled_from(["adam", "sgd", "lbfgs"]),
        "batch_size": st.sampled_from(["auto", 1, 3]),
        "max_iter": st.integers(1, 3),
        "early_stopping": st.booleans(),
        "dtype": st.sampled_from(["auto", "float32", "float64"]),
        "random_state": st.just(0),
    }
)


def n_samples(X):
    return X.shape[0] if hasattr(X, "shape") else len(X)


def check_outputs(model, X):
    """Each prediction method returns finite values with one row per sample."""
    n = n_samples(X)
    y = model.predict(X)
    assert len(y) == n
    if len(model.coefs_) > 1:  # a hidden layer to transform to
        features = model.transform(X)
        assert features.shape[0] == n and np.isfinite(features).all()
    if isinstance(model, FFNNRegressor):
        assert np.isfinite(y).all()
        return
    assert np.isin(y, model.classes_).all() or y.ndim == 2
    proba, log_proba = model.predict_proba(X), model.predict_log_proba(X)
    assert proba.shape[0] == n and np.isfinite(proba).all()
    # log 0 = -inf, as scikit-learn's checks require of log(predict_proba).
    assert log_proba.shape == proba.shape
    assert (np.isfinite(log_proba) | ((log_proba == -np.inf) & (proba == 0))).all()


def attempt(call, *args, **kwargs):
    """Run call; True if it succeeded, False if it rejected its input.

    A call that succeeds must do so without numpy's overflow or invalid-value
    warnings, unless scikit-learn's code emits them (r2_score squares huge
    residuals). A rejected input may warn on its way to the error: scikit-
    learn's finiteness check sums the array, inf - inf included.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        try:
            call(*args, **kwargs)
        except (ValueError, TypeError):
            return False
    numpy_warnings = [
        f"{w.filename}:{w.lineno}: {w.message}"
        for w in caught
        if issubclass(w.category, RuntimeWarning) and "sklearn" not in w.filename
    ]
    assert not numpy_warnings
    return True


def exercise(Estimator, params, X, y, sample_weight, X_new):
    with warnings.catch_warnings():
        # What the estimators may rightly say about such data.
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", DataConversionWarning)
        warnings.filterwarnings("ignore", message=".*batch_size.* larger than")
        model = Estimator(**params)
        if not attempt(model.fit, X, y, sample_weight=sample_weight):
            return
        assert all(np.isfinite(W).all() for W in model.coefs_ + model.intercepts_)
        for data in (X, X_new):
            attempt(check_outputs, model, data)
            attempt(model.score, data, y)
        if params["solver"] != "lbfgs":
            if attempt(model.partial_fit, X_new, y, sample_weight=sample_weight):
                attempt(check_outputs, model, X_new)


@pytest.mark.parametrize("Estimator", [FFNNClassifier, FFNNRegressor])
@FUZZ
@given(data=st.data(), params=PARAMS, n_rows=ROWS)
def test_fuzz_fit_predict_partial_fit(Estimator, data, params, n_rows):
    X = data.draw(matrices(n_rows), label="X")
    X_new = data.draw(matrices(n_rows), label="X_new")
    make_y = labels if Estimator is FFNNClassifier else targets
    y = data.draw(make_y(n_rows), label="y")
    sample_weight = data.draw(sample_weights(n_rows), label="sample_weight")
    exercise(Estimator, params, X, y, sample_weight, X_new)


@FUZZ
@given(
    X=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=10),
        elements=FLOATS,
    ),
)
def test_fuzz_predict_of_a_fitted_model(X):
    """A fitted model meets arbitrary float matrices: rejected or finite output."""
    for model in FITTED:
        attempt(check_outputs, model, X)


def _fitted_models():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 3))
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return [
            FFNNClassifier((5,), max_iter=50, random_state=0).fit(X, y),
            FFNNClassifier(activation="logistic", random_state=0).fit(X, y > 0),
            FFNNRegressor(activation="tanh", random_state=0).fit(X, X[:, 0]),
            FFNNRegressor(loss="poisson", random_state=0).fit(X, y),
        ]


FITTED = _fitted_models()
