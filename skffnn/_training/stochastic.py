"""Mini-batch training: fit loop -> epoch -> batch step.

The loop owns no estimator: it receives arrays, a network, an optimizer, a
schedule and (for early stopping) a callable scoring a parameter vector, and
records what happened in a :class:`History` that the estimator turns into
its fitted attributes.
"""

import warnings
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning

from .._network import Buffers, draw_dropout_masks
from . import kernels
from .batch_step import BatchStep
from .interrupts import sigint_between_steps

# History's per-epoch lists, which training only appends to.
_CURVES = ("loss_curve", "validation_scores", "validation_loss_curve")


@dataclass
class History:
    """What the stochastic solvers record across epochs (and partial_fit calls).

    Attributes mirror scikit-learn's MLP: ``loss_curve`` (training loss per
    epoch), ``validation_scores`` and ``best_validation_score`` when early
    stopping runs, else ``best_loss``; ``t`` counts samples seen.
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

    def __post_init__(self):
        if self.early_stopping and self.best_validation_score is None:
            if self.validation_scores is None:
                self.validation_scores, self.validation_loss_curve = [], []
            self.best_validation_score = -np.inf
            self.best_validation_loss = np.inf
        elif not self.early_stopping and self.best_loss is None:
            self.best_loss = np.inf


class Batches:
    """Cut (X, Y, s) into batches of at most m rows, gathered into buffers.

    Rows of a dense X are gathered into one preallocated array in the dtype
    of Y (the compute dtype); rows in another dtype are gathered 128 at a
    time and cast, so a float64 X trained in float32 is never copied
    whole. A contiguous slice of an X already in that dtype is used as a
    view. ``x_rows`` maps the rows of (Y, s) to rows of X, for training on
    a subset (early stopping) without copying it out of X. ``gather``, the
    compiled ``kernels.gather`` when the training loop has Numba, copies
    and casts the rows of a C-contiguous X in one pass instead.
    """

    def __init__(self, X, Y, sample_weight, m, x_rows=None, gather=None):
        self.X, self.Y, self.s = X, Y, sample_weight
        self.x_rows = x_rows
        self.m = m
        dense = not sp.issparse(X)
        self._X = np.empty((m, X.shape[1]), Y.dtype) if dense else None
        cast = dense and X.dtype != Y.dtype
        self._gather = gather if cast and X.flags.c_contiguous else None
        # Without the compiled gather, rows to be cast are first gathered in
        # X's own dtype, a block at a time: np.take converting as it copies
        # runs at half the speed of a plain copy followed by a cast of the
        # cache-resident block.
        self._X_raw = (
            np.empty((min(m, _CAST_BLOCK), X.shape[1]), X.dtype)
            if cast and self._gather is None
            else None
        )
        self._Y = np.empty((m, Y.shape[1]), Y.dtype)
        self._s = None if sample_weight is None else np.empty(m, sample_weight.dtype)

    def _gather_X(self, rows):
        if self.x_rows is not None:
            rows = self.x_rows[rows]
        if self._X is None:
            return self.X[rows]
        if isinstance(rows, slice):
            part = self.X[rows]
            if part.dtype == self._X.dtype:
                return part
            out = self._X[: part.shape[0]]
            np.copyto(out, part, casting="same_kind")
            return out
        out = self._X[: len(rows)]
        if self._gather is not None:
            self._gather(self.X, rows, out)
            return out
        if self._X_raw is None:
            return _take(self.X, rows, out)
        for start in range(0, len(rows), _CAST_BLOCK):
            block = rows[start : start + _CAST_BLOCK]
            raw = _take(self.X, block, self._X_raw[: len(block)])
            np.copyto(out[start : start + len(block)], raw, casting="same_kind")
        return out

    def __call__(self, rows):
        """The batch of the given rows: an index array or a slice."""
        Xb = self._gather_X(rows)
        if isinstance(rows, slice):
            s = None if self.s is None else self.s[rows]
            return Xb, self.Y[rows], s
        k = len(rows)
        Yb = _take(self.Y, rows, self._Y[:k])
        sb = None if self.s is None else _take(self.s, rows, self._s[:k])
        return Xb, Yb, sb


# Rows gathered per block before a cast: 128 x 784 float64 is 0.8 MB.
_CAST_BLOCK = 128


def _take(A, rows, out):
    """A[rows] written into out (rows are valid indices by construction).

    mode='clip' because the default mode='raise' gathers into a temporary
    and copies it into ``out``: twice the memory traffic per batch.
    """
    return np.take(A, rows, axis=0, out=out, mode="clip")


def _batch_rows(order, n, m):
    """Row selectors of the batches of one epoch (slices when unshuffled)."""
    for start in range(0, n, m):
        stop = min(start + m, n)
        yield slice(start, stop) if order is None else order[start:stop]


def run_epochs(
    params,
    network,
    X,
    Y,
    sample_weight,
    *,
    optimizer,
    schedule,
    alpha,
    batch_size,
    max_iter,
    shuffle,
    random_state,
    tol,
    n_iter_no_change,
    history,
    loss_tol=None,
    max_grad_norm=None,
    dropout=None,
    x_rows=None,
    epoch_hooks=None,
    validation_score=None,
    incremental=False,
    verbose=False,
):
    """Train ``params`` in place with mini-batches; update ``history``.

    Parameters
    ----------
    params : Parameters
        Trained in place; X, Y and the parameters share one dtype.
    network : Network
    X : {ndarray, CSR matrix} of shape (n_X, n_0)
        Any float dtype when dense (rows are cast as batches are gathered).
    Y : ndarray of shape (n, n_L)
        In the compute dtype (that of params).
    sample_weight : ndarray of shape (n,) or None
    optimizer : UpdateRule
        SGD, Adam, AdamW or RMSprop (``advance`` and ``update`` by parts).
    schedule : learning-rate schedule (see ``schedules``)
    alpha : float
    batch_size : int
    max_iter : int
        Epochs at most (one when ``incremental``).
    shuffle : bool
    random_state : numpy.random.RandomState
    tol : float
    n_iter_no_change : int or inf
    history : History
    loss_tol : float, default=None
        The tolerance of the plateau tests on a loss (training, or
        validation when monitored); default tol. A regressor's loss sums its
        outputs where MLP's averages them: tol times the outputs keeps
        MLP's test.
    max_grad_norm : float, default=None
        Clip each batch gradient to this Euclidean norm before the step.
    epoch_hooks : (callable, callable, callable), default=None
        ``begin()`` called before each epoch, ``end(params) -> bool`` after
        it (True stops training) and ``finish(params)`` once training is
        over: the fit's callbacks.
    dropout : sequence of float, default=None
        Dropout rate per layer (see ``Buffers``); masks are drawn for every
        batch from a generator seeded by ``random_state``.
    x_rows : ndarray of shape (n,), default=None
        The rows of X that Y and sample_weight belong to (default: all).
    validation_score : callable, default=None
        ``validation_score(params) -> (score, loss)`` on held-out data,
        recorded every epoch. When ``history.early_stopping``, the
        quantity ``history.monitor`` names ('score', higher is better, or
        'loss') decides the plateaus, and the best epoch's weights are kept.
    incremental : bool
        One epoch only (partial_fit).
    verbose : bool

    Returns
    -------
    stopped_by : {'converged', 'max_iter', 'diverged', 'interrupted', 'epoch', \
'callback'}
        Why training stopped; 'epoch' after the single epoch of partial_fit.
    """
    n = Y.shape[0]
    m = batch_size
    loss_tol = tol if loss_tol is None else loss_tol
    buffers = Buffers(network, params.layer_sizes, m, params.dtype, dropout=dropout)
    step = BatchStep(params, network, buffers, optimizer, alpha, max_grad_norm)
    # Drawn only when dropout is on, so other fits keep MLP's random stream.
    # Seeded by the samples seen too: partial_fit calls with an int
    # random_state start from the same RandomState, and would otherwise
    # drop the same units of the same rows at every pass over a stream.
    dropout_rng = (
        np.random.default_rng([random_state.randint(2**31 - 1), history.t])
        if dropout is not None and any(dropout)
        else None
    )
    fused = kernels.for_size(params.theta.shape[0])
    batches = Batches(
        X, Y, sample_weight, m, x_rows, gather=None if fused is None else fused.gather
    )
    order = np.arange(n) if shuffle else None
    total_weight = n if sample_weight is None else float(sample_weight.sum())
    epoch_start = params.theta.copy()
    if history.early_stopping and history.best_theta is None:
        history.best_theta = params.theta.copy()

    first_loss = None
    if incremental and optimizer.learning_rate == 0:
        # 'cosine' after max_iter calls: the stream would go on untrained.
        warnings.warn(
            f"The learning rate of the {type(schedule).__name__.lower()!r} "
            "schedule has reached 0, so this call takes no gradient step "
            "(with momentum, sgd's velocity still moves the weights for a "
            "while). 'cosine' reaches 0 after max_iter epochs, each "
            "partial_fit call being one, counted from the estimator's first "
            "call: set max_iter to the number of calls to train on a new "
            "estimator, or use another learning_rate.",
            ConvergenceWarning,
        )

    history.n_iter = 0
    stopped_by = "max_iter"
    # Overflow ends in a non-finite loss or theta, caught below and reported
    # by one ConvergenceWarning that says what to do, not by numpy's warnings.
    with (
        sigint_between_steps() as interrupted,
        np.errstate(over="ignore", invalid="ignore"),
    ):
        try:
            for _ in range(max_iter):
                np.copyto(epoch_start, params.theta)
                if epoch_hooks is not None:
                    epoch_hooks[0]()
                if shuffle:
                    # Shuffle a permutation of 0..n-1 the way sklearn.utils.shuffle
                    # does, so a shared random_state gives MLP's batch order.
                    perm = np.arange(n)
                    random_state.shuffle(perm)
                    order = order[perm]
                epoch_loss, loss = 0.0, 0.0
                for rows in _batch_rows(order, n, m):
                    Xb, Yb, sb = batches(rows)
                    batch_weight = Xb.shape[0] if sb is None else float(sb.sum())
                    if batch_weight == 0:
                        continue  # rows of weight 0 are absent rows
                    if dropout_rng is not None:
                        draw_dropout_masks(buffers, dropout, dropout_rng, Xb.shape[0])
                    loss = step(Xb, Yb, sb, batch_weight)
                    if not np.isfinite(loss):
                        break
                    epoch_loss += loss * batch_weight
                    if interrupted:
                        raise KeyboardInterrupt
                epoch_loss /= total_weight
                if not (np.isfinite(loss) and np.isfinite(params.theta).all()):
                    diverged = "became non-finite"
                elif first_loss is not None and _diverging(
                    epoch_loss,
                    first_loss,
                    lambda: _zero_weight_loss(network, Y, sample_weight),
                ):
                    diverged = f"grew to {epoch_loss:.3g} from {first_loss:.3g}"
                else:
                    diverged = None
                if diverged:
                    # The moments hold the gradients that blew up: the next
                    # call (partial_fit) starts them afresh.
                    np.copyto(params.theta, epoch_start)
                    optimizer.restart()
                    _warn_diverged(history.n_iter + 1, diverged)
                    stopped_by = "diverged"
                    break
                first_loss = epoch_loss if first_loss is None else first_loss

                history.n_iter += 1
                history.t += n
                history.loss_curve.append(epoch_loss)
                if verbose:
                    print(f"Iteration {history.n_iter}, loss = {epoch_loss:.8f}")
                _count_no_improvement(
                    history, params, tol, loss_tol, validation_score, verbose
                )
                schedule.epoch_end(optimizer, history.t)
                if epoch_hooks is not None and epoch_hooks[1](params):
                    stopped_by = "callback"
                    break

                if history.no_improvement_count > n_iter_no_change:
                    stop, action = schedule.plateau(optimizer)
                    if verbose:
                        print(_plateau_message(history, tol, n_iter_no_change), action)
                    if stop:
                        stopped_by = "converged"
                        break
                    history.no_improvement_count = 0
                if incremental:
                    stopped_by = "epoch"
                    break
            else:
                warnings.warn(
                    f"Stochastic Optimizer: Maximum iterations ({max_iter}) reached "
                    "and the optimization hasn't converged yet.",
                    ConvergenceWarning,
                )
        except KeyboardInterrupt:
            if not np.isfinite(params.theta).all():
                np.copyto(params.theta, epoch_start)
                optimizer.restart()
            warnings.warn(
                f"Training interrupted by user after {history.n_iter} complete "
                "epoch(s); the model keeps the weights reached so far (the best "
                "ones when early stopping). Call partial_fit to continue."
            )
            stopped_by = "interrupted"

    if validation_score is not None and history.early_stopping:
        if history.n_iter and stopped_by in ("converged", "max_iter", "callback"):
            _check_best_is_finite(history)
        np.copyto(params.theta, history.best_theta)
    if stopped_by == "converged" and not incremental:
        _warn_if_not_learned(
            min(history.loss_curve[-history.n_iter :]),
            _zero_weight_loss(network, Y, sample_weight),
        )
    if epoch_hooks is not None:
        epoch_hooks[2](params)
    return stopped_by


def _count_no_improvement(history, params, tol, loss_tol, validation_score, verbose):
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
        history.validation_scores, history.validation_loss_curve = [], []
    history.validation_scores.append(score)
    history.validation_loss_curve.append(loss)
    if verbose:
        print(f"Validation score: {score:f}, validation loss: {loss:.8f}")


_NAN_CAUSE = {
    "score": (
        "The score is undefined on some validation sets (R^2 of fewer than 2 "
        "samples, for one). Give a larger validation set, or set "
        "early_stopping_metric='loss'."
    ),
    "loss": (
        "The network's outputs overflowed on the validation data: scale it "
        "as the training data, or lower learning_rate_init."
    ),
}


def _check_best_is_finite(history):
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
    # (inf - tol == inf would not), and see _check_best_is_finite.
    stalled = stalled or not np.isfinite(value)
    history.no_improvement_count = history.no_improvement_count + 1 if stalled else 0
    if better:
        history.best_validation_score = score
        history.best_validation_loss = loss
        np.copyto(history.best_theta, params.theta)


def _plateau_message(history, tol, n_iter_no_change):
    if not history.early_stopping:
        what = "Training loss"
    else:
        what = "Validation loss" if history.monitor == "loss" else "Validation score"
    return (
        f"{what} did not improve more than tol={tol:f} for "
        f"{n_iter_no_change} consecutive epochs."
    )


def _warn_diverged(epoch, what):
    warnings.warn(
        f"The training loss {what} during epoch {epoch}: the optimization "
        "diverged. Training stopped, the weights were restored to their "
        "values before that epoch and the optimizer's moments reset. Lower "
        "learning_rate_init or scale the input data.",
        ConvergenceWarning,
    )


# An epoch's loss this many times the reference loss means divergence.
_DIVERGENCE_FACTOR = 1e3


def _diverging(loss, first_loss, zero_weight_loss):
    """Whether an epoch's mean training loss shows runaway growth, not noise.

    The reference is the larger of the first epoch's loss in this fit and
    the loss of the network with all weights zero (a constant output: log K
    for softmax, half the mean squared target for squared error), which
    ``zero_weight_loss()`` computes over the whole training set, and only
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
    reference = max(first_loss, zero_weight_loss())
    return reference > 0 and loss > _DIVERGENCE_FACTOR * reference


