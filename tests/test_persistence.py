"""Persistence: pickle, joblib and skops round trips, and version checks."""

import copy
import pickle
import warnings

import joblib
import numpy as np
import pytest
import sklearn
from sklearn.datasets import load_iris
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import skffnn
from skffnn import FFNNClassifier, FFNNRegressor, InconsistentVersionWarning

pytestmark = pytest.mark.usefixtures("quiet_convergence")


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


MODELS = {
    "adam": lambda: FFNNClassifier(hidden_layer_sizes=(8,), max_iter=20),
    "sgd-invscaling": lambda: FFNNClassifier(
        solver="sgd", learning_rate="invscaling", learning_rate_init=0.1, max_iter=20
    ),
    "sgd-adaptive-early-stopping": lambda: FFNNClassifier(
        solver="sgd", learning_rate="adaptive", early_stopping=True, max_iter=20
    ),
    "float32": lambda: FFNNClassifier(max_iter=20, dtype="float32"),
    "regressor-poisson": lambda: FFNNRegressor(loss="poisson", max_iter=20),
}


def fit(name, X, y, random_state=0):
    return MODELS[name]().set_params(random_state=random_state).fit(X, y)


def assert_same_model(a, b, X):
    for x, y in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_):
        np.testing.assert_array_equal(x, y)
    np.testing.assert_array_equal(a.predict(X), b.predict(X))
    if hasattr(a, "predict_proba"):
        np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))


def pickle_round_trip(model, tmp_path):
    return pickle.loads(pickle.dumps(model))


def joblib_round_trip(model, tmp_path):
    joblib.dump(model, tmp_path / "model.joblib")
    return joblib.load(tmp_path / "model.joblib")


def skops_round_trip(model, tmp_path):
    sio = pytest.importorskip("skops.io", reason="needs the 'skops' extra")
    sio.dump(model, tmp_path / "model.skops")
    unknown = sio.get_untrusted_types(file=tmp_path / "model.skops")
    return sio.load(tmp_path / "model.skops", trusted=unknown)


ROUND_TRIPS = [pickle_round_trip, joblib_round_trip, skops_round_trip]


@pytest.mark.parametrize("round_trip", ROUND_TRIPS)
@pytest.mark.parametrize("name", MODELS)
def test_round_trip_predicts_and_continues_training_identically(
    name, round_trip, iris, tmp_path
):
    X, y = iris
    model = fit(name, X, y)
    loaded = round_trip(model, tmp_path)
    assert_same_model(loaded, model, X)
    assert loaded.loss_curve_ == model.loss_curve_

    # The optimizer state (momentum, Adam's moments and step count, the
    # scheduled learning rate) survives: one more epoch matches exactly.
    for m in (model, loaded):
        m.partial_fit(X, y)
    assert_same_model(loaded, model, X)
    assert loaded.loss_curve_ == model.loss_curve_ and loaded.t_ == model.t_


@pytest.mark.parametrize("round_trip", ROUND_TRIPS)
def test_round_trip_of_a_fresh_and_of_an_lbfgs_model(round_trip, iris, tmp_path):
    X, y = iris
    fresh = round_trip(FFNNClassifier(alpha=0.5), tmp_path)
    assert fresh.get_params()["alpha"] == 0.5
    model = FFNNClassifier(solver="lbfgs", max_iter=50, random_state=0).fit(X, y)
    assert_same_model(round_trip(model, tmp_path), model, X)


SKOPS_MODELS = {
    "adam": FFNNClassifier(max_iter=5, random_state=0),
    "sgd-early-stopping": FFNNClassifier(
        solver="sgd", early_stopping=True, max_iter=5, random_state=0
    ),
    "lbfgs": FFNNClassifier(solver="lbfgs", max_iter=5, random_state=0),
    "string-labels": FFNNClassifier(max_iter=5, random_state=0),
    "regressor": FFNNRegressor(max_iter=5, random_state=0),
    "pipeline": make_pipeline(
        StandardScaler(), FFNNClassifier(max_iter=5, random_state=0)
    ),
}


