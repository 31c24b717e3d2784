"""In-place update rules on the flat parameter vector theta.

Each optimizer keeps its state in vectors shaped like theta and updates
theta with whole-vector ufuncs writing into one scratch vector, so a step
allocates nothing.

A step is ``advance()`` (the per-step scalars, such as Adam's bias
correction) followed by ``update(theta, grad, part)`` on slices of theta
that together cover it. Every pass is elementwise, so updating theta part
by part gives exactly the whole-vector result; the training loop does so
to keep each part's vectors in the CPU cache across the dozen passes (see
``batch_step``). A part's scratch is the start of the scratch vector, the
same memory for every part.

When Numba is installed, ``update`` runs the same arithmetic as one
compiled loop over the part (``kernels``), with the same result bit for
bit; the NumPy code below is what it compiles.
"""

import math
from typing import NamedTuple

import numpy as np

from . import kernels


class L2(NamedTuple):
    """The L2 penalty's gradient on a part of theta: scale * theta on its first n.

    ``scale`` is alpha / sum(s); the rules compute in theta's dtype.
    """

    n: int
    scale: float


NO_L2 = L2(0, 0.0)


class UpdateRule:
    """What every rule shares: a step is ``advance()``, then ``update()``."""

    def step(self, theta, grad):
        """Move theta against grad, in place."""
        self.advance()
        self.update(theta, grad, slice(0, theta.shape[0]))

    def advance(self):
        """Set the scalars of the next step (nothing, unless overridden)."""

    def restart(self):
        """Forget the state built so far: zero moments, as at the first step.

        For the epoch after a divergence: the moments (velocity, m, v)
        hold the blown-up gradients that led into it. Zeroing them costs no
        memory, where keeping a copy of them at each epoch start would.
        """
        for _, value in _state_vectors(vars(self)):
            value.fill(0)

    def update(self, theta, grad, part, l2=NO_L2):
        """Move theta[part] against grad[part], in place.

        Parameters
        ----------
        theta, grad : ndarray of shape (n_params,)
        part : slice
            With explicit start and stop.
        l2 : L2, default=NO_L2
            The L2 penalty's gradient, ``l2.scale * theta`` on the first
            ``l2.n`` entries of the part, added to grad[part] first. The
            training loop passes it here so that, with Numba, it costs no
            pass of its own.
        """
        raise NotImplementedError

    def _l2(self, l2):
        """(n, scale) with the scale in theta's dtype.

        Also when n is 0: a float64 scale would make a compiled float32
        loop compute in float64.
        """
        return l2.n, self.dtype.type(l2.scale)


class SGD(UpdateRule):
    """Stochastic gradient descent with (Nesterov) momentum.

    v <- mu v - eta grad;  theta <- theta + v             (classical)
    theta <- theta + mu v - eta grad                      (Nesterov)

    Parameters
    ----------
    n_params : int
    dtype : numpy dtype
    learning_rate : float
        eta; schedules change it between epochs.
    momentum : float
        mu in [0, 1].
    nesterov : bool
    """

    def __init__(self, n_params, dtype, learning_rate, momentum=0.9, nesterov=True):
        self.dtype = np.dtype(dtype)
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.nesterov = nesterov
        self.velocity = np.zeros(n_params, dtype=dtype)
        self._scratch = np.empty(n_params, dtype=dtype)

    def update(self, theta, grad, part, l2=NO_L2):
        """Move theta[part] against grad[part], in place."""
        fused = kernels.for_size(self.velocity.shape[0])
        theta, grad, v = theta[part], grad[part], self.velocity[part]
        # Python floats: a NumPy float64 scalar would make float32 products
        # compute in float64.
        eta, mu = float(self.learning_rate), float(self.momentum)
        if fused is not None:
            t = self.dtype.type
            fused.sgd(theta, grad, v, *self._l2(l2), t(eta), t(mu), self.nesterov)
            return
        s = self._scratch[: theta.shape[0]]
        _add_l2(grad, theta, *self._l2(l2), s)
        np.multiply(grad, eta, out=s)
        v *= mu
        v -= s
        if self.nesterov:
            theta -= s
            np.multiply(v, mu, out=s)
            theta += s
        else:
            theta += v


