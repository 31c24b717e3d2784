"""Update rules on a least-squares problem whose optimum is known."""

from types import SimpleNamespace

import numpy as np
import pytest

from skffnn._network import Parameters, add_penalty
from skffnn._training import SGD, Adam, AdamW, RMSprop, kernels


def least_squares(seed=0):
    rng = np.random.RandomState(seed)
    A = rng.normal(size=(50, 5))
    b = rng.normal(size=50)
    optimum = np.linalg.lstsq(A, b, rcond=None)[0]

    def gradient(theta):
        return A.T @ (A @ theta - b) / len(b)

    def loss(theta):
        return 0.5 * np.mean((A @ theta - b) ** 2)

    return loss, gradient, optimum


def run(rule, gradient, steps, decay_every=None):
    theta = np.zeros(5)
    for t in range(steps):
        rule.step(theta, gradient(theta))
        if decay_every and (t + 1) % decay_every == 0:
            rule.learning_rate *= 0.5
    return theta


@pytest.mark.parametrize(
    "rule, steps",
    [
        (SGD(5, np.float64, 0.1, momentum=0.0, nesterov=False), 3000),
        (SGD(5, np.float64, 0.05, momentum=0.9, nesterov=False), 2000),
        (SGD(5, np.float64, 0.05, momentum=0.9, nesterov=True), 2000),
        (Adam(5, np.float64, 0.05), 4000),
        (AdamW(5, np.float64, 0.05, weight_decay=0.0), 4000),
        (RMSprop(5, np.float64, 0.01), 4000),
    ],
    ids=["sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop"],
)
def test_reaches_the_least_squares_optimum(rule, steps):
    loss, gradient, optimum = least_squares()
    start = loss(np.zeros(5))
    # Step-size decay lets the adaptive rules settle instead of hovering.
    theta = run(rule, gradient, steps, decay_every=500)
    assert loss(theta) < start
    np.testing.assert_allclose(theta, optimum, atol=1e-4)


def test_adamw_decay_is_decoupled_and_spares_the_biases():
    """With a zero gradient, AdamW only shrinks the weights part of theta."""
    rule = AdamW(4, np.float64, 0.1, weight_decay=0.5, n_weights=2)
    theta = np.ones(4)
    rule.step(theta, np.zeros(4))
    np.testing.assert_allclose(theta, [0.95, 0.95, 1.0, 1.0])


def test_adamw_follows_the_decoupled_decay_of_the_paper():
    """Loshchilov & Hutter's Algorithm 2: the decay acts on theta before the step.

    theta_t = theta_{t-1} - eta lambda theta_{t-1} - eta_t m / (sqrt(v) + eps)
    on the weights, the Adam step alone on the biases (Adam's bias correction
    folded into eta_t, as skffnn's Adam does). Decaying after the step
    instead scaled every step by 1 - eta lambda.
    """
    rng = np.random.default_rng(0)
    n, n_weights, eta, lam, b1, b2, eps = 6, 4, 0.05, 0.5, 0.9, 0.999, 1e-8
    rule = AdamW(n, np.float64, eta, b1, b2, eps, weight_decay=lam, n_weights=4)
    theta = rng.normal(size=n)
    expected, m, v = theta.copy(), np.zeros(n), np.zeros(n)
    for t in range(1, 11):
        grad = rng.normal(size=n)
        rule.step(theta, grad.copy())
        m = b1 * m + (1 - b1) * grad
        v = b2 * v + (1 - b2) * grad**2
        eta_t = eta * np.sqrt(1 - b2**t) / (1 - b1**t)
        expected[:n_weights] -= eta * lam * expected[:n_weights]
        expected -= eta_t * m / (np.sqrt(v) + eps)
        np.testing.assert_allclose(theta, expected, rtol=1e-13, atol=0)


