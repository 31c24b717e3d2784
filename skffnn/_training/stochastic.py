"""Mini-batch training: fit loop -> epoch -> batch step.

The loop owns no estimator: it receives arrays, a network, an optimizer, a
schedule and (for early stopping) a callable scoring a parameter vector, and
records what happened in a ``history.History`` that the estimator turns into
its fitted attributes. :func:`run_epochs` is the fit loop, :class:`Epoch`
one pass over the data and ``batch_step.BatchStep`` one update.
"""

import functools
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from .._network import Buffers, draw_dropout_masks, predict
from . import kernels
from .batch_step import BatchStep
from .batches import Batches, batch_rows
from .divergence import (
    KEPT_WEIGHTS_FACTOR,
    how_diverged,
    raise_diverged_untrained,
    warn_diverged,
    warn_if_not_learned,
    worse_than_constant,
    zero_weight_loss,
)
from .history import (
    History,
    check_best_is_finite,
    count_no_improvement,
    plateau_message,
)
from .interrupts import sigint_between_steps


class EpochHooks(NamedTuple):
    """What a fit's callbacks do around its epochs.

    Attributes
    ----------
    begin : callable
        ``begin()``, called before each epoch.
    end : callable
        ``end(params) -> bool``, called after each epoch; True stops training.
    finish : callable
        ``finish(params)``, called once training is over.
    """

    begin: Callable[[], None]
    end: Callable[..., bool]
    finish: Callable[..., None]


_NO_HOOKS = EpochHooks(lambda: None, lambda params: False, lambda params: None)