class Adam(UpdateRule):
    """Adam (Kingma & Ba, 2014) with bias correction folded into the step size.

    m <- b1 m + (1 - b1) grad;   v <- b2 v + (1 - b2) grad^2
    theta <- theta - eta sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)

    Parameters
    ----------
    n_params : int
    dtype : numpy dtype
    learning_rate : float
    beta_1, beta_2 : float
        Decay rates of the first and second moment estimates, in [0, 1).
    epsilon : float
    """

    def __init__(
        self, n_params, dtype, learning_rate, beta_1=0.9, beta_2=0.999, epsilon=1e-8
    ):
        self.dtype = np.dtype(dtype)
        self.learning_rate = learning_rate
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self.t = 0
        self.m = np.zeros(n_params, dtype=dtype)
        self.v = np.zeros(n_params, dtype=dtype)
        self._scratch = np.empty(n_params, dtype=dtype)

    def restart(self):
        """Zero m and v and the step count, whose bias correction they need."""
        super().restart()
        self.t = 0

    def advance(self):
        """Count the step; fold the bias correction into its size eta_t."""
        b1, b2 = float(self.beta_1), float(self.beta_2)
        self.t += 1
        # A Python float: a NumPy float64 scalar would make the float32
        # in-place products below compute in float64.
        self._eta_t = (
            float(self.learning_rate) * math.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        )

    def update(self, theta, grad, part, l2=NO_L2):
        """Move theta[part] against grad[part], in place."""
        b1, b2, eps = float(self.beta_1), float(self.beta_2), float(self.epsilon)
        fused = kernels.for_size(self.m.shape[0])
        theta, grad, m, v = theta[part], grad[part], self.m[part], self.v[part]
        if fused is not None:
            t = self.dtype.type
            scalars = (b1, 1 - b1, b2, 1 - b2, eps, self._eta_t)
            fused.adam(theta, grad, m, v, *self._l2(l2), *map(t, scalars))
            return
        s = self._scratch[: theta.shape[0]]
        _add_l2(grad, theta, *self._l2(l2), s)
        _decay_towards(m, grad, b1, s)
        np.multiply(grad, grad, out=s)
        _decay_towards(v, s, b2, s)
        _rms_scaled_step(theta, m, v, eps, self._eta_t, s)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019).

    theta <- theta - eta * weight_decay * W - (Adam's step), on the weights
    W as they were before the step: the weights, not the biases, first
    shrink by the factor 1 - eta * weight_decay, then Adam's step is
    taken. The order is that of the paper's Algorithm 2; the decay's size,
    the current learning rate times weight_decay, is PyTorch's and
    Keras's (the paper scales it by the schedule's multiplier alone). The decay
    does not pass through Adam's per-parameter scaling, unlike an L2
    penalty in the loss.

    Parameters
    ----------
    n_params : int
    dtype : numpy dtype
    learning_rate : float
    beta_1, beta_2, epsilon : float
        As in :class:`Adam`.
    weight_decay : float
        Decay rate per unit of learning rate.
    n_weights : int
        theta[:n_weights] are the weights that decay.
    """

    def __init__(
        self,
        n_params,
        dtype,
        learning_rate,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        weight_decay=0.01,
        n_weights=None,
    ):
        super().__init__(n_params, dtype, learning_rate, beta_1, beta_2, epsilon)
        self.weight_decay = weight_decay
        self.n_weights = n_params if n_weights is None else n_weights

    def update(self, theta, grad, part, l2=NO_L2):
        """Decay the weights in theta[part], then take Adam's step, in place."""
        start, stop = part.start, min(part.stop, self.n_weights)
        if self.weight_decay and start < stop:
            if l2.n:  # an L2 penalty's gradient is that of the undecayed weights
                s = self._scratch[: part.stop - part.start]
                _add_l2(grad[part], theta[part], *self._l2(l2), s)
                l2 = NO_L2
            decay = float(self.learning_rate) * float(self.weight_decay)
            theta[start:stop] *= 1 - decay
        super().update(theta, grad, part, l2)


