"""Plots of a fitted network, following scikit-learn's Display convention.

matplotlib is an optional dependency (``pip install matplotlib``, or the
project's ``plot`` extra), imported only when something is drawn.
"""

import warnings

import numpy as np
from sklearn.utils.validation import check_is_fitted

__all__ = ["LossCurveDisplay"]


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            "LossCurveDisplay requires matplotlib: pip install matplotlib"
        ) from exc
    return plt


def _final_estimator(estimator):
    """The network at the end of a Pipeline, or the estimator itself."""
    steps = getattr(estimator, "steps", None)
    return steps[-1][1] if steps else estimator


class LossCurveDisplay:
    """Training loss per epoch and, with early stopping, the validation score.

    Create it with :meth:`from_estimator` from a network fitted by a
    stochastic solver ('sgd', 'adam', 'adamw', 'rmsprop'), or directly from
    the recorded values; then :meth:`plot` draws it. The validation score, when there
    is one, goes on a second y axis sharing the epochs.

    Parameters
    ----------
    loss_curve : array-like of shape (n_epochs,)
        Training loss after each epoch (an estimator's ``loss_curve_``).
    validation_scores : array-like of shape (n_scores,), default=None
        Score on the held-out set after each epoch (``validation_scores_``),
        recorded when validation ran: one per entry of loss_curve, or one
        per entry of validation_epochs.
    validation_epochs : array-like of int of shape (n_scores,), default=None
        The epoch (1 ... n_epochs) of each validation score, when scores
        cover only some epochs (a warm start that turned early stopping
        on, partial_fit calls between fits with validation).
    estimator_name : str, default=None
        Title of the plot.

    Attributes
    ----------
    line_ : matplotlib Line2D
        The training loss.
    validation_line_ : matplotlib Line2D or None
        The validation score, None without validation scores.
    ax_ : matplotlib Axes
        The axes of the loss.
    ax2_ : matplotlib Axes or None
        The twin axes of the validation score, None without validation
        scores.
    figure_ : matplotlib Figure
        The figure holding the axes.

    See Also
    --------
    sklearn.model_selection.LearningCurveDisplay : Scores against training
        set size.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_digits
    >>> from skffnn import FFNNClassifier
    >>> from skffnn.plot import LossCurveDisplay
    >>> X, y = load_digits(return_X_y=True)
    >>> clf = FFNNClassifier(early_stopping=True, random_state=0).fit(X / 16, y)
    >>> display = LossCurveDisplay.from_estimator(clf)
    >>> len(display.line_.get_ydata()) == clf.n_iter_
    True
    """

    def __init__(
        self,
        *,
        loss_curve,
        validation_scores=None,
        estimator_name=None,
        validation_epochs=None,
    ):
        self.loss_curve = loss_curve
        self.validation_scores = validation_scores
        self.estimator_name = estimator_name
        self.validation_epochs = validation_epochs

    def plot(self, ax=None, *, name=None, validation_kwargs=None, **kwargs):
        """Draw the loss curve, and the validation score on a twin axis.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; None creates a new figure.
        name : str, default=None
            Title of the plot; None uses ``estimator_name``.
        validation_kwargs : dict, default=None
            Keyword arguments of matplotlib's ``plot`` for the validation
            score.
        **kwargs : dict
            Keyword arguments of matplotlib's ``plot`` for the loss.

        Returns
        -------
        display : LossCurveDisplay
            This object, with the matplotlib artists as attributes.
        """
        self._check_validation_epochs()  # before anything is drawn
        plt = _pyplot()
        from matplotlib.ticker import MaxNLocator

        if ax is None:
            _, ax = plt.subplots()
        loss = np.asarray(self.loss_curve, dtype=float)
        epochs = np.arange(1, len(loss) + 1)
        (self.line_,) = ax.plot(
            epochs, loss, **{"color": "C0", "label": "training loss", **kwargs}
        )
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("epoch")
        ax.set_ylabel("training loss")
        handles = [self.line_]

        self.ax2_ = self.validation_line_ = None
        if self.validation_scores is not None:
            self._plot_validation(ax, validation_kwargs or {})
            handles.append(self.validation_line_)
        # One legend for both axes, drawn on the top one so no line hides it.
        (self.ax2_ or ax).legend(handles=handles, loc="center right")

        title = name if name is not None else self.estimator_name
        if title is not None:
            ax.set_title(title)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    def _check_validation_epochs(self):
        """Refuse scores that cannot be placed at epochs of the loss curve."""
        if self.validation_scores is None:
            return
        n_scores, n_epochs = len(self.validation_scores), len(self.loss_curve)
        if self.validation_epochs is None:
            if n_scores != n_epochs:
                raise ValueError(
                    f"validation_scores has {n_scores} entries for {n_epochs} "
                    "epochs of loss_curve: give one score per epoch, or the "
                    "epoch of each score as validation_epochs."
                )
            return
        epochs = np.asarray(self.validation_epochs)
        if epochs.shape != (n_scores,) or not (
            epochs.dtype.kind in "iu"
            and np.all(np.diff(epochs) > 0)
            and (n_scores == 0 or 1 <= epochs[0] and epochs[-1] <= n_epochs)
        ):
            raise ValueError(
                "validation_epochs must hold one increasing epoch in 1.."
                f"{n_epochs} per validation score ({n_scores}), got "
                f"{self.validation_epochs!r}."
            )

    def _validation_x(self):
        if self.validation_epochs is None:
            return np.arange(1, len(self.validation_scores) + 1)
        return np.asarray(self.validation_epochs)

    def _plot_validation(self, ax, kwargs):
        scores = np.asarray(self.validation_scores, dtype=float)
        # A twin axis starts its own colour cycle: name the colour so the
        # score does not take the loss's.
        self.ax2_ = ax.twinx()
        (self.validation_line_,) = self.ax2_.plot(
            self._validation_x(),
            scores,
            **{"color": "C1", "label": "validation score", **kwargs},
        )
        self.ax2_.set_ylabel("validation score")

    @classmethod
    def from_estimator(
        cls, estimator, ax=None, *, name=None, validation_kwargs=None, **kwargs
    ):
        """Plot the loss curve recorded by a fitted network.

        Parameters
        ----------
        estimator : estimator or Pipeline
            A fitted FFNNClassifier / FFNNRegressor (or scikit-learn MLP)
            trained by a stochastic solver, alone or at the end of a
            Pipeline.
        ax : matplotlib Axes, default=None
            Where to draw; None creates a new figure.
        name : str, default=None
            Title of the plot; None uses the estimator's class name.
        validation_kwargs : dict, default=None
            Keyword arguments of matplotlib's ``plot`` for the validation
            score.
        **kwargs : dict
            Keyword arguments of matplotlib's ``plot`` for the loss.

        Returns
        -------
        display : LossCurveDisplay
            The display, drawn.
        """
        network = _final_estimator(estimator)
        check_is_fitted(network)
        loss_curve = getattr(network, "loss_curve_", None)
        if not loss_curve:
            solver = getattr(network, "solver", None)
            if solver is None:  # a wrapper: TransformedTargetRegressor, ...
                raise ValueError(
                    f"{type(network).__name__} has no loss curve (loss_curve_) "
                    "to plot: pass the fitted network itself, such as the "
                    "regressor_ of a TransformedTargetRegressor."
                )
            if not hasattr(network, "coefs_"):  # LogisticRegression, ...
                raise ValueError(
                    f"{type(network).__name__} has no loss curve to plot: it "
                    "is not a network trained by a stochastic solver."
                )
            raise ValueError(
                f"{type(network).__name__} has no loss curve to plot: only "
                "networks trained by a stochastic solver ('sgd', 'adam', "
                "'adamw', 'rmsprop') record the loss of each epoch "
                "(loss_curve_), and its last fit recorded none: it used "
                "solver='lbfgs', or completed no epoch (solver is "
                f"{solver!r} now)."
            )
        scores = getattr(network, "validation_scores_", None)
        epochs = None
        if scores is not None and len(scores) != len(loss_curve):
            # Warm starts and partial_fit calls without validation: the
            # history says which epochs the scores belong to, unless it was
            # saved before it recorded them.
            history = getattr(network, "_history", None)
            epochs = getattr(history, "validation_epochs", None)
            if epochs is None or len(epochs) != len(scores):
                warnings.warn(
                    f"{type(network).__name__} has validation scores for "
                    f"{len(scores)} of its {len(loss_curve)} epochs and does "
                    "not say which: the plot shows the training loss only."
                )
                scores = epochs = None
        display = cls(
            loss_curve=loss_curve,
            validation_scores=scores,
            estimator_name=type(network).__name__,
            validation_epochs=epochs,
        )
        return display.plot(
            ax, name=name, validation_kwargs=validation_kwargs, **kwargs
        )