@pytest.mark.parametrize("name", SKOPS_MODELS)
def test_skops_trusts_only_the_estimator_classes(name, iris, tmp_path):
    sio = pytest.importorskip("skops.io", reason="needs the 'skops' extra")
    X, y = iris
    if name == "string-labels":
        y = np.array(["setosa", "versicolor", "virginica"])[y]
    model = SKOPS_MODELS[name]
    model.fit(X, y)
    sio.dump(model, tmp_path / "model.skops")

    unknown = sio.get_untrusted_types(file=tmp_path / "model.skops")
    estimator = model[-1] if hasattr(model, "steps") else model
    assert unknown == [f"{type(estimator).__module__}.{type(estimator).__name__}"]
    loaded = sio.load(tmp_path / "model.skops", trusted=unknown)
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_skops_refuses_untrusted_types_by_default(iris, tmp_path):
    sio = pytest.importorskip("skops.io", reason="needs the 'skops' extra")
    X, y = iris
    sio.dump(FFNNClassifier(max_iter=5).fit(X, y), tmp_path / "model.skops")
    with pytest.raises(sio.exceptions.UntrustedTypesFoundException):
        sio.load(tmp_path / "model.skops")


def saved_state(model, **changes):
    state = model.__getstate__()
    state.update(changes)
    return state


def load_state(cls, state):
    model = cls.__new__(cls)
    model.__setstate__(state)
    return model


@pytest.mark.parametrize(
    "changes, match",
    [
        ({"_skffnn_version": "0.0.1"}, "saved with skffnn 0.0.1 and scikit-learn"),
        ({"_sklearn_version": "1.0"}, "and scikit-learn 1.0, and is loaded by"),
    ],
    ids=["skffnn", "scikit-learn"],
)
def test_loading_a_model_saved_by_another_version_warns(changes, match, iris):
    X, y = iris
    model = FFNNClassifier(max_iter=5, random_state=0).fit(X, y)
    with pytest.warns(InconsistentVersionWarning, match=match) as record:
        loaded = load_state(FFNNClassifier, saved_state(model, **changes))
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    # A subclass of scikit-learn's, which a filter for that one catches (it
    # was a plain UserWarning), with its attributes.
    from sklearn.exceptions import InconsistentVersionWarning as SklearnWarning

    warning = record[0].message
    assert isinstance(warning, SklearnWarning)
    assert warning.estimator_name == "FFNNClassifier"
    expected = changes.get("_sklearn_version", sklearn.__version__)
    assert warning.original_sklearn_version == expected
    assert warning.original_skffnn_version == changes.get(
        "_skffnn_version", skffnn.__version__
    )
    # Copied and pickled (joblib sends a worker's warnings-as-errors back):
    # cls(*args) failed on the keyword-only constructor.
    for copied in (copy.copy(warning), pickle.loads(pickle.dumps(warning))):
        assert type(copied) is InconsistentVersionWarning
        assert str(copied) == str(warning) and vars(copied) == vars(warning)


def test_a_model_saved_following_another_schedule_resumes_the_current_one(iris):
    """adam followed learning_rate='invscaling' before that became sgd's only:
    its saved rate was the schedule's decayed one (2.2e-4 for 0.01), which
    the first partial_fit after loading kept, the next ones jumping to 0.01.
    """
    X, y = iris
    model = FFNNClassifier(max_iter=3, learning_rate_init=0.01, random_state=0)
    state = model.fit(X, y).__getstate__()
    state["_optimizer"]["schedule"]["power_t"] = 0.5  # as InvScaling saved
    state["_optimizer"]["rule"]["learning_rate"] = 2.2e-4
    loaded = load_state(FFNNClassifier, state)
    assert loaded._optimizer.rule.learning_rate == 0.01
    assert not hasattr(loaded._optimizer.schedule, "power_t")


def test_a_pickle_without_versions_warns(iris):
    X, y = iris
    state = FFNNClassifier(max_iter=5, random_state=0).fit(X, y).__getstate__()
    del state["_skffnn_version"], state["_sklearn_version"]
    with pytest.warns(InconsistentVersionWarning, match="skffnn unknown"):
        load_state(FFNNClassifier, state)


def test_loading_with_the_same_versions_is_silent(iris):
    X, y = iris
    data = pickle.dumps(FFNNClassifier(max_iter=5, random_state=0).fit(X, y))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pickle.loads(data)


def test_saved_state_is_plain_data(iris):
    """No optimizer, schedule or history objects: dicts of arrays and numbers."""
    X, y = iris
    model = FFNNClassifier(solver="sgd", max_iter=5, random_state=0).fit(X, y)
    state = model.__getstate__()
    assert state["_dtype"] == "float64"
    assert set(state["_optimizer"]) == {"rule", "schedule"}
    assert isinstance(state["_optimizer"]["rule"]["velocity"], np.ndarray)
    assert isinstance(state["_history"]["loss_curve"], list)
    # Saving does not alter the model in memory.
    assert model._dtype == np.float64 and not isinstance(model._history, dict)