@pytest.mark.parametrize("name", ["sgd", "nesterov", "rmsprop", "adamw"])
def test_update_rules_match_pytorch(name):
    """The same steps as torch.optim's rules, where PyTorch is installed.

    sgd and rmsprop agree to rounding. Adam and AdamW put epsilon where
    scikit-learn's MLP does, outside the bias correction of v (PyTorch
    adds it to sqrt(v / (1 - b2^t))): 1.0e-7 apart here.
    """
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    n, eta = 6, 0.05
    ours, theirs = {
        "sgd": (
            SGD(n, np.float64, eta, momentum=0.9, nesterov=False),
            lambda p: torch.optim.SGD(p, lr=eta, momentum=0.9),
        ),
        "nesterov": (
            SGD(n, np.float64, eta, momentum=0.9, nesterov=True),
            lambda p: torch.optim.SGD(p, lr=eta, momentum=0.9, nesterov=True),
        ),
        "rmsprop": (
            RMSprop(n, np.float64, eta, rho=0.99, epsilon=1e-8),
            lambda p: torch.optim.RMSprop(p, lr=eta, alpha=0.99, eps=1e-8),
        ),
        "adamw": (
            AdamW(n, np.float64, eta, 0.9, 0.999, 1e-8, weight_decay=0.5),
            lambda p: torch.optim.AdamW(p, lr=eta, eps=1e-8, weight_decay=0.5),
        ),
    }[name]
    theta = rng.normal(size=n)
    weights = torch.tensor(theta.copy(), requires_grad=True)
    optimizer = theirs([weights])
    for _ in range(20):
        grad = rng.normal(size=n)
        ours.step(theta, grad.copy())
        weights.grad = torch.tensor(grad)
        optimizer.step()
    atol = 1e-6 if name == "adamw" else 1e-14
    np.testing.assert_allclose(theta, weights.detach().numpy(), rtol=0, atol=atol)


def test_adam_keeps_float32_state_in_float32():
    rule = Adam(3, np.float32, 0.01)
    theta = np.ones(3, dtype=np.float32)
    rule.step(theta, np.full(3, 0.5, dtype=np.float32))
    assert theta.dtype == rule.m.dtype == rule.v.dtype == np.float32
    np.testing.assert_allclose(theta, 1 - 0.01, rtol=1e-5)  # first step is eta


RULES = {
    "sgd": lambda n: SGD(n, np.float32, 0.1, momentum=0.9, nesterov=False),
    "nesterov": lambda n: SGD(n, np.float32, 0.1, momentum=0.9, nesterov=True),
    "adam": lambda n: Adam(n, np.float32, 0.01),
    "adamw": lambda n: AdamW(n, np.float32, 0.01, weight_decay=0.3, n_weights=23),
    "rmsprop": lambda n: RMSprop(n, np.float32, 0.01),
}


@pytest.mark.parametrize("name", RULES)
def test_update_by_parts_equals_the_whole_step(name):
    """advance() then update() on parts covering theta is step(), bit for bit.

    The parts cut through the weights/biases boundary (n_weights=23 for
    AdamW), where the decay must stop.
    """
    rng = np.random.default_rng(0)
    n, parts = 40, [slice(0, 7), slice(7, 20), slice(20, 31), slice(31, 40)]
    whole, by_parts = RULES[name](n), RULES[name](n)
    theta_whole = rng.normal(size=n).astype(np.float32)
    theta_parts = theta_whole.copy()
    for _ in range(5):
        grad = rng.normal(size=n).astype(np.float32)
        whole.step(theta_whole, grad)
        by_parts.advance()
        for part in parts:
            by_parts.update(theta_parts, grad, part)
        np.testing.assert_array_equal(theta_parts, theta_whole)


class _Rule:
    learning_rate = None


def _rates(schedule, epochs, samples_per_epoch=100):
    rule = _Rule()
    schedule.begin(rule)
    rates = [rule.learning_rate]
    for e in range(1, epochs):
        schedule.epoch_end(rule, e * samples_per_epoch)
        rates.append(rule.learning_rate)
    return np.array(rates)


def test_cosine_schedule_matches_the_formula():
    from skffnn._training.schedules import make_schedule

    rates = _rates(make_schedule("cosine", 0.1, n_epochs=20), 25)
    e = np.minimum(np.arange(25), 20)
    np.testing.assert_allclose(rates, 0.1 * 0.5 * (1 + np.cos(np.pi * e / 20)))
    assert rates[0] == 0.1 and rates[20] == pytest.approx(0.0, abs=1e-15)


