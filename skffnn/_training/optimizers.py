"""In-place update rules on the flat parameter vector theta.

Each optimizer keeps its state in vectors shaped like theta and updates
theta with whole-vector ufuncs writing into one scratch vector, so a step
allocates nothing.
"""

import math
from typing import NamedTuple

import numpy as np


class SGD:
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

    def step(self, theta, grad):
        """Move theta against grad, in place."""
        v, s = self.velocity, self._scratch
        np.multiply(grad, self.learning_rate, out=s)
        v *= self.momentum
        v -= s
        if self.nesterov:
            theta -= s
            np.multiply(v, self.momentum, out=s)
            theta += s
        else:
            theta += v


class Adam:
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

    def step(self, theta, grad):
        """Move theta against grad, in place."""
        b1, b2, s = self.beta_1, self.beta_2, self._scratch
        self.t += 1
        self.m *= b1
        np.multiply(grad, 1 - b1, out=s)
        self.m += s
        self.v *= b2
        np.multiply(grad, grad, out=s)
        s *= 1 - b2
        self.v += s
        # A Python float: a NumPy float64 scalar would make the float32
        # in-place products below compute in float64.
        eta_t = self.learning_rate * math.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        np.sqrt(self.v, out=s)
        s += self.epsilon
        np.divide(self.m, s, out=s)
        s *= eta_t
        theta -= s


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019).

    After the Adam step, the weights (not the biases) shrink by
    eta * weight_decay * W. The decay does not pass through Adam's
    per-parameter scaling, unlike an L2 penalty in the loss.

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

    def step(self, theta, grad):
        """Adam step, then decay the weights, in place."""
        super().step(theta, grad)
        if self.weight_decay:
            theta[: self.n_weights] *= 1 - self.learning_rate * self.weight_decay


class RMSprop:
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

    def step(self, theta, grad):
        """Move theta against grad, in place."""
        s = self._scratch
        self.v *= self.rho
        np.multiply(grad, grad, out=s)
        s *= 1 - self.rho
        self.v += s
        np.sqrt(self.v, out=s)
        s += self.epsilon
        np.divide(grad, s, out=s)
        s *= self.learning_rate
        theta -= s


class OptimizerState(NamedTuple):
    """An update rule and its learning-rate schedule, kept across partial_fit."""

    rule: object
    schedule: object
