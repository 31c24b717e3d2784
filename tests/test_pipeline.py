"""The estimators inside scikit-learn's model-selection machinery."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_diabetes, load_iris
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skffnn import FFNNClassifier, FFNNRegressor

pytestmark = pytest.mark.usefixtures("quiet_convergence")


def test_grid_search_over_a_pipeline_in_parallel():
    X, y = load_iris(return_X_y=True)
    pipe = make_pipeline(StandardScaler(), FFNNClassifier(max_iter=300, random_state=0))
    grid = GridSearchCV(
        pipe,
        {
            "ffnnclassifier__hidden_layer_sizes": [(5,), (20,)],
            "ffnnclassifier__alpha": [1e-4, 1e-1],
        },
        cv=3,
        n_jobs=2,
    ).fit(X, y)
    assert len(grid.cv_results_["params"]) == 4
    assert grid.best_score_ >= 0.88
    assert grid.best_estimator_.score(X, y) > 0.9
    # Parallel workers and a sequential run agree exactly.
    sequential = GridSearchCV(grid.estimator, grid.param_grid, cv=3).fit(X, y)
    np.testing.assert_array_equal(
        grid.cv_results_["mean_test_score"], sequential.cv_results_["mean_test_score"]
    )


def test_cross_val_score_regressor():
    X, y = load_diabetes(return_X_y=True)
    pipe = make_pipeline(
        StandardScaler(),
        FFNNRegressor(
            hidden_layer_sizes=(16,), solver="lbfgs", alpha=1.0, random_state=0
        ),
    )
    scores = cross_val_score(pipe, X, y, cv=3, n_jobs=2)
    assert scores.shape == (3,)
    assert scores.mean() > 0.3


@pytest.mark.parametrize("cls", [FFNNClassifier, FFNNRegressor])
def test_clone_and_params_round_trip(cls):
    est = cls(hidden_layer_sizes=(7, 3), alpha=0.5, solver="sgd", dtype="float32")
    params = est.get_params()
    assert params["hidden_layer_sizes"] == (7, 3)
    assert params["dtype"] == "float32"
    twin = clone(est)
    assert twin.get_params() == params
    twin.set_params(alpha=2.0, hidden_layer_sizes=(4,))
    assert twin.get_params()["alpha"] == 2.0
    assert est.get_params()["alpha"] == 0.5  # clone is independent
    assert cls(**params).get_params() == params


@pytest.mark.parametrize("cls", [FFNNClassifier, FFNNRegressor])
def test_accepts_every_mlp_parameter(cls):
    """Same names and defaults as MLP; the additions are listed here."""
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    mlp = {FFNNClassifier: MLPClassifier, FFNNRegressor: MLPRegressor}[cls]()
    ours = cls().get_params()
    theirs = mlp.get_params()
    added = {
        "dtype",
        "weight_init",
        "warmup_epochs",
        "lr_step_size",
        "lr_gamma",
        "max_grad_norm",
        "early_stopping_metric",
        "dropout",
    } | ({"class_weight"} if cls is FFNNClassifier else {"huber_delta"})
    if cls is FFNNRegressor and "loss" not in theirs:
        added.add("loss")  # MLPRegressor has taken loss since scikit-learn 1.7
    assert set(ours) - set(theirs) == added
    for name, value in theirs.items():
        assert ours[name] == value, name


@pytest.mark.parametrize("cls", [FFNNClassifier, FFNNRegressor])
def test_accepts_every_value_mlp_accepts(cls):
    """Each numeric range of MLP's parameters is ours too, option lists grow.

    validation_fraction=0.0 (allowed by MLP without early stopping) was once
    refused here.
    """
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.utils._param_validation import StrOptions

    mlp = {FFNNClassifier: MLPClassifier, FFNNRegressor: MLPRegressor}[cls]
    for name, theirs in mlp._parameter_constraints.items():
        ours = cls._parameter_constraints[name]
        for constraint in theirs:
            if isinstance(constraint, StrOptions):
                assert any(
                    isinstance(c, StrOptions) and constraint.options <= c.options
                    for c in ours
                ), name
            else:  # ranges, option sets, types: the same, as text
                assert str(constraint) in map(str, ours), name