class Epoch:
    """One pass over the training rows in mini-batches, training params in place.

    Built once per fit: its buffers, batch step and gathering buffers serve
    every epoch. Parameters are those of :func:`run_epochs`;
    ``samples_seen`` (the history's ``t``) seeds the dropout masks. The fit
    loop reads ``params``, ``optimizer`` and ``n`` (the training rows) from
    it.
    """

    def __init__(
        self,
        params,
        network,
        X,
        Y,
        sample_weight,
        optimizer,
        *,
        alpha,
        batch_size,
        shuffle,
        random_state,
        max_grad_norm,
        dropout,
        x_rows,
        samples_seen,
    ):
        self.params, self.optimizer, self.network = params, optimizer, network
        self.n, self.m = Y.shape[0], batch_size
        self.random_state, self.dropout = random_state, dropout
        self.buffers = Buffers(
            network, params.layer_sizes, batch_size, params.dtype, dropout=dropout
        )
        self.step = BatchStep(
            params, network, self.buffers, optimizer, alpha, max_grad_norm
        )
        # Drawn only when dropout is on, so other fits keep MLP's random stream.
        # Seeded by the samples seen too: partial_fit calls with an int
        # random_state start from the same RandomState, and would otherwise
        # drop the same units of the same rows at every pass over a stream.
        self.dropout_rng = (
            np.random.default_rng([random_state.randint(2**31 - 1), samples_seen])
            if dropout is not None and any(dropout)
            else None
        )
        fused = kernels.for_size(params.theta.shape[0])
        gather = None if fused is None else fused.gather
        self.batches = Batches(X, Y, sample_weight, batch_size, x_rows, gather)
        self.order = np.arange(self.n) if shuffle else None
        self.total_weight = (
            self.n if sample_weight is None else float(sample_weight.sum())
        )
        self.weighted = sample_weight is not None
        # The loss of an epoch's first batch, taken before its step: the
        # loss of the weights the epoch started from.
        self.first_batch_loss = np.nan
        self.start = params.theta.copy()
        # Needed by a divergence test or a plateau's check, at most once.
        self.zero_weight_loss = functools.cache(
            functools.partial(zero_weight_loss, network, Y, sample_weight)
        )

    def __call__(self, interrupted):
        """Train one epoch; return its mean loss and the last batch's loss.

        Stops at the first batch whose loss is not finite (its step leaves
        theta unchanged). Raises KeyboardInterrupt after a complete step
        once ``interrupted`` (the :class:`~.interrupts.StopRequests` of
        :func:`sigint_between_steps`) holds a request.
        """
        np.copyto(self.start, self.params.theta)
        self._shuffle()
        epoch_loss, loss = 0.0, 0.0
        self.first_batch_loss = np.nan  # stays NaN if no batch carries weight
        first = True
        for rows in batch_rows(self.order, self.n, self.m):
            Xb, Yb, sb = self.batches(rows)
            batch_weight = Xb.shape[0] if sb is None else float(sb.sum())
            if batch_weight == 0:
                continue  # rows of weight 0 are absent rows
            if self.dropout_rng is not None:
                draw_dropout_masks(
                    self.buffers, self.dropout, self.dropout_rng, Xb.shape[0]
                )
            loss = self.step(Xb, Yb, sb, batch_weight)
            if first:
                self.first_batch_loss, first = loss, False
            if not np.isfinite(loss):
                break
            epoch_loss += loss * batch_weight
            if interrupted:
                raise KeyboardInterrupt
        return epoch_loss / self.total_weight, loss

    def start_loss(self):
        """Mean loss, over all training rows, of the weights the epoch started from.

        One forward pass over the data, no dropout, no penalty: the loss the
        epoch would have had without a single step. Computed only to
        confirm a suspected divergence.
        """
        reached = self.params.theta.copy()
        np.copyto(self.params.theta, self.start)
        try:
            total = 0.0
            for rows in batch_rows(None, self.n, self.m):
                Xb, Yb, sb = self.batches(rows)
                z = predict(self.params, self.network, Xb, link=False)
                sample_loss = self.network.output.sample_loss(z, Yb)
                total += float(sample_loss.sum() if sb is None else sample_loss @ sb)
            return total / self.total_weight
        finally:
            np.copyto(self.params.theta, reached)

    def _shuffle(self):
        if self.order is not None:
            # Shuffle a permutation of 0..n-1 the way sklearn.utils.shuffle
            # does, so a shared random_state gives MLP's batch order.
            perm = np.arange(self.n)
            self.random_state.shuffle(perm)
            self.order = self.order[perm]

    def undo(self):
        """Put theta back as the epoch found it, and restart the optimizer.

        The moments hold the gradients that blew up: the next call
        (partial_fit) starts them afresh.
        """
        np.copyto(self.params.theta, self.start)
        self.optimizer.restart()


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
    new_network=False,
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
    epoch_hooks : EpochHooks, default=None
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
    new_network : bool
        ``params`` are initial weights, drawn for this fit: a divergence in
        its first epoch leaves nothing to keep, and raises ValueError.
    verbose : bool

    Returns
    -------
    stopped_by : {'converged', 'max_iter', 'diverged', 'interrupted', 'epoch', \
'callback'}
        Why training stopped; 'epoch' after the single epoch of partial_fit.
    """
    loss_tol = tol if loss_tol is None else loss_tol
    epoch = Epoch(
        params,
        network,
        X,
        Y,
        sample_weight,
        optimizer,
        alpha=alpha,
        batch_size=batch_size,
        shuffle=shuffle,
        random_state=random_state,
        max_grad_norm=max_grad_norm,
        dropout=dropout,
        x_rows=x_rows,
        samples_seen=history.t,
    )
    if history.early_stopping and history.best_theta is None:
        history.best_theta = params.theta.copy()
    if incremental and optimizer.learning_rate == 0:
        _warn_no_gradient_step(schedule)
    loop = _FitLoop(
        epoch,
        history,
        schedule,
        tol,
        loss_tol,
        n_iter_no_change,
        epoch_hooks or _NO_HOOKS,
        validation_score,
        incremental,
        new_network,
        verbose,
    )
    history.n_iter = 0
    # Ctrl+C stays a request until the fit's end (restoring the best weights,
    # the plateau check, the callbacks' end): a press there lets it finish.
    with sigint_between_steps() as interrupted:
        try:
            # Overflow ends in a non-finite loss or theta, caught by the loop
            # and reported by one ConvergenceWarning that says what to do,
            # not by numpy's warnings.
            with np.errstate(over="ignore", invalid="ignore"):
                stopped_by = loop.run(max_iter, interrupted)
            if interrupted:  # pressed after the last step: honoured all the same
                raise KeyboardInterrupt
        except KeyboardInterrupt:
            if interrupted.at_once:
                raise  # a second Ctrl+C: the call fails, the estimator unchanged
            if not np.isfinite(params.theta).all():
                epoch.undo()
            stopped_by = "interrupted"
        restored_best = loop.finish(stopped_by)
        pressed_at_the_end = bool(interrupted) and stopped_by != "interrupted"
    if stopped_by == "interrupted" or pressed_at_the_end:
        _warn_interrupted(history.n_iter, restored_best)
    return stopped_by


def _warn_interrupted(n_iter, restored_best):
    kept = (
        "the weights of the best validated epoch (early stopping)"
        if restored_best
        else "the weights reached so far"
    )
    warnings.warn(
        f"Training interrupted by user after {n_iter} complete epoch(s); the "
        f"model keeps {kept}. Call partial_fit to continue. Pressing Ctrl+C "
        "twice stops at once, leaving the estimator as the call found it."
    )


@dataclass
class _FitLoop:
    """The epochs of one fit, and the rules that end them (see run_epochs)."""

    epoch: Epoch
    history: History
    schedule: object
    tol: float
    loss_tol: float
    n_iter_no_change: float
    hooks: EpochHooks
    validation_score: object
    incremental: bool
    new_network: bool
    verbose: bool

    def run(self, max_iter, interrupted):
        """Train up to max_iter epochs; return why training stopped."""
        first_loss = None
        for _ in range(max_iter):
            if interrupted:  # pressed during the last epoch's validation
                raise KeyboardInterrupt
            self.hooks.begin()
            epoch_loss, last_loss = self.epoch(interrupted)
            first_epoch = first_loss is None
            diverged = how_diverged(
                epoch_loss,
                last_loss,
                self.epoch.params.theta,
                self.epoch.first_batch_loss if first_epoch else first_loss,
                self.epoch.zero_weight_loss,
                self.epoch.start_loss if first_epoch else None,
            )
            if diverged:
                self._diverged(diverged)
                return "diverged"
            first_loss = epoch_loss if first_loss is None else first_loss
            stopped_by = self._end_of_epoch(epoch_loss)
            if stopped_by:
                return stopped_by
        warnings.warn(
            f"Stochastic Optimizer: Maximum iterations ({max_iter}) reached "
            "and the optimization hasn't converged yet.",
            ConvergenceWarning,
        )
        return "max_iter"

    def _diverged(self, what):
        """Undo the epoch; raise if a new network has no trained weights left.

        That is so in its first epoch, and in a later one when the weights
        the undo restores do far worse than a constant prediction over the
        training set (KEPT_WEIGHTS_FACTOR times its loss).
        """
        epoch, n_iter = self.epoch, self.history.n_iter
        kept_loss = None
        if self.new_network and n_iter:
            kept_loss = epoch.start_loss()  # one forward pass, on divergence only
        untrained = self.new_network and (
            n_iter == 0
            or worse_than_constant(
                kept_loss, epoch.zero_weight_loss(), KEPT_WEIGHTS_FACTOR
            )
        )
        epoch.undo()
        if untrained:
            raise_diverged_untrained(
                what,
                n_iter + 1,
                started_finite=bool(np.isfinite(epoch.first_batch_loss)),
                zero_loss=epoch.zero_weight_loss(),
                dtype=epoch.params.dtype,
                weighted=epoch.weighted,
                kept_loss=kept_loss,
            )
        warn_diverged(n_iter + 1, what)

    def _end_of_epoch(self, epoch_loss):
        """Record the epoch, then apply the rules that may stop training."""
        history, params = self.history, self.epoch.params
        history.n_iter += 1
        history.t += self.epoch.n
        history.loss_curve.append(epoch_loss)
        if self.verbose:
            print(f"Iteration {history.n_iter}, loss = {epoch_loss:.8f}")
        count_no_improvement(
            history,
            params,
            self.tol,
            self.loss_tol,
            self.validation_score,
            self.verbose,
        )
        self.schedule.epoch_end(self.epoch.optimizer, history.t)
        if self.hooks.end(params):
            return "callback"
        if history.no_improvement_count > self.n_iter_no_change:
            stop, action = self.schedule.plateau(self.epoch.optimizer)
            if self.verbose:
                print(plateau_message(history, self.tol, self.n_iter_no_change), action)
            if stop:
                return "converged"
            history.no_improvement_count = 0
        return "epoch" if self.incremental else None

    def finish(self, stopped_by):
        """End a fit: keep early stopping's best weights, check a plateau, end
        callbacks. Return whether the best weights were restored."""
        history, params = self.history, self.epoch.params
        restore = self.validation_score is not None and history.early_stopping
        if restore and history.n_iter and stopped_by in self._ENDS:
            check_best_is_finite(history)
        # An interrupt before the first validation leaves no best: the
        # weights reached so far beat the initial ones kept in its place.
        restore = restore and history.has_validated_best()
        if restore:
            np.copyto(params.theta, history.best_theta)
        # Under early stopping the plateau is the validation score's, while
        # the penalized training loss may still be shedding a large alpha.
        plateau_of_loss = not (history.early_stopping and self.validation_score)
        if stopped_by == "converged" and not self.incremental and plateau_of_loss:
            warn_if_not_learned(
                min(history.loss_curve[-history.n_iter :]),
                self.epoch.zero_weight_loss(),
            )
        self.hooks.finish(params)
        return restore

    # How a fit ends normally, with its best weights validated.
    _ENDS = ("converged", "max_iter", "callback")


def _warn_no_gradient_step(schedule):
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
