"""Learning-rate schedules, applied between epochs.

A schedule reads and sets ``optimizer.learning_rate``. ``epoch_end`` is
called after every epoch; ``plateau`` when the monitored quantity has not
improved for ``n_iter_no_change`` epochs and returns whether to stop.
"""


class Constant:
    """Keep the learning rate; stop at the first plateau."""

    def epoch_end(self, optimizer, t):
        pass

    def plateau(self, optimizer):
        return True, "Stopping."


class InvScaling:
    """eta_t = eta_0 / (t + 1)^power_t, t = samples seen; stop at a plateau."""

    def __init__(self, learning_rate_init, power_t):
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t

    def epoch_end(self, optimizer, t):
        optimizer.learning_rate = self.learning_rate_init / (t + 1) ** self.power_t

    def plateau(self, optimizer):
        return True, "Stopping."


class Adaptive:
    """Divide the learning rate by 5 at each plateau; stop below 1e-6."""

    def epoch_end(self, optimizer, t):
        pass

    def plateau(self, optimizer):
        if optimizer.learning_rate <= 1e-6:
            return True, "Learning rate too small. Stopping."
        optimizer.learning_rate /= 5.0
        return False, f"Setting learning rate to {optimizer.learning_rate:f}"


def make_schedule(name, learning_rate_init, power_t):
    """The schedule called ``name`` ('constant', 'invscaling', 'adaptive')."""
    if name == "invscaling":
        return InvScaling(learning_rate_init, power_t)
    if name == "adaptive":
        return Adaptive()
    return Constant()
