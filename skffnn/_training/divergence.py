"""Training gone wrong: a diverging loss, a plateau worse than zero weights.

Both compare the training loss with that of the network whose weights are
all zero, which predicts a constant (log K for softmax, half the mean
squared target for squared error): a working optimizer ends below it.
"""

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning


def zero_weight_loss(network, Y, sample_weight):
    """Mean loss of the network whose weights are all zero (z^(L) = 0).

    inf if it overflows, which disables the divergence test against it.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        sample_loss = network.output.sample_loss(np.zeros_like(Y), Y)
        if sample_weight is None:
            return float(sample_loss.mean())
        return float(sample_loss @ sample_weight) / float(sample_weight.sum())


def how_diverged(epoch_loss, last_loss, theta, first_loss, zero_loss):
    """What went wrong in an epoch, for the warning, or None when nothing did.

    ``last_loss`` is that of the epoch's last batch (the first non-finite
    one stops the epoch); ``first_loss`` that of the fit's first epoch, None
    during it; ``zero_loss()`` returns :func:`zero_weight_loss` of the
    training set, called only when needed.
    """
    if not (np.isfinite(last_loss) and np.isfinite(theta).all()):
        return "became non-finite"
    if first_loss is not None and _diverging(epoch_loss, first_loss, zero_loss):
        return f"grew to {epoch_loss:.3g} from {first_loss:.3g}"
    return None


# An epoch's loss this many times the reference loss means divergence.
_DIVERGENCE_FACTOR = 1e3


def _diverging(loss, first_loss, zero_loss):
    """Whether an epoch's mean training loss shows runaway growth, not noise.

    The reference is the larger of the first epoch's loss in this fit and
    the loss of the network with all weights zero (a constant output: log K
    for softmax, half the mean squared target for squared error), which
    ``zero_loss()`` computes over the whole training set, and only
    when the first test has not already settled the answer. A working
    optimizer brings the loss on the data it trains on below both; a noisy
    step may raise it a few times, but a thousandfold rise on the same data
    is the geometric growth of too large a step (sgd with learning_rate_init
    1e3 multiplies a classifier's loss by ~1e4 per epoch), which only ends in
    overflow. The zero-weight loss keeps a tiny first loss (a warm start
    from a converged model) from turning a harmless spike into an alarm; the
    first epoch's loss does the same for unscaled inputs, whose loss starts
    far above the zero-weight one. The first epoch itself, and so each
    one-epoch partial_fit call, is judged by finiteness alone: a stream's
    chunks may differ in scale.
    """
    if not loss > _DIVERGENCE_FACTOR * first_loss:
        return False
    reference = max(first_loss, zero_loss())
    return reference > 0 and loss > _DIVERGENCE_FACTOR * reference


def warn_diverged(epoch, what):
    """Warn that epoch ``epoch`` diverged (``what``: how_diverged's words)."""
    warnings.warn(
        f"The training loss {what} during epoch {epoch}: the optimization "
        "diverged. Training stopped, the weights were restored to their "
        "values before that epoch and the optimizer's moments reset. Lower "
        "learning_rate_init or scale the input data.",
        ConvergenceWarning,
    )


# A plateau above this many times the zero-weight loss is worse than the
# constant output of all-zero weights, and far from any optimum.
_NOT_LEARNED_FACTOR = 2.0


def warn_if_not_learned(best_epoch_loss, zero_loss):
    """Warn when a fit settled on a loss far above that of a constant output.

    A step too large from the first batches on (sgd with learning_rate_init
    10 on digits) leaves the loss hundreds of times log K in the first
    epoch, which :func:`how_diverged` then takes as its reference: later
    epochs never grow a thousandfold beyond it, the loss plateaus, and the
    fit "converges" at chance accuracy. Weights at zero would do better.

    Called for fits that stopped on a plateau only: one cut short by
    max_iter already says so, and its epoch losses, which include the L2
    penalty, may still be far above the zero-weight loss while it learns
    (a large alpha). Zero weights cost no penalty, so a plateau of the
    penalized loss at twice their loss is no optimum. Targets that zero
    weights fit exactly (a zero-weight loss of 0) give nothing to compare.
    The warning says what the loss shows, not that nothing was learned: on
    unscaled X a classifier may be often right and still lose more than a
    constant through a few confident mistakes.
    """
    threshold = _NOT_LEARNED_FACTOR * zero_loss
    if zero_loss > 0 and best_epoch_loss > threshold:
        warnings.warn(
            f"Training settled on a loss worse than a constant prediction's: "
            f"{best_epoch_loss:.4g} at best, above {_NOT_LEARNED_FACTOR:g} times "
            f"the loss of a network with all weights zero "
            f"({zero_loss:.4g}), which predicts a constant. Lower "
            "learning_rate_init if the steps are too large, scale X, and for "
            "targets of small scale, scale y or lower tol.",
            ConvergenceWarning,
        )
