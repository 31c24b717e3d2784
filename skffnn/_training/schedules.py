"""Learning-rate schedules, applied between epochs.

A schedule sets ``optimizer.learning_rate``: ``begin`` before the first
epoch, ``epoch_end`` after each epoch (t = samples seen so far), and
``plateau`` when the monitored quantity has not improved for
``n_iter_no_change`` epochs; ``plateau`` returns whether to stop, and a
message.

Each schedule is a rate eta(e, t) for epoch e = 0, 1, ... With
``warmup_epochs`` = w > 0 the rate is multiplied by (e + 1) / (w + 1) during
the first w epochs: a linear ramp that spares large, badly directed early
steps.
"""

import math


class Schedule:
    """eta(e, t) with optional linear warmup; stop at the first plateau."""

    def __init__(self, learning_rate_init, warmup_epochs=0):
        self.learning_rate_init = learning_rate_init
        self.warmup_epochs = warmup_epochs
        self.epoch = 0

    def rate(self, epoch, t):
        return self.learning_rate_init

    def _apply(self, optimizer, t):
        ramp = min(1.0, (self.epoch + 1) / (self.warmup_epochs + 1))
        optimizer.learning_rate = ramp * self.rate(self.epoch, t)

    def begin(self, optimizer):
        self._apply(optimizer, 0)

    def resume(self, optimizer):
        """Set the rate of the current epoch, for a schedule rate(e) of e alone."""
        self._apply(optimizer, None)

    def epoch_end(self, optimizer, t):
        self.epoch += 1
        self._apply(optimizer, t)

    def plateau(self, optimizer):
        return True, "Stopping."


class Constant(Schedule):
    """eta = eta_0."""


class InvScaling(Schedule):
    """eta = eta_0 / (t + 1)^power_t, t = samples seen (MLP's 'invscaling')."""

    def __init__(self, learning_rate_init, power_t, warmup_epochs=0):
        super().__init__(learning_rate_init, warmup_epochs)
        self.power_t = power_t

    def rate(self, epoch, t):
        return self.learning_rate_init / (t + 1) ** self.power_t


class Adaptive(Schedule):
    """Divide eta by 5 at each plateau; stop once it is at most 1e-6."""

    def __init__(self, learning_rate_init, warmup_epochs=0):
        super().__init__(learning_rate_init, warmup_epochs)
        self.current = learning_rate_init

    def rate(self, epoch, t):
        return self.current

    def plateau(self, optimizer):
        if self.current <= 1e-6:
            return True, "Learning rate too small. Stopping."
        self.current /= 5.0
        self._apply(optimizer, None)
        return False, f"Setting learning rate to {optimizer.learning_rate:f}"


class Cosine(Schedule):
    """eta = eta_0 (1 + cos(pi e / E)) / 2: from eta_0 to 0 over E epochs."""

    def __init__(self, learning_rate_init, n_epochs, warmup_epochs=0):
        super().__init__(learning_rate_init, warmup_epochs)
        self.n_epochs = n_epochs

    def rate(self, epoch, t):
        progress = min(epoch, self.n_epochs) / self.n_epochs
        return self.learning_rate_init * 0.5 * (1.0 + math.cos(math.pi * progress))


class Step(Schedule):
    """eta = eta_0 gamma^floor(e / step_size): a drop every step_size epochs."""

    def __init__(self, learning_rate_init, step_size, gamma, warmup_epochs=0):
        super().__init__(learning_rate_init, warmup_epochs)
        self.step_size = step_size
        self.gamma = gamma

    def rate(self, epoch, t):
        return self.learning_rate_init * self.gamma ** (epoch // self.step_size)


def make_schedule(
    name,
    learning_rate_init,
    power_t=0.5,
    n_epochs=200,
    step_size=10,
    gamma=0.1,
    warmup_epochs=0,
):
    """The schedule called ``name``.

    Parameters
    ----------
    name : {'constant', 'invscaling', 'adaptive', 'cosine', 'step'}
    learning_rate_init : float
    power_t : float
        Exponent of 'invscaling'.
    n_epochs : int
        Length of the 'cosine' decay (the fit's max_iter).
    step_size, gamma : int, float
        'step' multiplies the rate by gamma every step_size epochs.
    warmup_epochs : int
        Epochs of linear warmup, for every schedule.
    """
    eta, w = learning_rate_init, warmup_epochs
    if name == "invscaling":
        return InvScaling(eta, power_t, w)
    if name == "adaptive":
        return Adaptive(eta, w)
    if name == "cosine":
        return Cosine(eta, n_epochs, w)
    if name == "step":
        return Step(eta, step_size, gamma, w)
    return Constant(eta, w)