# A plateau above this many times the zero-weight loss is worse than the
# constant output of all-zero weights, and far from any optimum.
_NOT_LEARNED_FACTOR = 2.0


def _warn_if_not_learned(best_epoch_loss, zero_weight_loss):
    """Warn when a fit settled on a loss far above that of a constant output.

    A step too large from the first batches on (sgd with learning_rate_init
    10 on digits) leaves the loss hundreds of times log K in the first
    epoch, which :func:`_diverging` then takes as its reference: later
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
    threshold = _NOT_LEARNED_FACTOR * zero_weight_loss
    if zero_weight_loss > 0 and best_epoch_loss > threshold:
        warnings.warn(
            f"Training settled on a loss worse than a constant prediction's: "
            f"{best_epoch_loss:.4g} at best, above {_NOT_LEARNED_FACTOR:g} times "
            f"the loss of a network with all weights zero "
            f"({zero_weight_loss:.4g}), which predicts a constant. Lower "
            "learning_rate_init if the steps are too large, scale X, and for "
            "targets of small scale, scale y or lower tol.",
            ConvergenceWarning,
        )


def _zero_weight_loss(network, Y, sample_weight):
    """Mean loss of the network whose weights are all zero (z^(L) = 0).

    inf if it overflows, which disables the divergence test against it.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        sample_loss = network.output.sample_loss(np.zeros_like(Y), Y)
        if sample_weight is None:
            return float(sample_loss.mean())
        return float(sample_loss @ sample_weight) / float(sample_weight.sum())
