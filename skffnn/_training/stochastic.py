"""Mini-batch training: fit loop -> epoch -> batch step.

The loop owns no estimator: it receives arrays, a network, an optimizer, a
schedule and (for early stopping) a callable scoring a parameter vector, and
records what happened in a :class:`History` that the estimator turns into
its fitted attributes.
"""

import warnings
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning

from .._network import Buffers, loss_and_gradient


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
    no_improvement_count: int = 0
    n_iter: int = 0
    t: int = 0
    best_theta: np.ndarray | None = None

    def __post_init__(self):
        if self.early_stopping and self.validation_scores is None:
            self.validation_scores = []
            self.best_validation_score = -np.inf
        elif not self.early_stopping and self.best_loss is None:
            self.best_loss = np.inf


class Batches:
    """Cut (X, Y, s) into batches of at most m rows, gathered into buffers.

    Dense rows picked by index are copied into one preallocated array per
    input; contiguous slices (no shuffling) are views and cost nothing.
    """

    def __init__(self, X, Y, sample_weight, m):
        self.X, self.Y, self.s = X, Y, sample_weight
        self.m = m
        self._X = None if sp.issparse(X) else np.empty((m, X.shape[1]), X.dtype)
        self._Y = np.empty((m, Y.shape[1]), Y.dtype)
        self._s = None if sample_weight is None else np.empty(m, sample_weight.dtype)

    def __call__(self, rows):
        """The batch of the given rows: an index array or a slice."""
        if isinstance(rows, slice):
            s = None if self.s is None else self.s[rows]
            return self.X[rows], self.Y[rows], s
        k = len(rows)
        if self._X is None:
            Xb = self.X[rows]
        else:
            Xb = np.take(self.X, rows, axis=0, out=self._X[:k])
        Yb = np.take(self.Y, rows, axis=0, out=self._Y[:k])
        sb = None if self.s is None else np.take(self.s, rows, out=self._s[:k])
        return Xb, Yb, sb


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
    X : {ndarray, CSR matrix} of shape (n, n_0)
    Y : ndarray of shape (n, n_L)
    sample_weight : ndarray of shape (n,) or None
    optimizer : SGD or Adam
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
    validation_score : callable, default=None
        ``validation_score(params) -> float``, higher is better; enables
        early stopping and best-weight restoration.
    incremental : bool
        One epoch only (partial_fit).
    verbose : bool

    Returns
    -------
    stopped_by : {'converged', 'max_iter', 'diverged', 'interrupted', 'epoch'}
        Why training stopped; 'epoch' after the single epoch of partial_fit.
    """
    n = X.shape[0]
    m = batch_size
    buffers = Buffers(network, params.layer_sizes, m, params.dtype)
    grad = params.like()
    batches = Batches(X, Y, sample_weight, m)
    order = np.arange(n) if shuffle else None
    total_weight = n if sample_weight is None else float(sample_weight.sum())
    epoch_start = params.theta.copy()
    if validation_score is not None and history.best_theta is None:
        history.best_theta = params.theta.copy()

    history.n_iter = 0
    stopped_by = "max_iter"
    try:
        for _ in range(max_iter):
            np.copyto(epoch_start, params.theta)
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
                loss = loss_and_gradient(
                    params, grad, network, Xb, Yb, sb, alpha, buffers
                )
                if not np.isfinite(loss):
                    break
                optimizer.step(params.theta, grad.theta)
                epoch_loss += loss * batch_weight
            if not (np.isfinite(loss) and np.isfinite(params.theta).all()):
                np.copyto(params.theta, epoch_start)
                _warn_diverged(history.n_iter + 1)
                stopped_by = "diverged"
                break

            history.n_iter += 1
            history.t += n
            history.loss_curve.append(epoch_loss / total_weight)
            if verbose:
                print(
                    f"Iteration {history.n_iter}, loss = {history.loss_curve[-1]:.8f}"
                )
            _count_no_improvement(history, params, tol, validation_score, verbose)
            schedule.epoch_end(optimizer, history.t)

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
        warnings.warn("Training interrupted by user.")
        stopped_by = "interrupted"

    if validation_score is not None:
        np.copyto(params.theta, history.best_theta)
    return stopped_by


def _count_no_improvement(history, params, tol, validation_score, verbose):
    """Update the plateau counter from the validation score or training loss."""
    if validation_score is not None:
        score = validation_score(params)
        history.validation_scores.append(score)
        if verbose:
            print(f"Validation score: {score:f}")
        if score < history.best_validation_score + tol:
            history.no_improvement_count += 1
        else:
            history.no_improvement_count = 0
        if score > history.best_validation_score:
            history.best_validation_score = score
            np.copyto(history.best_theta, params.theta)
    else:
        loss = history.loss_curve[-1]
        best = np.inf if history.best_loss is None else history.best_loss
        if loss > best - tol:
            history.no_improvement_count += 1
        else:
            history.no_improvement_count = 0
        history.best_loss = min(best, loss)


def _plateau_message(history, tol, n_iter_no_change):
    what = (
        "Validation score"
        if history.validation_scores is not None
        else ("Training loss")
    )
    return (
        f"{what} did not improve more than tol={tol:f} for "
        f"{n_iter_no_change} consecutive epochs."
    )


def _warn_diverged(epoch):
    warnings.warn(
        f"The training loss became non-finite during epoch {epoch}: the "
        "optimization diverged. Training stopped and the weights were restored "
        "to their values before that epoch. Lower learning_rate_init or scale "
        "the input data.",
        ConvergenceWarning,
    )
