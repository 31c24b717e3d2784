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


def how_diverged(
    epoch_loss, last_loss, theta, reference_loss, zero_loss, start_loss=None
):
    """What went wrong in an epoch, for the warning, or None when nothing did.

    ``last_loss`` is that of the epoch's last batch (the first non-finite
    one stops the epoch); ``reference_loss`` that of the fit's first epoch
    or, during it, of its first batch; ``zero_loss()`` returns
    :func:`zero_weight_loss` of the training set and, during the first
    epoch, ``start_loss()`` the loss of the weights the fit started from
    over the whole training set; both are called only when needed.
    """
    if not (np.isfinite(last_loss) and np.isfinite(theta).all()):
        return "became non-finite"
    reference = _diverging(epoch_loss, reference_loss, zero_loss, start_loss)
    if reference:
        return f"grew to {epoch_loss:.3g} from {reference:.3g}"
    return None


# An epoch's loss this many times the reference loss means divergence.
_DIVERGENCE_FACTOR = 1e3


def _diverging(loss, reference_loss, zero_loss, start_loss=None):
    """The reference an epoch's mean loss outgrew a thousandfold, or None.

    The reference is the largest of ``reference_loss`` (the first epoch's
    loss in this fit; during the first epoch, the loss of its first batch,
    before any step), the loss of the network with all weights zero (a
    constant output: log K for softmax, half the mean squared target for
    squared error), which ``zero_loss()`` computes over the whole training
    set and, during the first epoch, ``start_loss()``, the loss of the
    starting weights over the whole training set: one batch does not speak
    for rows far outside it (an outlier in X alone can make the first
    epoch's mean a thousand times the first batch's while the loss falls
    epoch after epoch). Each is computed only when the cheaper tests have
    not settled the answer.
    A working optimizer brings the loss on the data it trains on below
    both; a noisy step may raise it a few times, but a thousandfold rise on
    the same data is the geometric growth of too large a step (sgd with
    learning_rate_init 1e3 multiplies a classifier's loss by ~1e4 per
    epoch), which only ends in overflow. The zero-weight loss keeps a tiny
    reference (a warm start from a converged model) from turning a harmless
    spike into an alarm; the starting loss does the same for unscaled
    inputs, whose loss starts far above the zero-weight one. Both come from
    the rows this call trains on, so the chunks of a stream may differ in
    scale.
    """
    if not loss > _DIVERGENCE_FACTOR * reference_loss:
        return None
    reference = max(reference_loss, zero_loss())
    if start_loss is not None and loss > _DIVERGENCE_FACTOR * reference:
        reference = max(reference, start_loss())
    if reference > 0 and loss > _DIVERGENCE_FACTOR * reference:
        return reference
    return None


def worse_than_constant(loss, zero_loss, factor=None):
    """Whether a loss is above ``factor`` times the all-zero network's.

    The default factor is the plateau test's (:func:`warn_if_not_learned`).
    NaN counts as worse; targets that zero weights fit exactly (a
    zero-weight loss of 0) give nothing to compare.
    """
    factor = _NOT_LEARNED_FACTOR if factor is None else factor
    return zero_loss > 0 and not loss <= factor * zero_loss


# Weights that a divergence leaves a new network with are not worth keeping
# once their loss is this many times the constant's: a network early in its
# training may still be somewhat above it (an inf loss in its third epoch
# found one at 1.6 times), while weights a runaway step has passed through
# were at 24 to 1e9 times in the cases seen.
KEPT_WEIGHTS_FACTOR = 2.0


def raise_diverged_untrained(
    what, epoch, started_finite, zero_loss, dtype, weighted, kept_loss=None
):
    """Refuse to end a new network's fit on its initial weights.

    A divergence in the first epoch of a network this fit initialized
    leaves no trained weights to go back to, and one in a later epoch may
    leave only weights that do far worse than a constant prediction (their
    loss ``kept_loss``): a step too large for the data's scale can blow up
    in the last batches of an epoch whose mean still looked sane. The fit
    raises rather than return such a network as if it had been trained;
    MLP raises too once its weights reach NaN. The cause is named when the
    data itself overflows: the loss of a constant prediction (y, or the
    weights) or that of the initial network before any step (X).
    """
    if not np.isfinite(zero_loss):
        scaled = "y or the sample (or class) weights" if weighted else "y"
        cause = (
            "The loss of a constant prediction is not finite either: "
            f"{scaled} hold values too large for {dtype} arithmetic; scale "
            "them (e.g. divide y by its standard deviation)."
        )
    elif not started_finite:
        cause = (
            "The loss of the initial network was not finite on the first "
            f"mini-batch: X holds values too large for {dtype} arithmetic; "
            "scale it (e.g. StandardScaler)."
        )
    else:
        cause = "Lower learning_rate_init, or scale X and y (e.g. StandardScaler)."
    if epoch == 1:
        what = (
            f"{what} during the first epoch of a new network: the optimization "
            "diverged before any epoch completed"
        )
    else:
        what = (
            f"{what} during epoch {epoch} of a new network, and the weights "
            "before that epoch do far worse than a constant prediction (loss "
            f"{kept_loss:.3g} against {zero_loss:.3g} over the training set)"
        )
    raise ValueError(
        f"The training loss {what}, so there are no trained weights to keep. " + cause
    )


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
# constant output of all-zero weights, hence no optimum; the 1 % spares
# data on which no network beats a constant (random labels), whose plateau
# sits at the constant's loss give or take tol.
_NOT_LEARNED_FACTOR = 1.01


def warn_if_not_learned(best_epoch_loss, zero_loss):
    """Warn when a fit settled on a loss above that of a constant output.

    A step too large from the first batches on (sgd with learning_rate_init
    10 on digits) leaves the loss hundreds of times log K in the first
    epoch, which :func:`how_diverged` then takes as its reference: later
    epochs never grow a thousandfold beyond it, the loss plateaus, and the
    fit "converges" at chance accuracy. A step too small (sgd with
    learning_rate_init 1e-5) improves the loss by less than tol per epoch
    from the start, and the fit "converges" where it began, above log K.
    Weights at zero would do better in both.

    Called for fits that stopped on a plateau only: one cut short by
    max_iter already says so, and its epoch losses, which include the L2
    penalty, may still be far above the zero-weight loss while it learns
    (a large alpha). Zero weights cost no penalty, so a plateau of the
    penalized loss above their loss is no optimum. Targets that zero
    weights fit exactly (a zero-weight loss of 0) give nothing to compare.
    The warning says what the loss shows, not that nothing was learned: on
    unscaled X a classifier may be often right and still lose more than a
    constant through a few confident mistakes.
    """
    if worse_than_constant(best_epoch_loss, zero_loss):
        warnings.warn(
            f"Training settled on a loss worse than a constant prediction's: "
            f"{best_epoch_loss:.4g} at best, above the loss of a network with "
            f"all weights zero ({zero_loss:.4g}), which predicts a constant. "
            "The steps may be too large (lower learning_rate_init) or too "
            "small to gain tol per epoch (raise learning_rate_init, or lower "
            "tol); scale X, and for targets of small scale, scale y.",
            ConvergenceWarning,
        )
