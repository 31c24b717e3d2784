"""Features beyond MLP: activations, weight initialization, robust losses."""

import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import QuantileRegressor

from skffnn import FFNNClassifier, FFNNRegressor
from skffnn._network import ACTIVATIONS, Parameters, initialize

pytestmark = pytest.mark.usefixtures("quiet_convergence")


# Values from the definitions (gelu: the tanh approximation).
KNOWN_VALUES = {
    "leaky_relu": ([-2.0, 3.0], [-0.02, 3.0]),
    "elu": ([-1.0, 2.0], [np.expm1(-1.0), 2.0]),
    "selu": (
        [-1.0, 1.0],
        [1.0507009873554805 * 1.6732632423543772 * np.expm1(-1.0), 1.0507009873554805],
    ),
    "gelu": ([1.0, -1.0], [0.8411919906082768, -0.15880800939172324]),
    "softplus": ([0.0, 50.0], [np.log(2.0), 50.0]),
    "silu": ([1.0, -2.0], [1 / (1 + np.exp(-1.0)), -2 / (1 + np.exp(2.0))]),
}


@pytest.mark.parametrize("name", sorted(KNOWN_VALUES))
def test_activation_values(name):
    z, expected = (np.array(v) for v in KNOWN_VALUES[name])
    a = np.empty_like(z)
    ACTIVATIONS[name].g(z, out=a)
    np.testing.assert_allclose(a, expected, rtol=1e-12)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_every_activation_trains(name):
    X, y = load_digits(return_X_y=True)
    model = FFNNClassifier(
        (32,), activation=name, learning_rate_init=0.01, max_iter=40, random_state=0
    )
    assert model.fit(X / 16, y).score(X / 16, y) > 0.9


def test_one_activation_per_hidden_layer():
    X, y = load_digits(return_X_y=True)
    model = FFNNClassifier(
        (16, 16), activation=["tanh", "relu"], learning_rate_init=0.01, max_iter=40
    )
    assert model.fit(X / 16, y).score(X / 16, y) > 0.8
    with pytest.raises(ValueError, match="activation has 1 entries but the network"):
        FFNNClassifier((16, 16), activation=["tanh"]).fit(X, y)
    with pytest.raises(ValueError, match="Unknown activation"):
        FFNNClassifier((16,), activation=["swoosh"]).fit(X, y)


@pytest.mark.parametrize(
    "scheme, expected_std",
    [
        ("glorot_uniform", lambda i, o: np.sqrt(2 / (i + o))),
        ("glorot_normal", lambda i, o: np.sqrt(2 / (i + o))),
        ("he_uniform", lambda i, o: np.sqrt(2 / i)),
        ("he_normal", lambda i, o: np.sqrt(2 / i)),
        ("lecun_normal", lambda i, o: np.sqrt(1 / i)),
    ],
)
def test_weight_init_spread(scheme, expected_std):
    params = Parameters((400, 300, 200), np.float64)
    initialize(params, np.random.RandomState(0), scheme, ["relu", "relu"])
    for l in (1, 2):
        fan_in, fan_out = params.W[l].shape
        assert params.W[l].std() == pytest.approx(
            expected_std(fan_in, fan_out), rel=0.02
        )
        assert abs(params.W[l].mean()) < 0.01 * params.W[l].std() * 10
        np.testing.assert_array_equal(params.b[l], 0.0)


def test_weight_init_auto_is_mlp():
    from sklearn.neural_network import MLPClassifier

    X, y = load_digits(return_X_y=True)
    ours = FFNNClassifier((20,), max_iter=1, random_state=3, dtype="float64")
    theirs = MLPClassifier((20,), max_iter=1, random_state=3)
    ours.set_params(learning_rate_init=1e-12).fit(X, y)
    theirs.set_params(learning_rate_init=1e-12).fit(X, y)
    np.testing.assert_allclose(ours.coefs_[0], theirs.coefs_[0], atol=1e-9)


