"""Behaviour against references: scikit-learn's MLP, linear models, GLMs."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_digits, make_circles
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import (
    LinearRegression,
    LogisticRegression,
    PoissonRegressor,
    Ridge,
)
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor

from skffnn import FFNNClassifier, FFNNRegressor


def xor(n=600, seed=0):
    """XOR of the signs of two coordinates, kept 0.1 away from the axes."""
    rng = np.random.RandomState(seed)
    X = rng.uniform(0.1, 1.0, size=(n, 2)) * rng.choice([-1, 1], size=(n, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(int)


def circles(n=600, seed=0):
    return make_circles(n_samples=n, noise=0.05, factor=0.5, random_state=seed)


@pytest.mark.parametrize("make_data", [xor, circles], ids=["xor", "circles"])
def test_network_learns_what_logistic_regression_cannot(make_data):
    X, y = make_data()
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    linear = LogisticRegression().fit(X_train, y_train)
    network = FFNNClassifier(
        hidden_layer_sizes=(16,), solver="lbfgs", random_state=0
    ).fit(X_train, y_train)
    assert linear.score(X_test, y_test) < 0.65
    assert network.score(X_test, y_test) >= 0.99


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return train_test_split(X / 16.0, y, random_state=0)


@pytest.mark.parametrize(
    "params",
    [
        dict(),
        dict(dtype="float32"),
        dict(solver="lbfgs", max_iter=300),
        dict(solver="sgd", learning_rate_init=0.05, max_iter=100),
    ],
    ids=["adam", "adam-float32", "lbfgs", "sgd"],
)
def test_digits_accuracy_matches_mlp(digits, params):
    X_train, X_test, y_train, y_test = digits
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp = MLPClassifier(random_state=0, **params_without_dtype(params))
        mlp.fit(X_train, y_train)
        ffnn = FFNNClassifier(random_state=0, **params).fit(X_train, y_train)
    assert ffnn.score(X_test, y_test) >= mlp.score(X_test, y_test) - 0.01


def params_without_dtype(params):
    return {k: v for k, v in params.items() if k != "dtype"}


@pytest.mark.parametrize(
    "params",
    [
        dict(solver="adam"),
        dict(solver="sgd", nesterovs_momentum=True),
        dict(solver="sgd", nesterovs_momentum=False, learning_rate="invscaling"),
        dict(solver="sgd", momentum=0.0, learning_rate="adaptive", n_iter_no_change=2),
        dict(solver="adam", alpha=0.1, batch_size=32, shuffle=False),
        # MLP's schedules leave adam at a constant rate.
        dict(solver="adam", learning_rate="invscaling", power_t=0.9),
        dict(solver="adam", learning_rate="adaptive", n_iter_no_change=2, tol=0.1),
        # L-BFGS's line search turns a last-bit difference into a different
        # step after a few iterations (measured: identical through 5
        # iterations on these data, apart by iteration 10), so compare 5.
        dict(solver="lbfgs", max_iter=5),
    ],
)
@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
def test_float64_training_reproduces_mlp(params, task):
    """Same seed, same data, float64: the weights follow MLP's to rounding."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(150, 5))
    if task == "regression":
        y = X @ rng.normal(size=5) + np.sin(X[:, 0])
        pair = MLPRegressor, FFNNRegressor
    else:
        n_classes = 2 if task == "binary" else 3
        y = (X[:, 0] + X[:, 1] > 0).astype(int) + (n_classes == 3) * (X[:, 2] > 0)
        # Label noise keeps the classes overlapping: on separable data the
        # probabilities saturate, where MLP clips its log-loss and we do not.
        flip = rng.rand(len(y)) < 0.15
        y[flip] = rng.randint(n_classes, size=flip.sum())
        pair = MLPClassifier, FFNNClassifier
    kw = dict(hidden_layer_sizes=(8, 6), max_iter=25, random_state=0) | params
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp = pair[0](**kw).fit(X, y)
        ffnn = pair[1](dtype="float64", **kw).fit(X, y)
    for ours, theirs in zip(
        ffnn.coefs_ + ffnn.intercepts_, mlp.coefs_ + mlp.intercepts_
    ):
        np.testing.assert_allclose(ours, theirs, rtol=1e-7, atol=1e-9)
    assert ffnn.n_iter_ == mlp.n_iter_
    np.testing.assert_allclose(ffnn.loss_, mlp.loss_, rtol=1e-7)
    if params["solver"] != "lbfgs":
        np.testing.assert_allclose(ffnn.loss_curve_, mlp.loss_curve_, rtol=1e-7)


