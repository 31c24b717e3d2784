"""LossCurveDisplay draws what the estimator recorded, epoch by epoch."""

import sys
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skffnn import FFNNClassifier, FFNNRegressor
from skffnn.plot import LossCurveDisplay

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
plt = pytest.importorskip("matplotlib.pyplot")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def fit(estimator, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return estimator.fit(X, y)


def test_loss_line_holds_the_loss_curve(iris):
    clf = fit(FFNNClassifier(hidden_layer_sizes=(8,), max_iter=30), *iris)
    display = LossCurveDisplay.from_estimator(clf)
    np.testing.assert_array_equal(display.line_.get_ydata(), clf.loss_curve_)
    np.testing.assert_array_equal(
        display.line_.get_xdata(), np.arange(1, clf.n_iter_ + 1)
    )
    assert display.line_.axes is display.ax_
    assert display.figure_ is display.ax_.figure
    assert display.validation_line_ is None and display.ax2_ is None
    assert display.ax_.get_title() == "FFNNClassifier"


def test_validation_scores_on_a_twin_axis(iris):
    clf = fit(FFNNClassifier(early_stopping=True, max_iter=50, random_state=0), *iris)
    display = LossCurveDisplay.from_estimator(clf)
    np.testing.assert_array_equal(display.line_.get_ydata(), clf.loss_curve_)
    np.testing.assert_array_equal(
        display.validation_line_.get_ydata(), clf.validation_scores_
    )
    assert display.validation_line_.axes is display.ax2_
    assert display.ax2_ is not display.ax_
    assert display.ax2_.get_shared_x_axes().joined(display.ax_, display.ax2_)


def test_draws_on_the_given_axes_with_line_keywords(iris):
    clf = fit(FFNNClassifier(hidden_layer_sizes=(8,), max_iter=10), *iris)
    fig, ax = plt.subplots()
    display = LossCurveDisplay.from_estimator(clf, ax=ax, color="red", name="run 1")
    assert display.ax_ is ax and display.figure_ is fig
    assert display.line_.get_color() == "red"
    assert ax.get_title() == "run 1"


def test_from_values_without_an_estimator():
    display = LossCurveDisplay(
        loss_curve=[3.0, 2.0, 1.5],
        validation_scores=[0.5, 0.7, 0.8],
        estimator_name="net",
    ).plot()
    np.testing.assert_array_equal(display.line_.get_ydata(), [3.0, 2.0, 1.5])
    np.testing.assert_array_equal(display.validation_line_.get_ydata(), [0.5, 0.7, 0.8])
    assert display.ax_.get_title() == "net"


def test_scores_of_only_some_epochs_are_drawn_at_their_epochs(iris):
    # Early stopping turned on in a warm start: 5 scores for epochs 6-10
    # were drawn at epochs 1-5, then not at all (their epochs were not
    # recorded); a partial_fit without validation leaves a gap.
    model = FFNNClassifier((8,), max_iter=5, warm_start=True, random_state=0)
    fit(model, *iris)
    fit(model.set_params(early_stopping=True, n_iter_no_change=100), *iris)
    fit(model.set_params(early_stopping=False), *iris)  # 5 epochs, unscored
    model.partial_fit(*iris)
    assert (len(model.loss_curve_), len(model.validation_scores_)) == (16, 5)
    display = LossCurveDisplay.from_estimator(model)
    np.testing.assert_array_equal(display.validation_line_.get_xdata(), range(6, 11))
    np.testing.assert_array_equal(
        display.validation_line_.get_ydata(), model.validation_scores_
    )
    # A model saved before the epochs were recorded: the loss alone.
    model._history.validation_epochs = None
    with pytest.warns(UserWarning, match="scores for 5 of its 16 epochs"):
        display = LossCurveDisplay.from_estimator(model)
    assert display.validation_line_ is None
    n_figures = len(plt.get_fignums())
    loss, scores = model.loss_curve_, model.validation_scores_
    with pytest.raises(ValueError, match="5 entries for 16 epochs"):
        LossCurveDisplay(loss_curve=loss, validation_scores=scores).plot()
    for epochs in (
        [6, 7, 8, 9],
        [6, 7, 7, 8, 9],
        [0, 1, 2, 3, 4],
        [12, 13, 14, 15, 17],
    ):
        with pytest.raises(ValueError, match="one increasing epoch in 1..16"):
            LossCurveDisplay(
                loss_curve=loss, validation_scores=scores, validation_epochs=epochs
            ).plot()
    assert len(plt.get_fignums()) == n_figures  # refused before drawing


@pytest.mark.parametrize(
    "estimator",
    [
        make_pipeline(StandardScaler(), FFNNRegressor(hidden_layer_sizes=(8,))),
        MLPClassifier(hidden_layer_sizes=(8,), max_iter=20),
    ],
    ids=["pipeline", "sklearn-mlp"],
)
def test_pipelines_and_sklearn_mlp(iris, estimator):
    X, y = iris
    fitted = fit(estimator, X, y.astype(float))
    network = fitted[-1] if hasattr(fitted, "steps") else fitted
    display = LossCurveDisplay.from_estimator(fitted)
    np.testing.assert_array_equal(display.line_.get_ydata(), network.loss_curve_)


def test_lbfgs_records_no_loss_curve(iris):
    clf = FFNNClassifier(hidden_layer_sizes=(8,), solver="lbfgs").fit(*iris)
    with pytest.raises(ValueError, match="solver='lbfgs'"):
        LossCurveDisplay.from_estimator(clf)
    # Refitted with lbfgs, then set back to adam: the message said the
    # network "was fitted with solver='adam'", from the current parameter.
    clf.set_params(solver="adam")
    with pytest.raises(ValueError, match="last fit recorded none.*'adam' now"):
        LossCurveDisplay.from_estimator(clf)
    # Not a network: it said the estimator used lbfgs "(solver is 'lbfgs' now)".
    from sklearn.linear_model import LogisticRegression

    linear = LogisticRegression().fit(*iris)
    with pytest.raises(ValueError, match="is not a network trained by a stochastic"):
        LossCurveDisplay.from_estimator(linear)


def test_no_loss_curve_message_names_every_stochastic_solver(iris):
    # It named 'sgd' and 'adam' only, and "solver=None" for a wrapper.
    from sklearn.compose import TransformedTargetRegressor

    from skffnn import FFNNRegressor

    X, y = iris
    clf = fit(FFNNClassifier(hidden_layer_sizes=(4,), solver="lbfgs"), X, y)
    with pytest.raises(ValueError, match="'adamw', 'rmsprop'.* solver='lbfgs'"):
        LossCurveDisplay.from_estimator(clf)
    wrapped = fit(TransformedTargetRegressor(FFNNRegressor(max_iter=5)), X, 1.0 * y)
    with pytest.raises(ValueError, match="pass the fitted network itself"):
        LossCurveDisplay.from_estimator(wrapped)
    LossCurveDisplay.from_estimator(wrapped.regressor_)


def test_unfitted_estimator():
    with pytest.raises(NotFittedError):
        LossCurveDisplay.from_estimator(FFNNClassifier())


def test_missing_matplotlib_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    display = LossCurveDisplay(loss_curve=[1.0, 0.5])
    with pytest.raises(ImportError, match="matplotlib: pip install matplotlib"):
        display.plot()