def test_absolute_error_fits_the_median():
    """A linear model with absolute error is least-absolute-deviation regression."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(400, 2))
    y = X @ np.array([1.0, -2.0]) + 0.5 + rng.standard_cauchy(400)
    reference = QuantileRegressor(quantile=0.5, alpha=0.0).fit(X, y)
    model = FFNNRegressor(
        loss="absolute_error",
        hidden_layer_sizes=(),
        alpha=0.0,
        solver="adam",
        learning_rate_init=0.01,
        batch_size=400,
        max_iter=3000,
        n_iter_no_change=np.inf,
        random_state=0,
    ).fit(X, y)
    np.testing.assert_allclose(model.coefs_[0].ravel(), reference.coef_, atol=0.02)


def test_huber_is_robust_to_outliers():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 2))
    y = X @ np.array([1.0, 2.0])
    y[:15] += 100.0  # 5 % gross outliers
    kw = dict(hidden_layer_sizes=(), alpha=0.0, solver="lbfgs", tol=1e-10)
    squared = FFNNRegressor(**kw).fit(X, y)
    huber = FFNNRegressor(loss="huber", huber_delta=1.0, **kw).fit(X, y)
    assert np.abs(huber.coefs_[0].ravel() - [1.0, 2.0]).max() < 0.1
    assert np.abs(squared.coefs_[0].ravel() - [1.0, 2.0]).max() > 0.3
    assert huber.out_activation_ == "identity"


def test_transform_equals_a_manual_forward_pass():
    X, y = load_digits(return_X_y=True)
    X = X / 16
    model = FFNNClassifier(
        (12, 7), activation=["tanh", "relu"], max_iter=5, random_state=0
    ).fit(X, y)
    W, b = model.coefs_, model.intercepts_
    a1 = np.tanh(X @ W[0] + b[0])
    a2 = np.maximum(a1 @ W[1] + b[1], 0)
    # transform propagates blocks of rows: 1-ulp differences from one GEMM
    # over all rows, which near 0 exceed any relative tolerance.
    close = dict(rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(model.transform(X, layer=1), a1, **close)
    np.testing.assert_allclose(model.transform(X), a2, **close)
    np.testing.assert_allclose(model.transform(X, layer=-2), a1, **close)
    for layer in [3, True]:  # True, an int to Python, is no layer number
        with pytest.raises(ValueError, match=f"in 1..2 .* got {layer}"):
            model.transform(X, layer=layer)


def test_transform_as_a_pipeline_feature_extractor():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    X, y = load_digits(return_X_y=True)
    extractor = FFNNClassifier((32,), max_iter=30, random_state=0).fit(X / 16, y)
    pipe = make_pipeline(extractor, LogisticRegression(max_iter=500))
    # A fitted extractor refitted inside the pipeline keeps working.
    assert pipe.fit(X / 16, y).score(X / 16, y) > 0.9


def test_a_pipeline_cannot_fit_on_one_layer_and_predict_from_another():
    """fit_transform(layer=1) once trained the next step on layer 1, while
    predict fed it transform's default, the last hidden layer: with layers
    of one width, iris scored 0.333 instead of 0.967, without an error."""
    from sklearn.datasets import load_iris
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    X, y = load_iris(return_X_y=True)
    pipe = make_pipeline(
        FFNNClassifier((6, 6), max_iter=50, random_state=0),
        LogisticRegression(),
    )
    with pytest.raises(TypeError, match="fit_transform takes no layer"):
        pipe.fit(X, y, ffnnclassifier__layer=1)
    # fit_transform is fit, then transform's default layer.
    model = FFNNClassifier((6, 6), max_iter=50, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        np.testing.assert_array_equal(
            model.fit_transform(X, y), clone(model).fit(X, y).transform(X)
        )


def test_set_output_gives_named_dataframes_of_a_layer():
    pd = pytest.importorskip("pandas")
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True, as_frame=True)
    X.index = X.index + 1000  # an index transform must carry over
    model = FFNNClassifier((5, 3), max_iter=20, random_state=0)
    a = model.set_output(transform="pandas").fit_transform(X, y)
    assert isinstance(a, pd.DataFrame) and a.index.equals(X.index)
    assert list(a.columns) == [f"ffnnclassifier_layer2_{i}" for i in range(3)]
    a1 = model.transform(X, layer=1)
    assert list(a1.columns) == list(model.get_feature_names_out(layer=1))
    np.testing.assert_array_equal(
        a1.to_numpy(), model.set_output(transform="default").transform(X, layer=1)
    )
    with pytest.raises(ValueError, match="layer must be an integer in 1..2"):
        model.get_feature_names_out(layer=3)


def test_pipeline_set_output_with_a_network_as_last_step():
    # Pipeline.set_output configures every step that has transform: it
    # raised "set_output is not available" here, where MLP has no transform.
    from sklearn.datasets import load_iris
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = load_iris(return_X_y=True, as_frame=True)
    pipe = make_pipeline(StandardScaler(), FFNNClassifier(max_iter=50, random_state=0))
    assert pipe.set_output(transform="pandas").fit(X, y).score(X, y) > 0.8


@pytest.mark.parametrize(
    "check",
    [
        "check_set_output_transform",
        "check_set_output_transform_pandas",
        "check_global_output_transform_pandas",
        "check_transformer_get_feature_names_out",
        "check_transformer_get_feature_names_out_pandas",
        "check_get_feature_names_out_error",
    ],
)
@pytest.mark.parametrize("Estimator", [FFNNClassifier, FFNNRegressor])
def test_scikit_learn_output_checks(check, Estimator):
    # Not among the checks parametrize_with_checks yields for these estimators.
    pytest.importorskip("pandas")
    from sklearn.utils import estimator_checks

    model = Estimator(hidden_layer_sizes=(6,), max_iter=20, random_state=0)
    getattr(estimator_checks, check)(Estimator.__name__, model)


@pytest.mark.parametrize(
    "model",
    [
        FFNNClassifier((5, 4), activation="tanh"),
        FFNNClassifier((6,), activation="gelu", alpha=0.5),
        FFNNRegressor(hidden_layer_sizes=(6, 3), loss="huber", activation="silu"),
        FFNNRegressor(hidden_layer_sizes=(4,), loss="poisson", activation="softplus"),
    ],
)
def test_check_gradients_on_user_configurations(model):
    from sklearn.datasets import load_iris

    from skffnn import check_gradients

    X, y = load_iris(return_X_y=True)
    if isinstance(model, FFNNRegressor):
        y = y.astype(float)
    errors = check_gradients(model, X, y, sample_weight=np.arange(1, 151))
    assert sorted(errors) == sorted(
        f"{p}{l}" for p in "Wb" for l in range(1, len(model.hidden_layer_sizes) + 2)
    )
    assert max(errors.values()) < 1e-6
    assert not hasattr(model, "coefs_")  # the estimator was not modified


def test_check_gradients_detects_a_wrong_derivative(monkeypatch):
    """A derivative off by 10 % must show up as a large error."""
    from sklearn.datasets import load_iris

    from skffnn import check_gradients
    from skffnn._network import activations

    wrong = activations.Activation(
        activations.tanh,
        lambda z, a, delta: activations.tanh_prime(z, a, delta) or delta.__imul__(1.1),
        needs_z=False,
    )
    monkeypatch.setitem(activations.ACTIVATIONS, "tanh", wrong)
    X, y = load_iris(return_X_y=True)
    errors = check_gradients(FFNNClassifier((5,), activation="tanh"), X, y)
    assert errors["W1"] > 1e-2


def _imbalanced(seed=0):
    from sklearn.datasets import make_classification

    return make_classification(
        n_samples=300,
        n_classes=3,
        n_informative=4,
        weights=[0.7, 0.2, 0.1],
        random_state=seed,
    )


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
@pytest.mark.parametrize("class_weight", ["balanced", {0: 1.0, 1: 3.0, 2: 0.5}])
def test_class_weight_equals_matching_sample_weight(solver, class_weight):
    from sklearn.utils.class_weight import compute_sample_weight

    X, y = _imbalanced()
    kw = dict(hidden_layer_sizes=(8,), solver=solver, max_iter=30, random_state=0)
    by_class = FFNNClassifier(class_weight=class_weight, **kw).fit(X, y)
    by_sample = FFNNClassifier(**kw).fit(
        X, y, sample_weight=compute_sample_weight(class_weight, y)
    )
    for a, b in zip(by_class.coefs_, by_sample.coefs_):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    # Combined multiplicatively with sample_weight.
    sw = np.random.RandomState(1).uniform(0.5, 2.0, size=len(y))
    both = FFNNClassifier(class_weight=class_weight, **kw).fit(X, y, sample_weight=sw)
    product = FFNNClassifier(**kw).fit(
        X, y, sample_weight=sw * compute_sample_weight(class_weight, y)
    )
    np.testing.assert_allclose(both.coefs_[0], product.coefs_[0], rtol=1e-12)


def test_class_weight_in_score_and_partial_fit():
    from sklearn.metrics import accuracy_score
    from sklearn.utils.class_weight import compute_sample_weight

    X, y = _imbalanced()
    model = FFNNClassifier((8,), class_weight="balanced", max_iter=20).fit(X, y)
    # Plain accuracy, as any scikit-learn classifier's: score() once weighed
    # samples by class_weight_, and a grid over class_weight ranked its
    # candidates on different metrics (None won at 0.910 against 0.858,
    # where 'balanced' was more accurate, 0.923 against 0.910).
    weights = np.random.RandomState(0).uniform(0.5, 2.0, size=len(y))
    assert model.score(X, y) == accuracy_score(y, model.predict(X))
    assert model.score(X, y, sample_weight=weights) == pytest.approx(
        accuracy_score(y, model.predict(X), sample_weight=weights)
    )
    assert model.score(X, y) != pytest.approx(
        accuracy_score(
            y, model.predict(X), sample_weight=compute_sample_weight("balanced", y)
        )
    )
    with pytest.raises(ValueError, match="partial_fit does not see"):
        FFNNClassifier(class_weight="balanced").partial_fit(X, y, classes=[0, 1, 2])
    weights = {0: 1.0, 1: 2.0, 2: 4.0}
    stream = FFNNClassifier((8,), class_weight=weights, random_state=0)
    stream.partial_fit(X, y, classes=[0, 1, 2])
    np.testing.assert_array_equal(stream.class_weight_, [1.0, 2.0, 4.0])
    plain = FFNNClassifier((8,), random_state=0).partial_fit(
        X, y, classes=[0, 1, 2], sample_weight=compute_sample_weight(weights, y)
    )
    np.testing.assert_allclose(stream.coefs_[0], plain.coefs_[0], rtol=1e-12)


def test_partial_fit_follows_a_changed_class_weight():
    # The weights of the first call were kept for the whole stream, silently.
    from sklearn.utils.class_weight import compute_sample_weight

    X, y = _imbalanced()
    first, second = {0: 1.0, 1: 2.0, 2: 4.0}, {0: 3.0, 1: 1.0, 2: 0.5}
    stream = FFNNClassifier((8,), class_weight=first, random_state=0)
    plain = FFNNClassifier((8,), random_state=0)
    for weights in (first, second):
        stream.set_params(class_weight=weights).partial_fit(X, y, classes=[0, 1, 2])
        plain.partial_fit(
            X, y, classes=[0, 1, 2], sample_weight=compute_sample_weight(weights, y)
        )
    np.testing.assert_array_equal(stream.class_weight_, [3.0, 1.0, 0.5])
    np.testing.assert_allclose(stream.coefs_[0], plain.coefs_[0], rtol=1e-12)
    # Turned off, it no longer weighs the training nor the score.
    stream.set_params(class_weight=None).partial_fit(X, y)
    plain.partial_fit(X, y)
    assert not hasattr(stream, "class_weight_")
    np.testing.assert_allclose(stream.coefs_[0], plain.coefs_[0], rtol=1e-12)
    assert stream.score(X, y) == plain.score(X, y)


@pytest.mark.parametrize("solver", ["adamw", "rmsprop"])
def test_new_solvers_train(solver):
    X, y = load_digits(return_X_y=True)
    model = FFNNClassifier((32,), solver=solver, max_iter=30, random_state=0)
    assert model.fit(X / 16, y).score(X / 16, y) > 0.9  # adam: 0.940
    assert model.loss_curve_[-1] < model.loss_curve_[0]


@pytest.mark.parametrize("solver", ["adamw", "rmsprop"])
def test_new_solvers_support_partial_fit(solver):
    X, y = load_digits(return_X_y=True)
    model = FFNNClassifier((16,), solver=solver, random_state=0)
    for _ in range(3):
        model.partial_fit(X / 16, y, classes=np.arange(10))
    assert len(model.loss_curve_) == 3
    assert model.loss_curve_[-1] < model.loss_curve_[0]


def test_adamw_alpha_is_decoupled_decay():
    """With adamw, alpha shrinks the weights instead of entering the loss."""
    X, y = load_digits(return_X_y=True)
    kw = dict(hidden_layer_sizes=(16,), max_iter=5, random_state=0, solver="adamw")
    plain = FFNNClassifier(alpha=0.0, **kw).fit(X / 16, y)
    decayed = FFNNClassifier(alpha=5.0, **kw).fit(X / 16, y)
    assert np.abs(decayed.coefs_[0]).sum() < np.abs(plain.coefs_[0]).sum()
    # The reported loss carries no penalty term: a tiny alpha leaves it equal.
    tiny = FFNNClassifier(alpha=1e-12, **kw).fit(X / 16, y)
    np.testing.assert_allclose(tiny.loss_curve_, plain.loss_curve_, rtol=1e-6)


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_cosine_schedule_drives_the_estimator(solver):
    X, y = load_digits(return_X_y=True)
    model = FFNNClassifier(
        (8,),
        solver=solver,
        learning_rate="cosine",
        learning_rate_init=0.02,
        max_iter=10,
        n_iter_no_change=np.inf,
        random_state=0,
    ).fit(X / 16, y)
    e = 10  # after 10 epochs the rate for epoch 10 is set
    expected = 0.02 * 0.5 * (1 + np.cos(np.pi * e / 10))
    assert model._optimizer.rule.learning_rate == pytest.approx(expected, abs=1e-15)


def test_cosine_schedule_over_partial_fit_calls_warns_at_its_end():
    # Each call is an epoch: after max_iter calls the rate is 0, and a
    # stream used to go on untrained without a word.
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    X, y = load_digits(return_X_y=True)
    for solver in ["adam", "sgd"]:
        model = FFNNClassifier(
            (8,), solver=solver, learning_rate="cosine", max_iter=3, random_state=0
        )
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            for _ in range(3):
                model.partial_fit(X / 16, y, classes=np.arange(10))
        before = model.coefs_[0].copy()
        with pytest.warns(ConvergenceWarning, match="'cosine' schedule has reached 0"):
            model.partial_fit(X / 16, y)
        if solver == "adam":  # no step; sgd's momentum still moves the weights
            np.testing.assert_array_equal(model.coefs_[0], before)


def test_step_schedule_with_warmup_in_the_estimator():
    X, y = load_digits(return_X_y=True)
    model = FFNNClassifier(
        (8,),
        learning_rate="step",
        lr_step_size=2,
        lr_gamma=0.5,
        warmup_epochs=1,
        learning_rate_init=0.01,
        random_state=0,
    )
    model.partial_fit(X / 16, y, classes=np.arange(10))
    rates = [model._optimizer.rule.learning_rate]
    for _ in range(4):
        model.partial_fit(X / 16, y)
        rates.append(model._optimizer.rule.learning_rate)
    # Epochs 1..5 done; rate of epoch e: 0.01 * 0.5^(e // 2), warmup over.
    np.testing.assert_allclose(rates, [0.01, 0.005, 0.005, 0.0025, 0.0025])


def test_max_grad_norm_bounds_the_applied_step():
    """Plain sgd on one full batch: the step is lr times the clipped gradient."""
    X, y = load_digits(return_X_y=True)
    kw = dict(
        hidden_layer_sizes=(8,),
        solver="sgd",
        momentum=0.0,
        learning_rate_init=0.1,
        batch_size=len(y),
        max_iter=1,
        random_state=0,
        dtype="float64",
    )
    start = FFNNClassifier(**kw).set_params(learning_rate_init=1e-300).fit(X, y)
    clipped = FFNNClassifier(max_grad_norm=0.01, **kw).fit(X, y)
    free = FFNNClassifier(**kw).fit(X, y)

    def step(model):
        return np.sqrt(
            sum(
                ((a - b) ** 2).sum()
                for a, b in zip(
                    model.coefs_ + model.intercepts_, start.coefs_ + start.intercepts_
                )
            )
        )

    assert step(clipped) == pytest.approx(0.1 * 0.01, rel=1e-6)
    assert step(free) > 10 * step(clipped)


def test_validation_data_is_used_instead_of_a_split():
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    X_train, X_val, y_train, y_val = train_test_split(X / 16, y, random_state=0)
    kw = dict(hidden_layer_sizes=(16,), max_iter=15, random_state=0, dtype="float64")
    model = FFNNClassifier(early_stopping=True, **kw)
    model.fit(X_train, y_train, validation_data=(X_val, y_val))
    # Every epoch's recorded score is the score on (X_val, y_val) of that
    # epoch's weights; the last epoch is reproduced by a run of that length.
    last = FFNNClassifier(**{**kw, "max_iter": model.n_iter_}).fit(X_train, y_train)
    assert model.validation_scores_[-1] == pytest.approx(last.score(X_val, y_val))
    # All training rows were trained on: t_ counts len(X_train) per epoch.
    assert model.t_ == model.n_iter_ * len(X_train)
    assert len(model.validation_loss_curve_) == model.n_iter_


def test_validation_loss_curve_matches_the_loss_definition():
    from sklearn.metrics import log_loss

    X, y = load_digits(return_X_y=True)
    model = FFNNClassifier((16,), max_iter=3, random_state=0, dtype="float64")
    model.fit(X[:1000] / 16, y[:1000], validation_data=(X[1000:] / 16, y[1000:]))
    # Validation without early stopping records curves and trains as before.
    assert model.best_loss_ is not None
    np.testing.assert_allclose(
        model.validation_loss_curve_[-1],
        log_loss(y[1000:], model.predict_proba(X[1000:] / 16)),
        rtol=1e-10,
    )


def test_early_stopping_on_the_validation_loss():
    X, y = load_digits(return_X_y=True)
    model = FFNNClassifier(
        (16,),
        early_stopping=True,
        early_stopping_metric="loss",
        n_iter_no_change=3,
        learning_rate_init=0.05,
        max_iter=200,
        random_state=0,
        dtype="float64",
    ).fit(X / 16, y)
    curve = model.validation_loss_curve_
    best = int(np.argmin(curve))
    assert best < model.n_iter_ - 1  # stopped after the best epoch
    assert model.best_validation_score_ == model.validation_scores_[best]


def test_validation_data_errors():
    X, y = load_digits(return_X_y=True)
    model = FFNNClassifier((4,), max_iter=2)
    with pytest.raises(TypeError, match="pair"):
        model.fit(X, y, validation_data=X)
    # Two rows once unpacked into an X_val and a y_val ("Expected 2D array").
    with pytest.raises(TypeError, match=r"a tuple or list, got ndarray of shape"):
        model.fit(X, y, validation_data=X[:2])
    with pytest.raises(TypeError, match="got tuple of length 3"):
        model.fit(X, y, validation_data=(X, y, None))
    model.fit(X, y, validation_data=[X[:20], y[:20]])  # a list is a pair too
    with pytest.raises(ValueError, match="not among the training classes"):
        model.fit(X[y < 5], y[y < 5], validation_data=(X[:10], np.full(10, 9)))
    with pytest.raises(ValueError, match="X has 3 features"):
        model.fit(X, y, validation_data=(X[:, :3], y))
    with pytest.raises(ValueError, match="no epochs"):
        FFNNClassifier(solver="lbfgs").fit(X, y, validation_data=(X, y))
    with pytest.raises(ValueError, match="no epochs"):
        FFNNClassifier(solver="lbfgs").fit(X, y, X_val=X, y_val=y)
    with pytest.raises(ValueError, match="either as validation_data or as X_val"):
        model.fit(X, y, validation_data=(X, y), X_val=X)
    with pytest.raises(ValueError, match="X_val is given, but y_val is not"):
        model.fit(X, y, X_val=X)
    with pytest.raises(ValueError, match="y_val is given, but X_val is not"):
        model.fit(X, y, y_val=y)
    with pytest.raises(ValueError, match="sample_weight_val is given without"):
        model.fit(X, y, sample_weight_val=np.ones(len(y)))
    with pytest.raises(ValueError, match="samples in X_val but 5 in y_val"):
        model.fit(X, y, X_val=X[:10], y_val=y[:5])
    with pytest.raises(ValueError, match="sample_weight_val: .*shape"):
        model.fit(X, y, X_val=X[:10], y_val=y[:10], sample_weight_val=np.ones(5))
    with pytest.raises(ValueError, match="sample_weight_val: .*[Nn]egative"):
        model.fit(X, y, X_val=X[:3], y_val=y[:3], sample_weight_val=[1, -1, 1])
    with pytest.raises(ValueError, match="sample_weight_val"):
        model.fit(X, y, X_val=X[:3], y_val=y[:3], sample_weight_val=np.zeros(3))
    with pytest.raises(ValueError, match="X_val: X has 3 features"):
        model.fit(X, y, X_val=X[:10, :3], y_val=y[:10])
    with pytest.raises(ValueError, match="y_val must hold one label per sample"):
        model.fit(X, y, X_val=X[:10], y_val=np.eye(10)[y[:10]])
    multilabel = np.eye(10)[y][:, :3]
    with pytest.raises(ValueError, match="y_val must be a label indicator matrix"):
        model.fit(X, multilabel, X_val=X[:10], y_val=y[:10] % 3)
    with pytest.raises(ValueError, match="y_val has 4 outputs per sample but y has 3"):
        model.fit(X, multilabel, X_val=X[:10], y_val=np.eye(10)[y[:10]][:, :4])


def test_a_regressor_refuses_y_val_of_another_width_before_training():
    X, y = load_digits(return_X_y=True)
    Y = np.column_stack([X[:, 20], X[:, 43]])
    model = FFNNRegressor(hidden_layer_sizes=(4,), max_iter=2, random_state=0)
    model.fit(X, Y)
    fitted = pickle.dumps(model)
    for y_val in (Y[:10, 0], np.column_stack([Y[:10], Y[:10, 0]])):
        with pytest.raises(ValueError, match="outputs per sample but y has 2"):
            model.fit(X, Y, X_val=X[:10], y_val=y_val)
        assert pickle.dumps(model) == fitted


def test_a_poisson_regressor_refuses_negative_y_val():
    # Negative counts have no deviance: every validation loss was NaN,
    # silently (or blamed on overflow under early stopping on the loss).
    X, y = load_digits(return_X_y=True)
    model = FFNNRegressor(hidden_layer_sizes=(4,), loss="poisson", max_iter=2)
    y_val = np.r_[-1.0, y[1:10]]
    with pytest.raises(ValueError, match="non-negative targets y_val, but y_val"):
        model.fit(X, y, X_val=X[:10], y_val=y_val)
    assert not hasattr(model, "coefs_")


def test_X_val_and_y_val_are_validation_data_in_sklearn_spelling():
    X, y = load_digits(return_X_y=True)
    X = X / 16
    kw = dict(hidden_layer_sizes=(16,), max_iter=4, random_state=0, dtype="float64")
    pair = FFNNClassifier(early_stopping=True, **kw)
    pair.fit(X[:1200], y[:1200], validation_data=(X[1200:], y[1200:]))
    spelled = FFNNClassifier(early_stopping=True, **kw)
    spelled.fit(X[:1200], y[:1200], X_val=X[1200:], y_val=y[1200:])
    assert spelled.validation_scores_ == pair.validation_scores_
    assert spelled.validation_loss_curve_ == pair.validation_loss_curve_
    for a, b in zip(spelled.coefs_, pair.coefs_):
        np.testing.assert_array_equal(a, b)


def test_sample_weight_val_weighs_the_validation_score_and_loss():
    from sklearn.metrics import log_loss, r2_score

    X, y = load_digits(return_X_y=True)
    X = X / 16
    X_val, y_val = X[1000:], y[1000:]
    weights = np.random.default_rng(0).uniform(0, 3, len(y_val)) * (y_val < 5)
    model = FFNNClassifier((16,), max_iter=3, random_state=0, dtype="float64")
    model.fit(X[:1000], y[:1000], X_val=X_val, y_val=y_val, sample_weight_val=weights)
    # Without early stopping the last epoch's weights are kept, so the last
    # recorded figures are those of the fitted model.
    weighted = model.score(X_val, y_val, sample_weight=weights)
    assert model.validation_scores_[-1] == pytest.approx(weighted, rel=1e-12)
    assert weighted != pytest.approx(model.score(X_val, y_val), rel=1e-3)
    np.testing.assert_allclose(
        model.validation_loss_curve_[-1],
        log_loss(y_val, model.predict_proba(X_val), sample_weight=weights),
        rtol=1e-10,
    )

    target = X[:, 20] - X[:, 43]
    regressor = FFNNRegressor(
        hidden_layer_sizes=(8,), max_iter=3, random_state=0, dtype="float64"
    )
    regressor.fit(
        X[:1000],
        target[:1000],
        validation_data=(X_val, target[1000:]),
        sample_weight_val=weights,
    )
    expected = r2_score(target[1000:], regressor.predict(X_val), sample_weight=weights)
    assert regressor.validation_scores_[-1] == pytest.approx(expected, rel=1e-10)


def test_X_val_is_transformed_by_a_pipeline_with_transform_input():
    # The Pipeline transforms X_val with the steps before the network, as
    # it does X, so the scores are those of a network fitted on scaled data.
    import sklearn
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = load_digits(return_X_y=True)
    X_train, y_train, X_val, y_val = X[:1200], y[:1200], X[1200:], y[1200:]
    kw = dict(hidden_layer_sizes=(16,), max_iter=4, random_state=0, dtype="float64")
    with sklearn.config_context(enable_metadata_routing=True):
        model = FFNNClassifier(early_stopping=True, **kw)
        model.set_fit_request(X_val=True, y_val=True)
        pipe = Pipeline(
            [("scale", StandardScaler()), ("ffnn", model)], transform_input=["X_val"]
        )
        pipe.fit(X_train, y_train, X_val=X_val, y_val=y_val)
    scaler = StandardScaler().fit(X_train)
    direct = FFNNClassifier(early_stopping=True, **kw).fit(
        scaler.transform(X_train),
        y_train,
        X_val=scaler.transform(X_val),
        y_val=y_val,
    )
    assert pipe[-1].validation_scores_ == direct.validation_scores_
    assert pipe[-1].validation_loss_curve_ == direct.validation_loss_curve_


def test_X_val_reaches_the_network_as_an_intermediate_pipeline_step():
    # Routed metadata goes to fit_transform when the network feeds a later
    # step (the network as a feature extractor).
    import sklearn
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    X, y = load_digits(return_X_y=True)
    X = X / 16
    kw = dict(hidden_layer_sizes=(16,), max_iter=3, random_state=0, dtype="float64")
    with sklearn.config_context(enable_metadata_routing=True):
        network = FFNNClassifier(**kw).set_fit_request(X_val=True, y_val=True)
        pipe = Pipeline([("ffnn", network), ("logistic", LogisticRegression())])
        pipe.fit(X[:1200], y[:1200], X_val=X[1200:], y_val=y[1200:])
    direct = FFNNClassifier(**kw).fit(
        X[:1200], y[:1200], X_val=X[1200:], y_val=y[1200:]
    )
    assert len(direct.validation_scores_) == 3
    assert pipe[0].validation_scores_ == direct.validation_scores_


class _CountingCallback:
    """A FitCallback that records what each epoch task sees."""

    def __init__(self, stop_after=None):
        self.begins, self.scores, self.stop_after = 0, [], stop_after

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context, *, X=None, y=None):
        self.begins += context.task_name == "epoch"

    def on_fit_task_end(
        self, estimator, context, *, X=None, y=None, fitted_estimator=None
    ):
        if context.task_name != "epoch":  # the whole fit's task
            self.final = fitted_estimator.score(X, y)
            return False
        self.scores.append(fitted_estimator.score(X, y))
        return self.stop_after is not None and len(self.scores) >= self.stop_after


def test_callbacks_see_one_task_per_epoch():
    pytest.importorskip("sklearn.callback")
    X, y = load_digits(return_X_y=True)
    callback = _CountingCallback()
    model = FFNNClassifier((16,), max_iter=7, random_state=0)
    model.set_callbacks(callback).fit(X / 16, y)
    assert callback.begins == len(callback.scores) == model.n_iter_ == 7
    # The estimator handed to the callback holds that epoch's weights.
    assert callback.scores[-1] == model.score(X / 16, y)
    assert callback.scores[-1] > callback.scores[0]
    assert callback.final == callback.scores[-1]


class _FailingCallback(_CountingCallback):
    """Records its setup and teardown, and raises at the end of an epoch."""

    def __init__(self, fail_at):
        super().__init__()
        self.log, self.fail_at = [], fail_at

    def setup(self, estimator, context):
        self.log.append("setup")

    def teardown(self, estimator, context):
        self.log.append("teardown")

    def on_fit_task_end(
        self, estimator, context, *, X=None, y=None, fitted_estimator=None
    ):
        if context.task_name == "epoch" and len(self.scores) + 1 == self.fail_at:
            raise RuntimeError("callback failed")
        return super().on_fit_task_end(
            estimator, context, X=X, y=y, fitted_estimator=fitted_estimator
        )


def test_a_fit_that_raises_still_tears_its_callbacks_down():
    # The failed fit leaves the estimator as it was, but the callbacks'
    # lifecycle (scikit-learn's) must still end: a progress bar is closed,
    # a log file flushed.
    pytest.importorskip("sklearn.callback")
    X, y = load_digits(return_X_y=True)
    callback = _FailingCallback(fail_at=2)
    model = FFNNClassifier((16,), max_iter=5, random_state=0).set_callbacks(callback)
    with pytest.raises(RuntimeError, match="callback failed"):
        model.fit(X / 16, y)
    assert callback.log == ["setup", "teardown"]
    assert not hasattr(model, "_callback_fit_ctx")
    assert not hasattr(model, "coefs_")


def test_callbacks_on_lbfgs_are_told_they_see_nothing():
    # lbfgs has no epochs: the callbacks' tasks never came, silently (a
    # ScoringMonitor then failed with "No logs to retrieve").
    pytest.importorskip("sklearn.callback")
    X, y = load_digits(return_X_y=True)
    callback = _CountingCallback()
    model = FFNNClassifier((8,), solver="lbfgs", max_iter=5, random_state=0)
    with pytest.warns(UserWarning, match="solver='lbfgs' has no epochs"):
        model.set_callbacks(callback).fit(X / 16, y)
    assert callback.begins == 0


def test_a_callback_can_stop_training():
    pytest.importorskip("sklearn.callback")
    X, y = load_digits(return_X_y=True)
    model = FFNNRegressor(hidden_layer_sizes=(8,), max_iter=50, random_state=0)
    model.set_callbacks(_CountingCallback(stop_after=3)).fit(X, y.astype(float))
    assert model.n_iter_ == 3


def test_scoring_monitor_logs_every_epoch():
    callback = pytest.importorskip("sklearn.callback")
    X, y = load_digits(return_X_y=True)
    monitor = callback.ScoringMonitor(scoring="accuracy")
    model = FFNNClassifier((16,), max_iter=4, random_state=0)
    model.set_callbacks(monitor).fit(X / 16, y)
    pytest.importorskip("pandas")
    log = monitor.get_logs().data_as_pandas
    epochs = log[log["task_name"] == "epoch"]["accuracy"].to_numpy()
    assert len(epochs) == model.n_iter_ == 4
    assert epochs[-1] == pytest.approx(model.score(X / 16, y))
    assert len(log) == 5  # and once for the whole fit


def test_dropout_zero_equals_no_dropout_and_predict_is_deterministic():
    X, y = load_digits(return_X_y=True)
    kw = dict(hidden_layer_sizes=(32, 16), max_iter=10, random_state=0)
    plain = FFNNClassifier(**kw).fit(X / 16, y)
    zero = FFNNClassifier(dropout=0.0, **kw).fit(X / 16, y)
    for a, b in zip(plain.coefs_, zero.coefs_):
        np.testing.assert_array_equal(a, b)
    dropped = FFNNClassifier(dropout=[0.5, 0.2], **kw).fit(X / 16, y)
    assert not np.allclose(dropped.coefs_[0], plain.coefs_[0])
    np.testing.assert_array_equal(
        dropped.predict_proba(X / 16), dropped.predict_proba(X / 16)
    )
    trained = FFNNClassifier((64,), dropout=0.2, max_iter=40, random_state=0)
    assert trained.fit(X / 16, y).score(X / 16, y) > 0.9


def test_dropout_errors():
    X, y = load_digits(return_X_y=True)
    with pytest.raises(ValueError, match="one such rate per hidden layer"):
        FFNNClassifier((8, 8), dropout=[0.5]).fit(X, y)
    with pytest.raises(ValueError, match="stochastic solver"):
        FFNNClassifier((8,), solver="lbfgs", dropout=0.5).fit(X, y)
    with pytest.raises(ValueError, match="dropout"):
        FFNNClassifier((8,), dropout=1.0).fit(X, y)
    # Once "could not convert string to float", and silently ignored.
    with pytest.raises(ValueError, match="one such rate per hidden layer"):
        FFNNClassifier((8, 8), dropout=[0.1, "a"]).fit(X, y)
    with pytest.raises(ValueError, match="dropout=0.5 drops units of hidden"):
        FFNNClassifier((), dropout=0.5).fit(X, y)
    FFNNClassifier((), dropout=0.0, max_iter=1).fit(X, y)


def test_dropout_masks_change_between_partial_fit_calls(monkeypatch):
    # With an int random_state each call starts from the same RandomState:
    # the masks of the same rows repeated at every pass from the second on.
    import skffnn._training.stochastic as stochastic

    masks, draw = [], stochastic.draw_dropout_masks

    def record(buffers, *args):
        draw(buffers, *args)
        masks.append(buffers.mask[1].copy())

    monkeypatch.setattr(stochastic, "draw_dropout_masks", record)
    X, y = load_digits(return_X_y=True)
    model = FFNNClassifier((16,), dropout=0.5, batch_size=2000, random_state=0)
    for _ in range(3):
        model.partial_fit(X / 16, y, classes=np.arange(10))
    assert len(masks) == 3
    assert not np.array_equal(masks[1], masks[2])


def test_validation_data_is_routed_through_a_grid_search():
    import sklearn
    from sklearn.model_selection import GridSearchCV

    X, y = load_digits(return_X_y=True)
    X = X / 16
    with sklearn.config_context(enable_metadata_routing=True):
        model = FFNNClassifier((16,), max_iter=5, random_state=0, early_stopping=True)
        model.set_fit_request(validation_data=True)
        search = GridSearchCV(model, {"alpha": [1e-4, 1e-2]}, cv=2)
        search.fit(X[:1500], y[:1500], validation_data=(X[1500:], y[1500:]))
    best = search.best_estimator_
    assert len(best.validation_scores_) == best.n_iter_
    assert best.t_ == best.n_iter_ * 1500  # no split: every row trained on


def test_progress_bar_runs_on_a_fit():
    callback = pytest.importorskip("sklearn.callback")
    pytest.importorskip("rich")
    X, y = load_digits(return_X_y=True)
    model = FFNNClassifier((16,), max_iter=3, random_state=0)
    model.set_callbacks(callback.ProgressBar()).fit(X / 16, y)
    assert model.n_iter_ == 3
