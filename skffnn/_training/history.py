"""What training records across epochs, and the plateau tests that read it.

After each epoch the training loop appends the epoch's loss (and, with a
validation set, its score and loss) to a :class:`History`, then
:func:`count_no_improvement` updates the count of epochs without progress
on what decides the plateaus: the training loss, or the validation score or
loss under early stopping, whose best weights it keeps.
"""

from dataclasses import dataclass, field, replace

import numpy as np

# History's per-epoch lists, which training only appends to.
_CURVES = (
    "loss_curve",
    "validation_scores",
    "validation_loss_curve",
    "validation_epochs",
)


@dataclass
class History:
    """What the stochastic solvers record across epochs (and partial_fit calls).

    Attributes mirror scikit-learn's MLP: ``loss_curve`` (training loss per
    epoch), ``validation_scores`` and ``best_validation_score`` when early
    stopping runs, else ``best_loss``; ``t`` counts samples seen.
    ``validation_epochs`` holds the epoch (1-based, in ``loss_curve``) of
    each validation score: fits and partial_fit calls without validation
    leave gaps. None in histories saved before it was recorded.
    """

    early_stopping: bool
    loss_curve: list = field(default_factory=list)
    validation_scores: list | None = None
    best_validation_score: float | None = None
    best_loss: float | None = None
    validation_loss_curve: list | None = None
    best_validation_loss: float | None = None
    monitor: str = "score"
    no_improvement_count: int = 0
    n_iter: int = 0
    t: int = 0
    best_theta: np.ndarray | None = None
    validation_epochs: list | None = None

    def mark(self, keep_best=True):
        """What :meth:`rollback` returns to: the scalars, the curves' lengths
        and, with ``keep_best``, a copy of the best weights (validation
        updates them in place). O(1) in the number of epochs recorded, so
        that long partial_fit streams stay cheap."""
        best = self.best_theta
        if keep_best and best is not None:
            best = best.copy()
        lengths = {
            name: len(getattr(self, name))
            for name in _CURVES
            if getattr(self, name) is not None
        }
        return replace(self, best_theta=best), lengths

    def rollback(self, mark):
        """Forget what was recorded since ``mark()``, in place."""
        saved, lengths = mark
        for name, value in vars(saved).items():
            if name in lengths:
                del getattr(self, name)[lengths[name] :]
            else:
                setattr(self, name, value)

    def monitor_for(self, early_stopping, monitor):
        """Switch what decides the plateaus, for a warm-started fit.

        The curves and counters go on; the bests and the plateau count
        start afresh when early stopping is turned on or off or changes
        what it monitors: a best of the other kind says nothing of the
        new criterion (the best weights would otherwise never be kept,
        or be compared with a training loss).
        """
        old_rule = self.monitor if self.early_stopping else "training loss"
        self.monitor = monitor  # without early stopping, nothing reads it
        if (monitor if early_stopping else "training loss") == old_rule:
            return
        self.early_stopping = early_stopping
        self.no_improvement_count, self.best_theta = 0, None
        self.best_loss = None
        self.best_validation_score = self.best_validation_loss = None
        self.__post_init__()

    def has_validated_best(self):
        """Whether ``best_theta`` holds the weights of a validated epoch.

        Not yet when early stopping starts: the best is then the initial
        weights, with a best score of -inf (or a best loss of inf).
        """
        if self.monitor == "loss":
            best = self.best_validation_loss
        else:
            best = self.best_validation_score
        return best is not None and bool(np.isfinite(best))

    def start_validation_curves(self):
        """Empty validation curves, for the first epoch that is validated."""
        self.validation_scores, self.validation_loss_curve = [], []
        self.validation_epochs = []

    def __post_init__(self):
        if self.early_stopping and self.best_validation_score is None:
            if self.validation_scores is None:
                self.start_validation_curves()
            self.best_validation_score = -np.inf
            self.best_validation_loss = np.inf
        elif not self.early_stopping and self.best_loss is None:
            self.best_loss = np.inf


def count_no_improvement(history, params, tol, loss_tol, validation_score, verbose):
    """Record validation, then update the plateau counter from what is monitored."""
    if validation_score is not None:
        _record_validation(history, *validation_score(params), verbose)
    if history.early_stopping and validation_score is not None:
        _monitor_validation(history, params, tol, loss_tol)
        return
    loss = history.loss_curve[-1]
    best = np.inf if history.best_loss is None else history.best_loss
    if loss > best - loss_tol:
        history.no_improvement_count += 1
    else:
        history.no_improvement_count = 0
    history.best_loss = min(best, loss)


def _record_validation(history, score, loss, verbose):
    if history.validation_scores is None:
        history.start_validation_curves()
    history.validation_scores.append(score)
    history.validation_loss_curve.append(loss)
    if history.validation_epochs is not None:  # None: saved before it existed
        history.validation_epochs.append(len(history.loss_curve))
    if verbose:
        print(f"Validation score: {score:f}, validation loss: {loss:.8f}")


_NAN_CAUSE = {
    "score": (
        "The score is undefined on some validation sets: R^2 of fewer than 2 "
        "samples, or of targets whose squares overflow (scale y and y_val). "
        "Give a larger validation set, or set early_stopping_metric='loss'."
    ),
    "loss": (
        "The network's outputs overflowed on the validation data: scale it "
        "as the training data, or lower learning_rate_init."
    ),
}


def check_best_is_finite(history):
    """Refuse to end early stopping on the weights of no epoch at all.

    The best starts at -inf (score) or inf (loss): if no epoch's value was
    finite, none was ever better, and the fit would restore its initial
    weights.
    """
    if history.monitor == "loss":
        best, last = history.best_validation_loss, history.validation_loss_curve[-1]
    else:
        best, last = history.best_validation_score, history.validation_scores[-1]
    if not np.isfinite(best):
        raise ValueError(
            f"early_stopping: the validation {history.monitor} was not finite "
            f"in any of the {history.n_iter} epochs (last: {last}), so there "
            "are no best weights to keep. The validation data may hold values "
            "far outside the training data's range: scale it as the training "
            "data."
        )


def _monitor_validation(history, params, tol, loss_tol):
    """MLP's rule on the validation score, or its mirror image on the loss."""
    score, loss = history.validation_scores[-1], history.validation_loss_curve[-1]
    value = loss if history.monitor == "loss" else score
    if np.isnan(value):
        # NaN compares false with everything: no epoch would ever be best,
        # and the fit would end on its initial weights.
        raise ValueError(
            f"early_stopping: the validation {history.monitor} is NaN after "
            f"epoch {history.n_iter}, so epochs cannot be compared. "
            + _NAN_CAUSE[history.monitor]
        )
    if history.monitor == "loss":
        stalled = loss > history.best_validation_loss - loss_tol
        better = loss < history.best_validation_loss
    else:
        stalled = score < history.best_validation_score + tol
        better = score > history.best_validation_score
    # An infinite value improves on nothing: it counts towards the plateau
    # (inf - tol == inf would not), and see check_best_is_finite.
    stalled = stalled or not np.isfinite(value)
    history.no_improvement_count = history.no_improvement_count + 1 if stalled else 0
    if better:
        history.best_validation_score = score
        history.best_validation_loss = loss
        np.copyto(history.best_theta, params.theta)


def plateau_message(history, tol, n_iter_no_change):
    """The verbose line saying which monitored quantity stopped improving."""
    if not history.early_stopping:
        what = "Training loss"
    else:
        what = "Validation loss" if history.monitor == "loss" else "Validation score"
    return (
        f"{what} did not improve more than tol={tol:f} for "
        f"{n_iter_no_change} consecutive epochs."
    )
