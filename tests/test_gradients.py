"""Backpropagation against central finite differences, in float64."""

import itertools

import numpy as np
import pytest

from skffnn._network import (
    ACTIVATIONS,
    OUTPUT_LOSSES,
    Buffers,
    Network,
    Parameters,
    loss_and_gradient,
    output_loss,
    predict,
)

LAYER_SIZES = (4, 6, 5, 3)  # two hidden layers
N_SAMPLES = 12
H = 1e-6
LOSSES = [*OUTPUT_LOSSES, "huber"]
KINKED = {"relu", "leaky_relu", "elu", "selu"}  # g' jumps (or g'' does) at 0


def _targets(loss, rng):
    n_out = LAYER_SIZES[-1]
    if loss == "log_loss":
        return np.eye(n_out)[rng.randint(n_out, size=N_SAMPLES)]
    if loss == "binary_log_loss":
        return rng.randint(2, size=(N_SAMPLES, n_out)).astype(float)
    if loss == "poisson":
        return rng.poisson(2.0, size=(N_SAMPLES, n_out)).astype(float)
    return rng.normal(size=(N_SAMPLES, n_out))


def _away_from_kinks(loss, params, network, X, Y):
    """Residuals of the non-smooth losses stay clear of their kinks."""
    if loss not in ("huber", "absolute_error"):
        return
    r = np.abs(predict(params, network, X) - Y)
    assert np.abs(r - (0.5 if loss == "huber" else 0.0)).min() > 10 * H


def _objective(params, network, X, Y, sw, alpha):
    buffers = Buffers(network, params.layer_sizes, X.shape[0], np.float64)
    grad = params.like()
    loss = loss_and_gradient(params, grad, network, X, Y, sw, alpha, buffers)
    return loss, grad, buffers


def _finite_differences(params, network, X, Y, sw, alpha):
    fd = np.empty_like(params.theta)
    for i in range(params.theta.size):
        saved = params.theta[i]
        params.theta[i] = saved + H
        up = _objective(params, network, X, Y, sw, alpha)[0]
        params.theta[i] = saved - H
        down = _objective(params, network, X, Y, sw, alpha)[0]
        params.theta[i] = saved
        fd[i] = (up - down) / (2 * H)
    return fd


def _max_relative_error(params, grad, fd):
    """Largest |backprop - fd| per layer block, relative to that block's scale."""
    errors = []
    g, f = params.like(), params.like()
    g.theta[...], f.theta[...] = grad.theta, fd
    for l in range(1, params.L + 1):
        for a, b in ((g.W[l], f.W[l]), (g.b[l], f.b[l])):
            errors.append(np.abs(a - b).max() / np.abs(b).max())
    return max(errors)


@pytest.mark.parametrize(
    "activation, loss, alpha, weighted",
    list(itertools.product(ACTIVATIONS, LOSSES, [0.0, 0.3], [False, True])),
)
def test_backprop_matches_finite_differences(activation, loss, alpha, weighted):
    rng = np.random.RandomState(0)
    g = ACTIVATIONS[activation]
    output = output_loss(loss, huber_delta=0.5)
    network = Network.build([g] * (len(LAYER_SIZES) - 2), output)
    params = Parameters(LAYER_SIZES, np.float64)
    params.theta[...] = rng.normal(scale=0.5, size=params.theta.size)
    X = rng.normal(size=(N_SAMPLES, LAYER_SIZES[0]))
    Y = _targets(loss, rng)
    sw = rng.uniform(0.2, 3.0, size=N_SAMPLES) if weighted else None

    _away_from_kinks(loss, params, network, X, Y)
    loss_value, grad, _ = _objective(params, network, X, Y, sw, alpha)
    if activation in KINKED:
        # A finite difference across a kink would not be a derivative.
        a = X
        for l in range(1, params.L):
            z = a @ params.W[l] + params.b[l]
            assert np.abs(z).min() > 10 * H
            a = np.empty_like(z)
            g.g(z, out=a)

    fd = _finite_differences(params, network, X, Y, sw, alpha)
    assert np.isfinite(loss_value)
    assert _max_relative_error(params, grad, fd) <= 1e-6
    np.testing.assert_allclose(grad.theta, fd, rtol=1e-6, atol=1e-8)


def test_mixed_activations_per_layer():
    rng = np.random.RandomState(3)
    sizes = (3, 5, 4, 4, 2)
    names = ["tanh", "gelu", "silu"]
    network = Network.build([ACTIVATIONS[n] for n in names], OUTPUT_LOSSES["log_loss"])
    params = Parameters(sizes, np.float64)
    params.theta[...] = rng.normal(scale=0.5, size=params.theta.size)
    X = rng.normal(size=(N_SAMPLES, 3))
    Y = np.eye(2)[rng.randint(2, size=N_SAMPLES)]
    _, grad, _ = _objective(params, network, X, Y, None, 0.1)
    fd = _finite_differences(params, network, X, Y, None, 0.1)
    assert _max_relative_error(params, grad, fd) <= 1e-6


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_derivative_matches_its_function(name):
    """g' against a central difference of g, away from any kink."""
    z = np.linspace(-3, 3, 61)
    z = z[np.abs(z) > 1e-3]
    g = ACTIVATIONS[name]
    a = np.empty_like(z)
    g.g(z, out=a)
    delta = np.ones_like(z)
    g.g_prime(z, a, delta)
    up, down = np.empty_like(z), np.empty_like(z)
    g.g(z + H, out=up)
    g.g(z - H, out=down)
    np.testing.assert_allclose(delta, (up - down) / (2 * H), rtol=1e-6, atol=1e-8)