class RMSprop(UpdateRule):
    """RMSprop (Tieleman & Hinton, 2012): steps scaled by a running RMS.

    v <- rho v + (1 - rho) grad^2;   theta <- theta - eta grad / (sqrt(v) + eps)

    Parameters
    ----------
    n_params : int
    dtype : numpy dtype
    learning_rate : float
    rho : float
        Decay of the mean square, in [0, 1).
    epsilon : float
    """

    def __init__(self, n_params, dtype, learning_rate, rho=0.9, epsilon=1e-8):
        self.dtype = np.dtype(dtype)
        self.learning_rate = learning_rate
        self.rho, self.epsilon = rho, epsilon
        self.v = np.zeros(n_params, dtype=dtype)
        self._scratch = np.empty(n_params, dtype=dtype)

    def update(self, theta, grad, part, l2=NO_L2):
        """Move theta[part] against grad[part], in place."""
        fused = kernels.for_size(self.v.shape[0])
        theta, grad, v = theta[part], grad[part], self.v[part]
        rho, eps = float(self.rho), float(self.epsilon)
        eta = float(self.learning_rate)
        if fused is not None:
            t = self.dtype.type
            fused.rmsprop(
                theta, grad, v, *self._l2(l2), t(rho), t(1 - rho), t(eps), t(eta)
            )
            return
        s = self._scratch[: theta.shape[0]]
        _add_l2(grad, theta, *self._l2(l2), s)
        np.multiply(grad, grad, out=s)
        _decay_towards(v, s, rho, s)
        _rms_scaled_step(theta, grad, v, eps, eta, s)


def _add_l2(grad, theta, n, scale, s):
    """grad += theta * scale on the first n entries (the L2 penalty's gradient)."""
    if n:
        grad[:n] += np.multiply(theta[:n], scale, out=s[:n])


def _decay_towards(average, x, decay, s):
    """average <- decay average + (1 - decay) x, in place (s: scratch, may be x)."""
    average *= decay
    np.multiply(x, 1 - decay, out=s)
    average += s


def _rms_scaled_step(theta, direction, v, epsilon, eta, s):
    """theta <- theta - eta direction / (sqrt(v) + epsilon), in place (s: scratch)."""
    np.sqrt(v, out=s)
    s += epsilon
    np.divide(direction, s, out=s)
    s *= eta
    theta -= s


class OptimizerState(NamedTuple):
    """An update rule and its learning-rate schedule, kept across partial_fit."""

    rule: object
    schedule: object

    def mark(self):
        """What :meth:`rollback` returns to, taken before training continues.

        The rule's state vectors are copied into buffers kept on the rule
        for the purpose (allocated on the first call only: fresh memory
        for a copy costs several times the copy itself); its scalars and
        the schedule's are kept as they are.
        """
        backup = vars(self.rule).setdefault("_backup", {})
        rule_state = dict(vars(self.rule))
        for name, value in _state_vectors(rule_state):
            saved = backup.get(name)
            if (
                saved is None
                or saved.shape != value.shape
                or saved.dtype != value.dtype
            ):
                saved = backup[name] = np.empty_like(value)
            np.copyto(saved, value)
        return rule_state, dict(vars(self.schedule))

    def rollback(self, mark):
        """Return rule and schedule to ``mark()``, in place."""
        rule_state, schedule_state = mark
        vars(self.rule).clear()
        vars(self.rule).update(rule_state)
        for name, value in _state_vectors(rule_state):
            np.copyto(value, rule_state["_backup"][name])
        vars(self.schedule).clear()
        vars(self.schedule).update(schedule_state)


def _state_vectors(attributes):
    """The (name, array) pairs of a rule's state: public arrays (m, v, velocity)."""
    return [
        (name, value)
        for name, value in attributes.items()
        if isinstance(value, np.ndarray) and not name.startswith("_")
    ]
