"""FFNNRegressor: continuous targets with squared-error or Poisson loss."""

from numbers import Real

import numpy as np
from sklearn.base import RegressorMixin, _fit_context
from sklearn.metrics import r2_score
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_array, column_or_1d, validate_data

from . import _docs
from ._base import BaseFFNN
from ._callbacks import with_callbacks

# |y| beyond which score() rescales: 8 squares of 1e153 already overflow.
_RESCALE_ABOVE = 1e100


class FFNNRegressor(RegressorMixin, BaseFFNN):
    __doc__ = f"""Feed-forward neural network regressor trained by backpropagation.

    A drop-in replacement for :class:`sklearn.neural_network.MLPRegressor`:
    same parameters, attributes and methods.

    Parameters
    ----------
    loss : {{'squared_error', 'poisson', 'huber', 'absolute_error'}}, \
default='squared_error'
        'squared_error' is half the squared error with an identity output;
        'poisson' half the Poisson deviance with an exponential output
        (log link), for non-negative targets such as counts; 'huber' is
        squared error for residuals up to huber_delta and absolute error
        beyond (robust to outliers); 'absolute_error' fits the conditional
        median (its gradient is the sign of the residual).

    {_docs.PARAMETERS}
    huber_delta : float, default=1.0
        Residual beyond which loss='huber' grows linearly instead of
        quadratically; in the units of y.

    Attributes
    ----------
    {_docs.ATTRIBUTES}
    See Also
    --------
    FFNNClassifier : The classification counterpart.
    sklearn.neural_network.MLPRegressor : The estimator this one replaces.

    Examples
    --------
    >>> import numpy as np
    >>> from skffnn import FFNNRegressor
    >>> X = np.linspace(-3, 3, 200).reshape(-1, 1)
    >>> y = np.sin(X).ravel()
    >>> reg = FFNNRegressor(hidden_layer_sizes=(32,), activation="tanh",
    ...                     solver="lbfgs", random_state=0).fit(X, y)
    >>> bool(reg.score(X, y) > 0.99)
    True
    """

    _parameter_constraints: dict = {
        **BaseFFNN._parameter_constraints,
        "loss": [StrOptions({"squared_error", "poisson", "huber", "absolute_error"})],
        "huber_delta": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(
        self,
        loss="squared_error",
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
        dtype="auto",
        weight_init="auto",
        warmup_epochs=0,
        lr_step_size=10,
        lr_gamma=0.1,
        max_grad_norm=None,
        early_stopping_metric="score",
        dropout=0.0,
        huber_delta=1.0,
    ):
        self.loss = loss
        self.huber_delta = huber_delta
        super().__init__(
            hidden_layer_sizes=hidden_layer_sizes,
            activation=activation,
            solver=solver,
            alpha=alpha,
            batch_size=batch_size,
            learning_rate=learning_rate,
            learning_rate_init=learning_rate_init,
            power_t=power_t,
            max_iter=max_iter,
            shuffle=shuffle,
            random_state=random_state,
            tol=tol,
            verbose=verbose,
            warm_start=warm_start,
            momentum=momentum,
            nesterovs_momentum=nesterovs_momentum,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            n_iter_no_change=n_iter_no_change,
            max_fun=max_fun,
            dtype=dtype,
            weight_init=weight_init,
            warmup_epochs=warmup_epochs,
            lr_step_size=lr_step_size,
            lr_gamma=lr_gamma,
            max_grad_norm=max_grad_norm,
            early_stopping_metric=early_stopping_metric,
            dropout=dropout,
        )

    def _validate_input(self, X, y, incremental, reset):
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse="csr",
            multi_output=True,
            y_numeric=True,
            dtype=(np.float64, np.float32),
            # _fit checks finiteness with the compute dtype's range, in one
            # pass over X (_check_finite).
            ensure_all_finite=False,
            reset=reset,
        )
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        self._check_poisson_targets(y, "y")
        Y = y.reshape(len(y), -1).astype(np.float64)
        return X, Y

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # As PoissonRegressor's: scikit-learn's checks (and tools reading the
        # tags) then give it non-negative targets, the only ones it accepts.
        tags.target_tags.positive_only = self.loss == "poisson"
        return tags

    def _check_poisson_targets(self, y, name):
        if self.loss == "poisson" and (y < 0).any():
            raise ValueError(
                f"loss='poisson' requires non-negative targets {name}, but "
                f"{name} has {int((y < 0).sum())} negative value(s)."
            )

    def _encode_validation_targets(self, y):
        y = check_array(y, ensure_2d=False, dtype=np.float64, input_name="y_val")
        # A negative target has no Poisson deviance: NaN validation losses.
        self._check_poisson_targets(y, "y_val")
        return y.reshape(len(y), -1)

    def _outputs_summed_in_loss(self, Y):
        # MLPRegressor's squared error is the mean over outputs, and its
        # plateau test compares that mean with tol; skffnn's is their sum
        # (the objective whose gradient both follow): tol times the outputs.
        # MLP's Poisson loss sums the outputs as skffnn's does.
        return Y.shape[1] if self.loss == "squared_error" else 1

    def _decode_targets(self, Y):
        return Y.ravel() if Y.shape[1] == 1 else Y

    def _loss_name(self):
        return self.loss

    def _score_output(self, output, Y, sample_weight):
        if not np.isfinite(output).all():
            return np.nan
        return r2_score(Y, output, sample_weight=sample_weight)

    @available_if(lambda est: est._check_solver())
    @with_callbacks
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Train for one epoch over the given data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative sample weights.

        Returns
        -------
        self : FFNNRegressor
            The updated estimator.
        """
        return self._fit(X, y, sample_weight=sample_weight, incremental=True)

    def score(self, X, y, sample_weight=None):
        """Coefficient of determination R^2 of ``predict(X)`` against y.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Test samples.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            True values.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            R^2, as ``sklearn.metrics.r2_score`` computes it.
        """
        y_pred = self.predict(X)
        y = check_array(y, ensure_2d=False, dtype=np.float64, input_name="y")
        if y.ndim == 2 and y.shape[1] == 1:
            y = y.ravel()  # as predict returns a single output
        scale = np.abs(y).max(axis=0) if y.size else np.zeros(y.shape[1:])
        if np.any(scale > _RESCALE_ABOVE):
            # The R^2 of an output does not change when it and its prediction
            # are divided by one number; squares of such values would
            # overflow float64. Output by output: one factor for all would
            # make a small output's squares underflow to 0 (an R^2 of 1).
            factor = np.where(scale > _RESCALE_ABOVE, scale, 1.0)
            y, y_pred = y / factor, y_pred / factor
        return r2_score(y, y_pred, sample_weight=sample_weight)

    def predict(self, X):
        """Predict target values.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predicted values.
        """
        output = self._forward(X)
        return output.ravel() if output.shape[1] == 1 else output