def test_loss_values_match_their_definitions():
    """The per-sample losses computed from z equal the textbook formulas."""
    rng = np.random.RandomState(1)
    z = rng.normal(size=(7, 3))
    onehot = np.eye(3)[rng.randint(3, size=7)]
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(
        OUTPUT_LOSSES["log_loss"].sample_loss(z, onehot),
        -(onehot * np.log(p)).sum(axis=1),
    )
    y01 = rng.randint(2, size=(7, 3)).astype(float)
    s = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(
        OUTPUT_LOSSES["binary_log_loss"].sample_loss(z, y01),
        -(y01 * np.log(s) + (1 - y01) * np.log(1 - s)).sum(axis=1),
    )
    counts = rng.poisson(2.0, size=(7, 3)).astype(float)
    mu = np.exp(z)
    with np.errstate(divide="ignore", invalid="ignore"):
        ylogy = np.where(counts > 0, counts * np.log(counts / mu), 0.0)
    np.testing.assert_allclose(
        OUTPUT_LOSSES["poisson"].sample_loss(z, counts),
        (ylogy - counts + mu).sum(axis=1),
    )
    y = rng.normal(size=(7, 3))
    np.testing.assert_allclose(
        OUTPUT_LOSSES["squared_error"].sample_loss(z, y),
        0.5 * ((z - y) ** 2).sum(axis=1),
    )


def test_network_package_does_not_import_sklearn():
    import ast
    from pathlib import Path

    import skffnn._network as network

    for path in Path(network.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] == "sklearn" for n in names), path


@pytest.mark.parametrize("activation", ["tanh", "logistic", "relu", "gelu"])
def test_backprop_with_a_fixed_dropout_mask(activation):
    """With the masks held fixed the objective is smooth: compare with FD."""
    from skffnn._network import draw_dropout_masks

    rng = np.random.RandomState(5)
    g = ACTIVATIONS[activation]
    network = Network.build([g, g], OUTPUT_LOSSES["log_loss"])
    params = Parameters(LAYER_SIZES, np.float64)
    params.theta[...] = rng.normal(scale=0.5, size=params.theta.size)
    X = rng.normal(size=(N_SAMPLES, LAYER_SIZES[0]))
    Y = _targets("log_loss", rng)
    rates = (0.0, 0.5, 0.3, 0.0)
    buffers = Buffers(network, LAYER_SIZES, N_SAMPLES, np.float64, dropout=rates)
    draw_dropout_masks(buffers, rates, np.random.default_rng(0), N_SAMPLES)
    assert (buffers.mask[1] == 0).any() and (buffers.mask[1] == 2.0).any()

    def objective(grad=None):
        grad = params.like() if grad is None else grad
        return loss_and_gradient(params, grad, network, X, Y, None, 0.1, buffers)

    grad = params.like()
    objective(grad)
    fd = np.empty_like(params.theta)
    for i in range(params.theta.size):
        saved = params.theta[i]
        params.theta[i] = saved + H
        up = objective()
        params.theta[i] = saved - H
        down = objective()
        params.theta[i] = saved
        fd[i] = (up - down) / (2 * H)
    assert _max_relative_error(params, grad, fd) <= 1e-6


def test_check_gradients_refuses_what_it_cannot_check():
    # Each of these once failed deep inside (a ZeroDivisionError, a matmul
    # error) or, worse, reported a pass: errors of 0 for n_entries=0, small
    # errors for 3 outputs broadcast against a 2-class y.
    from sklearn.datasets import load_iris
    from sklearn.neural_network import MLPClassifier

    from skffnn import FFNNClassifier, check_gradients

    X, y = load_iris(return_X_y=True)
    model = FFNNClassifier((5,), max_iter=5, random_state=0)
    bad = [
        ({"n_entries": 0}, ValueError, "n_entries must be at least 1, got 0"),
        ({"n_entries": 2.5}, TypeError, "n_entries must be an integer"),
        ({"step": 0.0}, ValueError, "step must be a positive finite number"),
        ({"step": True}, ValueError, "step must be a positive finite number"),
        ({"sample_weight": -np.ones(150)}, ValueError, "[Nn]egative"),
    ]
    for kwargs, error, match in bad:
        with pytest.raises(error, match=match):
            check_gradients(model, X, y, **kwargs)
    with pytest.raises(TypeError, match="FFNNClassifier or FFNNRegressor, got MLP"):
        check_gradients(MLPClassifier(), X, y)
    # Checked as fit checks them: a bare KeyError: 'bogus' before.
    with pytest.raises(ValueError, match="'activation' parameter of FFNNClassifier"):
        check_gradients(FFNNClassifier(activation="bogus"), X, y)
    with pytest.warns(Warning):
        model.fit(X, y)
    with pytest.raises(ValueError, match=r"layer sizes \[4, 5, 3\], but X and y"):
        check_gradients(model, X[y < 2], y[y < 2])
    with pytest.raises(ValueError, match=r"\[4, 5, 3\], but X and y give \[3,"):
        check_gradients(model, X[:, :3], y)