@pytest.mark.parametrize(
    "params",
    [dict(), dict(solver="sgd", learning_rate="adaptive"), dict(loss="poisson")],
    ids=repr,
)
def test_multi_output_regression_stops_where_mlp_stops(params):
    # skffnn's squared error sums the outputs, MLP's averages them: comparing
    # the sum with tol stopped at another epoch (551 against 471 with two
    # outputs). MLP's Poisson loss sums them as skffnn's does.
    rng = np.random.RandomState(0)
    X = rng.randn(200, 3)
    Y = np.column_stack([X[:, 0] + X[:, 1], 2 * X[:, 2], X[:, 0] * X[:, 2]])
    if params.get("loss") == "poisson":
        if "loss" not in MLPRegressor().get_params():
            pytest.skip("MLPRegressor takes loss from scikit-learn 1.7 on")
        Y = np.exp(0.3 * Y)
    kw = dict(hidden_layer_sizes=(16,), random_state=0, max_iter=2000, **params)
    for k in (2, 3):
        mlp = MLPRegressor(**kw).fit(X, Y[:, :k])
        ours = FFNNRegressor(dtype="float64", **kw).fit(X, Y[:, :k])
        assert ours.n_iter_ == mlp.n_iter_ < 2000
        np.testing.assert_allclose(ours.coefs_[0], mlp.coefs_[0], rtol=1e-9, atol=1e-12)


def test_no_hidden_layer_recovers_linear_regression():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 4))
    y = X @ np.array([1.5, -2.0, 0.5, 3.0]) + 0.7  # noiseless
    reference = LinearRegression().fit(X, y)
    model = FFNNRegressor(
        hidden_layer_sizes=(), alpha=0.0, solver="lbfgs", tol=1e-12, random_state=0
    ).fit(X, y)
    np.testing.assert_allclose(model.coefs_[0].ravel(), reference.coef_, rtol=1e-6)
    np.testing.assert_allclose(model.intercepts_[0], reference.intercept_, rtol=1e-6)


def test_alpha_has_ridge_meaning():
    """alpha/2 ||W||^2 over the sample count is Ridge's penalty on a linear model."""
    rng = np.random.RandomState(1)
    X = rng.normal(size=(100, 3))
    y = X @ np.array([1.0, -1.0, 2.0]) + rng.normal(scale=0.5, size=100)
    reference = Ridge(alpha=5.0).fit(X, y)
    model = FFNNRegressor(
        hidden_layer_sizes=(), alpha=5.0, solver="lbfgs", tol=1e-12, random_state=0
    ).fit(X, y)
    np.testing.assert_allclose(model.coefs_[0].ravel(), reference.coef_, rtol=1e-6)


def test_poisson_loss_matches_poisson_regressor():
    rng = np.random.RandomState(0)
    X = rng.normal(scale=0.5, size=(500, 3))
    y = rng.poisson(np.exp(X @ np.array([0.4, -0.3, 0.8]) + 0.5))
    reference = PoissonRegressor(alpha=0.0, tol=1e-10, max_iter=1000).fit(X, y)
    model = FFNNRegressor(
        loss="poisson",
        hidden_layer_sizes=(),
        alpha=0.0,
        solver="lbfgs",
        tol=1e-12,
        random_state=0,
    ).fit(X, y)
    assert model.out_activation_ == "exp"
    np.testing.assert_allclose(model.coefs_[0].ravel(), reference.coef_, rtol=1e-5)
    np.testing.assert_allclose(model.intercepts_[0], reference.intercept_, rtol=1e-5)
    np.testing.assert_allclose(model.predict(X), reference.predict(X), rtol=1e-5)