def test_step_schedule_and_warmup():
    from skffnn._training.schedules import make_schedule

    rates = _rates(make_schedule("step", 1.0, step_size=3, gamma=0.5), 9)
    np.testing.assert_allclose(rates, [1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25])
    warm = _rates(make_schedule("constant", 0.3, warmup_epochs=2), 5)
    np.testing.assert_allclose(warm, [0.1, 0.2, 0.3, 0.3, 0.3])
    inv = _rates(make_schedule("invscaling", 0.5, power_t=0.25), 3)
    np.testing.assert_allclose(inv, [0.5, 0.5 / 101**0.25, 0.5 / 201**0.25])


def test_clipping_bounds_the_norm_and_keeps_the_direction():
    from skffnn._training.clipping import clip_by_global_norm

    grad = np.array([3.0, 4.0, 0.0])
    assert clip_by_global_norm(grad, 1.0) == pytest.approx(5.0)
    np.testing.assert_allclose(grad, [0.6, 0.8, 0.0])
    small = np.array([0.3, 0.4], dtype=np.float32)
    clip_by_global_norm(small, 1.0)
    np.testing.assert_array_equal(small, np.array([0.3, 0.4], dtype=np.float32))


SCALAR_RULES = {
    "sgd": lambda f: SGD(30, np.float32, f(0.1), momentum=f(0.9)),
    "adam": lambda f: Adam(30, np.float32, f(0.01), f(0.9), f(0.999), f(1e-8)),
    "rmsprop": lambda f: RMSprop(30, np.float32, f(0.01), f(0.9), f(1e-8)),
    "adamw": lambda f: AdamW(30, np.float32, f(0.01), weight_decay=f(0.3)),
}


@pytest.mark.parametrize("name", SCALAR_RULES)
def test_numpy_scalar_hyperparameters_step_in_the_state_dtype(name):
    """np.float64 hyperparameters give the Python-float result in float32.

    A NumPy float64 scalar in a float32 in-place product would compute it in
    float64 and round differently (and the fused kernels could not match).
    """
    rng = np.random.default_rng(0)
    theta0 = rng.normal(size=30).astype(np.float32)
    grads = [rng.normal(size=30).astype(np.float32) for _ in range(5)]
    results = []
    for scalar in (float, np.float64):
        rule, theta = SCALAR_RULES[name](scalar), theta0.copy()
        with kernels.disabled():
            for grad in grads:
                rule.step(theta, grad)
        results.append(theta)
    np.testing.assert_array_equal(results[1], results[0])


def test_numpy_scalar_alpha_penalizes_in_the_parameters_dtype():
    """As for the rules: np.float64(alpha) gives the Python-float gradient."""
    rng = np.random.default_rng(0)
    params = Parameters.from_layers(
        [rng.normal(size=(30, 20))], [rng.normal(size=20)], np.float32
    )
    buffers = SimpleNamespace(penalty_grad=np.empty(params.n_weights, np.float32))
    grads = []
    for alpha in (0.37, np.float64(0.37)):
        grad = params.like()
        add_penalty(params, grad, alpha, 3.0, buffers)
        grads.append(grad.theta)
    np.testing.assert_array_equal(grads[1], grads[0])


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop"])
def test_restart_forgets_the_state_of_every_rule(name):
    # After a diverged epoch the moments hold the gradients that blew up.
    from skffnn._training import optimizers

    rule = getattr(optimizers, name)(5, np.float64, learning_rate=0.1)
    theta = np.ones(5)
    for _ in range(3):
        rule.step(theta, np.full(5, 1e20))
    rule.restart()
    fresh = getattr(optimizers, name)(5, np.float64, learning_rate=0.1)
    for attribute, value in vars(fresh).items():
        if isinstance(value, np.ndarray) and not attribute.startswith("_"):
            np.testing.assert_array_equal(getattr(rule, attribute), value)
    assert getattr(rule, "t", 0) == 0
