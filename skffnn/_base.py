"""What FFNNClassifier and FFNNRegressor share: parameters, fit and predict.

The estimator validates, encodes the target, builds the flat parameter
vector theta, hands it to a training loop and writes the fitted attributes
back. It never computes a gradient itself.
"""

import functools
import warnings
from abc import ABCMeta, abstractmethod
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

from ._callbacks import EpochCallbacksMixin, with_callbacks
from ._checks import (
    _cast,
    _cast_weights,
    _check_finite,
    _finite_output,
    _surely_finite,
    _unchanged_on_error,
)
from ._hidden_features import HiddenFeaturesMixin
from ._network import (
    ACTIVATIONS,
    SCHEMES,
    Layers,
    Network,
    Parameters,
    evaluate,
    initialize,
    output_loss,
    predict,
)
from ._persistence import PlainStateMixin
from ._training import (
    SGD,
    Adam,
    AdamW,
    History,
    OptimizerState,
    RMSprop,
    make_schedule,
    run_epochs,
    run_lbfgs,
)
from ._validation_set import (
    check_validation_set,
    split_validation,
    validation_arguments,
)

# dtype='auto' trains in float32 from this many (samples x parameters) on:
# an epoch of about 0.6 GFLOP, where matrix products dominate and float32
# halves their time. Below it an epoch takes milliseconds either way.
_FLOAT32_MIN_WORK = 10**8

# learning_rate values of scikit-learn's MLP that it applies to sgd only.
_MLP_SGD_SCHEDULES = ("invscaling", "adaptive")

# What the stochastic solvers record per epoch (see _set_history).
_EPOCH_ATTRIBUTES = (
    "loss_curve_",
    "best_loss_",
    "validation_scores_",
    "validation_loss_curve_",
    "best_validation_score_",
)

# A loss paired with each output activation: prediction needs only its link.
_LOSS_OF_OUTPUT = {
    "identity": "squared_error",
    "logistic": "binary_log_loss",
    "softmax": "log_loss",
    "exp": "poisson",
}


@functools.lru_cache(maxsize=64)
def _build_network(activations, loss_name, huber_delta):
    """The Network of these hidden-layer Activations and output loss.

    A Network holds only functions, so one instance serves every fit and
    prediction with the same settings; building it anew cost a few
    microseconds of each one-row prediction. The key holds the Activation
    objects, not their names, so a changed registry entry is seen.
    """
    return Network.build(activations, output_loss(loss_name, huber_delta))


def _rows_of(Y, sample_weight, rows):
    """(Y[rows], sample_weight[rows]), the weights None when not given."""
    return Y[rows], None if sample_weight is None else sample_weight[rows]


class BaseFFNN(
    PlainStateMixin,
    HiddenFeaturesMixin,
    EpochCallbacksMixin,
    BaseEstimator,
    metaclass=ABCMeta,
):
    """Base class of the feed-forward network estimators; use a subclass."""

    _parameter_constraints: dict = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "activation": [StrOptions(set(ACTIVATIONS)), list, tuple],
        "solver": [StrOptions({"lbfgs", "sgd", "adam", "adamw", "rmsprop"})],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
        ],
        "learning_rate": [
            StrOptions({"constant", "invscaling", "adaptive", "cosine", "step"})
        ],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [
            Interval(Integral, 1, None, closed="left"),
            Options(Real, {np.inf}),
        ],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
        "dtype": [StrOptions({"auto", "float32", "float64"})],
        "weight_init": [StrOptions({"auto", *SCHEMES})],
        "warmup_epochs": [Interval(Integral, 0, None, closed="left")],
        "lr_step_size": [Interval(Integral, 1, None, closed="left")],
        "lr_gamma": [Interval(Real, 0, 1, closed="right")],
        "max_grad_norm": [None, Interval(Real, 0, None, closed="neither")],
        "early_stopping_metric": [StrOptions({"score", "loss"})],
        "dropout": [Interval(Real, 0, 1, closed="left"), list, tuple],
    }

    @abstractmethod
    def __init__(
        self,
        hidden_layer_sizes,
        activation,
        solver,
        alpha,
        batch_size,
        learning_rate,
        learning_rate_init,
        power_t,
        max_iter,
        shuffle,
        random_state,
        tol,
        verbose,
        warm_start,
        momentum,
        nesterovs_momentum,
        early_stopping,
        validation_fraction,
        beta_1,
        beta_2,
        epsilon,
        n_iter_no_change,
        max_fun,
        dtype,
        weight_init,
        warmup_epochs,
        lr_step_size,
        lr_gamma,
        max_grad_norm,
        early_stopping_metric,
        dropout,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.dtype = dtype
        self.weight_init = weight_init
        self.warmup_epochs = warmup_epochs
        self.lr_step_size = lr_step_size
        self.lr_gamma = lr_gamma
        self.max_grad_norm = max_grad_norm
        self.early_stopping_metric = early_stopping_metric
        self.dropout = dropout

    # -- what the subclasses define -------------------------------------

    @abstractmethod
    def _validate_input(self, X, y, incremental, reset):
        """Return X in the compute dtype and Y as a 2-D float array."""

    @abstractmethod
    def _loss_name(self):
        """Name of the output loss for the fitted target (see output_loss)."""

    @abstractmethod
    def _score_output(self, output, Y, sample_weight):
        """Score network outputs against encoded targets Y (validation)."""

    def _outputs_summed_in_loss(self, Y):
        """How many outputs the loss sums where MLP's averages them (1: none)."""
        return 1

    def _stratify(self, Y):
        """Labels to stratify the early-stopping split by, or None."""
        return None

    def _weight_samples(self, sample_weight, Y, incremental):
        """Sample weights combined with any per-class weights (classifier)."""
        return sample_weight

    def _weights_name(self, given):
        """What the training weights are called in messages."""
        return "sample_weight"

    # -- fit ------------------------------------------------------------

    def _check_solver(self):
        """partial_fit's availability: every solver but lbfgs trains in epochs."""
        if self.solver == "lbfgs":
            raise AttributeError(
                "partial_fit is only available for stochastic optimizers. "
                f"{self.solver} is not stochastic."
            )
        return True

    def _hidden_sizes(self):
        sizes = self.hidden_layer_sizes
        if isinstance(sizes, np.ndarray) and sizes.ndim == 0:
            sizes = sizes.item()  # np.array(4): iterable by type, not in fact
        sizes = list(sizes) if hasattr(sizes, "__iter__") else [sizes]
        if any(not isinstance(n, Integral | np.integer) or n <= 0 for n in sizes):
            raise ValueError(
                f"hidden_layer_sizes must be positive integers, got {sizes}."
            )
        return [int(n) for n in sizes]

    def _hidden_activations(self, n_hidden):
        """The activation name of each hidden layer."""
        if isinstance(self.activation, str):
            return [self.activation] * n_hidden
        names = list(self.activation)
        if len(names) != n_hidden:
            raise ValueError(
                f"activation has {len(names)} entries but the network has "
                f"{n_hidden} hidden layers; give one name per hidden layer or a "
                "single name for all."
            )
        unknown = [
            name
            for name in names
            if not isinstance(name, str) or name not in ACTIVATIONS
        ]
        if unknown:
            raise ValueError(
                f"Unknown activation(s) {unknown}; expected names among "
                f"{sorted(ACTIVATIONS)}."
            )
        return names

    def _initial_parameters(self, layer_sizes, dtype, random_state):
        """New parameters drawn by the weight_init scheme."""
        params = Parameters(layer_sizes, dtype)
        names = self._hidden_activations(len(layer_sizes) - 2)
        # MLP's rule scales the output layer by the last hidden activation.
        following = names + names[-1:] if names else [self.activation]
        initialize(params, random_state, self.weight_init, following)
        return params

    def _dropout_rates(self, n_hidden):
        """(0, rate of hidden layer 1, ..., rate of layer L-1, 0), or None."""
        rates = self.dropout
        if isinstance(rates, Real):
            if rates > 0 and n_hidden == 0:
                raise ValueError(
                    f"dropout={rates!r} drops units of hidden layers, and "
                    "this network has none (hidden_layer_sizes=())."
                )
            rates = [rates] * n_hidden
        try:
            rates = [float(r) for r in rates]
        except (TypeError, ValueError):
            rates = [np.nan]  # not numbers: the message below
        if len(rates) != n_hidden or not all(0 <= r < 1 for r in rates):
            raise ValueError(
                "dropout must be a rate in [0, 1) or one such rate per hidden "
                f"layer ({n_hidden} here), got {self.dropout!r}."
            )
        return (0.0, *rates, 0.0) if any(rates) else None

    def _network(self, loss_name, n_hidden):
        activations = tuple(ACTIVATIONS[n] for n in self._hidden_activations(n_hidden))
        # Only the Huber loss reads huber_delta (a regressor parameter); as a
        # float it keys the cache whatever type set_params gave it.
        huber_delta = float(self.huber_delta) if loss_name == "huber" else None
        return _build_network(activations, loss_name, huber_delta)

    @with_callbacks
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(
        self,
        X,
        y,
        sample_weight=None,
        validation_data=None,
        *,
        X_val=None,
        y_val=None,
        sample_weight_val=None,
    ):
        """Fit the network to data matrix X and targets y.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values: class labels for the classifier (a label
            indicator matrix for multilabel classification), real values
            for the regressor.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights; each sample's loss is multiplied by its
            weight.
        validation_data : tuple (X_val, y_val), default=None
            Held-out data scored after every epoch (stochastic solvers):
            ``validation_scores_`` and ``validation_loss_curve_`` record it.
            With early_stopping=True it replaces the validation_fraction
            split, so all of X is trained on. The same as passing X_val and
            y_val.
        X_val : {array-like, sparse matrix} of shape (n_val, n_features), default=None
            The validation set's data, in scikit-learn's spelling (as in
            HistGradientBoosting); give y_val with it. In a Pipeline, build
            it with ``transform_input=["X_val"]`` (and metadata routing on)
            so that X_val is transformed like X. Under cross-validation,
            scikit-learn splits every fit argument with as many rows as X
            along with X, so an X_val of exactly that length would be split
            too.
        y_val : array-like of shape (n_val,) or (n_val, n_outputs), default=None
            The validation set's targets.
        sample_weight_val : array-like of shape (n_val,), default=None
            Non-negative weights of the validation samples in the validation
            score and loss (default: equal weights). The classifier's
            class_weight does not apply to them.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(
            X,
            y,
            sample_weight=sample_weight,
            incremental=False,
            validation=validation_arguments(
                validation_data, X_val, y_val, sample_weight_val
            ),
        )

    @_unchanged_on_error
    def _fit(self, X, y, sample_weight=None, incremental=False, validation=None):
        hidden = self._hidden_sizes()
        first_pass = not hasattr(self, "coefs_") or (
            not self.warm_start and not incremental
        )
        X, Y = self._validate_input(X, y, incremental, reset=first_pass)
        layer_sizes = [X.shape[1], *hidden, Y.shape[1]]
        if first_pass or not incremental:
            self._dtype = self._compute_dtype(X, layer_sizes)
        dtype = self._dtype  # kept by partial_fit, whatever its chunk sizes
        _check_finite(X, dtype, "X", type(self).__name__)
        if self.solver == "lbfgs" or sp.issparse(X):
            X = _cast(X, dtype, "X")
        # else the mini-batch loop casts rows as it gathers them: no copy of X.
        Y = _cast(Y, dtype, "y")
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, X, dtype=np.float64, ensure_non_negative=True
            )
        weights_name = self._weights_name(sample_weight is not None)
        sample_weight = self._weight_samples(sample_weight, Y, incremental)
        if sample_weight is not None:
            sample_weight = _cast_weights(sample_weight, dtype, weights_name)
        random_state = check_random_state(self.random_state)

        if first_pass:
            params = self._initial_parameters(layer_sizes, dtype, random_state)
            self._history = None
            self._optimizer = None
            self.n_outputs_ = Y.shape[1]
            self.n_layers_ = len(layer_sizes)
            self.out_activation_ = output_loss(self._loss_name()).out_activation
        else:
            params = self._continued_parameters(layer_sizes, dtype, incremental)

        network = self._network(self._loss_name(), len(hidden))
        if self.solver == "lbfgs":
            self._check_lbfgs_settings(len(hidden), validation)
            self._fit_lbfgs(params, network, X, Y, sample_weight)
        else:
            self._fit_stochastic(
                params,
                network,
                X,
                Y,
                sample_weight,
                random_state,
                incremental,
                validation,
                new_network=first_pass,
            )
        self._set_layers(params)
        return self

    def _continued_parameters(self, layer_sizes, dtype, incremental):
        """The fitted parameters, to train on; refused if the sizes changed."""
        params = Parameters.from_layers(self.coefs_, self.intercepts_, dtype)
        if params.layer_sizes != tuple(layer_sizes):
            # partial_fit always continues; fit does with warm_start=True.
            remedy = (
                "Call fit (without warm_start) or use a new estimator"
                if incremental
                else "Set warm_start=False"
            )
            raise ValueError(
                "Cannot continue training: the network has layer sizes "
                f"{list(params.layer_sizes)} but the data and "
                f"hidden_layer_sizes give {layer_sizes}. {remedy} to train "
                "a new network."
            )
        return params

    def _check_lbfgs_settings(self, n_hidden, validation):
        """Refuse what needs epochs or mini-batches; warn callbacks of none."""
        if self._dropout_rates(n_hidden) is not None:
            raise ValueError(
                "dropout draws a new mask for every mini-batch; use a "
                "stochastic solver ('adam', 'sgd', ...) instead of 'lbfgs'."
            )
        if validation is not None:
            raise ValueError(
                "A validation set (validation_data, or X_val and y_val) is "
                "used by the stochastic solvers, which train in epochs; "
                "solver='lbfgs' has no epochs to validate."
            )
        if getattr(self, "_skl_callbacks", None):
            warnings.warn(
                "Callbacks receive one task per epoch of the stochastic "
                "solvers; solver='lbfgs' has no epochs, so they see none of "
                "its iterations."
            )

    def _compute_dtype(self, X, layer_sizes):
        """The precision of the forward and backward passes (see ``dtype``)."""
        if self.dtype != "auto":
            return np.dtype(self.dtype)
        if self.solver == "lbfgs":
            return np.dtype(np.float64)
        if X.dtype == np.float32:
            return X.dtype
        n_params = sum((a + 1) * b for a, b in zip(layer_sizes, layer_sizes[1:]))
        work = X.shape[0] * n_params
        return np.dtype(np.float32 if work >= _FLOAT32_MIN_WORK else np.float64)

    def _fit_lbfgs(self, params, network, X, Y, sample_weight):
        # Overflow shows as a non-finite loss or theta, raised below; L-BFGS's
        # line search backs off from an infinite trial point by itself.
        with np.errstate(over="ignore", invalid="ignore"):
            result = run_lbfgs(
                params,
                network,
                X,
                Y,
                sample_weight,
                alpha=self.alpha,
                max_iter=self.max_iter,
                max_fun=self.max_fun,
                tol=self.tol,
                verbose=bool(self.verbose),
            )
        if not (np.isfinite(params.theta).all() and np.isfinite(result.fun)):
            raise ValueError(
                "L-BFGS produced a non-finite loss or weights: the input data "
                "may contain very large values and need to be scaled (e.g. "
                "StandardScaler)."
            )
        if result.status != 0 and not result.get("interrupted", False):
            warnings.warn(
                f"lbfgs failed to converge after {result.nit} iterations "
                f"(status={result.status}): {result.message}. Increase max_iter "
                "or max_fun, or scale the data.",
                ConvergenceWarning,
            )
        self.n_iter_ = int(result.nit)
        self.t_ = 0
        self.loss_ = float(result.fun)
        # No epochs: the curves and bests of an earlier stochastic fit, and
        # the optimizer state a partial_fit would go on from, belong to
        # weights this fit replaced. A fresh lbfgs fit has none of them.
        self._history = self._optimizer = None
        for name in _EPOCH_ATTRIBUTES:
            self.__dict__.pop(name, None)

    def _fit_stochastic(
        self,
        params,
        network,
        X,
        Y,
        sample_weight,
        random_state,
        incremental,
        validation=None,
        new_network=False,
    ):
        # A stream has no held-out set: partial_fit trains on all it is given
        # and monitors the training loss, whatever early_stopping says.
        early_stopping = self.early_stopping and not incremental
        held_out, train_rows, Y, sample_weight = self._held_out(
            X, Y, sample_weight, random_state, validation, early_stopping
        )
        optimizer = self._optimizer if incremental else None
        # Training changes the optimizer's state and the history in place:
        # what it continues from is rolled back when the call raises
        # midway, so that it stays beside the weights it belongs to (see
        # _unchanged_on_error). Only validation moves the best weights.
        optimizer_mark = None if optimizer is None else optimizer.mark()
        if optimizer is None:
            optimizer = self._make_optimizer(
                params.theta.size, params.theta.dtype, params.n_weights
            )
        self._optimizer = optimizer
        if self._history is None:
            self._history = History(
                early_stopping=early_stopping, monitor=self.early_stopping_metric
            )
        history_mark = self._history.mark(keep_best=held_out is not None)
        hooks = self._epoch_hooks(X, Y)
        validation_score = self._validation_scorer(network, held_out)
        try:
            if not incremental:  # a warm start may change the stopping rule
                self._history.monitor_for(early_stopping, self.early_stopping_metric)
            run_epochs(
                params,
                network,
                X,
                Y,
                sample_weight,
                x_rows=train_rows,
                optimizer=optimizer.rule,
                schedule=optimizer.schedule,
                # AdamW applies alpha as decoupled decay, not as a penalty term.
                alpha=0.0 if self.solver == "adamw" else self.alpha,
                max_grad_norm=self.max_grad_norm,
                dropout=self._dropout_rates(params.L - 1),
                batch_size=self._batch_size(Y.shape[0]),
                max_iter=self.max_iter,
                shuffle=self.shuffle,
                random_state=random_state,
                tol=self.tol,
                loss_tol=self.tol * self._outputs_summed_in_loss(Y),
                n_iter_no_change=self.n_iter_no_change,
                history=self._history,
                epoch_hooks=hooks,
                validation_score=validation_score,
                incremental=incremental,
                new_network=new_network,
                verbose=bool(self.verbose),
            )
            self._set_history(self._history)
        except BaseException:
            if optimizer_mark is not None:
                optimizer.rollback(optimizer_mark)
            self._history.rollback(history_mark)
            raise

    def _held_out(self, X, Y, sample_weight, random_state, validation, split):
        """What a fit validates on, and the rows it trains on.

        Returns (X_val, Y_val, s_val) or None, the training rows of X (None:
        all of them), and Y and sample_weight of those rows: the validation
        set given to fit, or with ``split`` (early stopping without one) a
        validation_fraction of the rows, held out from training.
        """
        if validation is not None:
            return check_validation_set(self, *validation, Y), None, Y, sample_weight
        if not split:
            return None, None, Y, sample_weight
        train_rows, val_rows = split_validation(
            Y,
            sample_weight,
            random_state,
            self.validation_fraction,
            self._stratify(Y),
        )
        held_out = (_cast(X[val_rows], Y.dtype, "X"),)
        held_out += _rows_of(Y, sample_weight, val_rows)
        return held_out, train_rows, *_rows_of(Y, sample_weight, train_rows)

    def _validation_scorer(self, network, held_out):
        """``params -> (score, loss)`` on the held-out (X, Y, s), or None."""
        if held_out is None:
            return None
        X_val, Y_val, sw_val = held_out

        def validation_score(params):
            output, loss = evaluate(params, network, X_val, Y_val, sw_val)
            return self._score_output(output, Y_val, sw_val), loss

        return validation_score

    def _batch_size(self, n_samples):
        if self.batch_size == "auto":
            return min(200, n_samples)
        if self.batch_size > n_samples:
            warnings.warn(
                f"Got `batch_size`={self.batch_size} larger than the number of "
                f"samples ({n_samples}); it is clipped to {n_samples}."
            )
        return int(min(self.batch_size, n_samples))

    def _make_optimizer(self, n, dtype, n_weights=None):
        """A fresh update rule and schedule for n parameters of the given dtype.

        theta[:n_weights] are the weights (AdamW decays only those).
        """
        eta = self.learning_rate_init
        if self.solver == "sgd":
            rule = SGD(n, dtype, eta, self.momentum, self.nesterovs_momentum)
        elif self.solver == "rmsprop":
            rule = RMSprop(n, dtype, eta, self.beta_2, self.epsilon)
        elif self.solver == "adamw":
            rule = AdamW(
                n,
                dtype,
                eta,
                self.beta_1,
                self.beta_2,
                self.epsilon,
                weight_decay=self.alpha,
                n_weights=n_weights,
            )
        else:
            rule = Adam(n, dtype, eta, self.beta_1, self.beta_2, self.epsilon)
        schedule = make_schedule(
            self._schedule_name(),
            eta,
            power_t=self.power_t,
            n_epochs=self.max_iter,
            step_size=self.lr_step_size,
            gamma=self.lr_gamma,
            warmup_epochs=self.warmup_epochs,
        )
        schedule.begin(rule)
        return OptimizerState(rule, schedule)

    def _schedule_name(self):
        """The learning_rate schedule this fit follows.

        MLP applies its own schedules ('invscaling', 'adaptive') to sgd
        only, and trains adam at a constant rate whatever learning_rate
        says: so does this estimator, or code written for MLP (a grid over
        solver and learning_rate) would train differently. The schedules
        MLP lacks apply to every stochastic solver.
        """
        if self.solver != "sgd" and self.learning_rate in _MLP_SGD_SCHEDULES:
            return "constant"
        return self.learning_rate

    # -- fitted attributes ----------------------------------------------

    def _set_layers(self, params):
        # float64 whatever the training precision: predictions are computed
        # in float64 from these arrays, without casting them at every call.
        self.coefs_ = [W.astype(np.float64, copy=False) for W in params.W[1:]]
        self.intercepts_ = [b.astype(np.float64, copy=False) for b in params.b[1:]]

    def _set_history(self, history):
        self.n_iter_ = history.n_iter
        self.t_ = history.t
        self.loss_curve_ = history.loss_curve
        self.loss_ = history.loss_curve[-1] if history.loss_curve else np.nan
        self.best_loss_ = history.best_loss
        self.validation_scores_ = history.validation_scores
        self.validation_loss_curve_ = history.validation_loss_curve
        self.best_validation_score_ = history.best_validation_score

    # -- predict --------------------------------------------------------

    def _forward(self, X, layer=None):
        """Network output a^(L) for X, computed in float64.

        With ``layer``, the activations a^(l) of that hidden layer instead
        (see :meth:`transform`). Predictions are computed in float64
        whatever the training dtype, so they do not depend on how rows are
        batched (float32 GEMM kernels round differently for different row
        counts).
        """
        # Inputs far outside the training range can overflow float64 on the
        # way (a huge z^(L) under exp, inf - inf in a hidden layer): raise
        # rather than answer inf or NaN, and without numpy's warnings.
        with np.errstate(over="ignore", invalid="ignore"):
            X = self._validate_predict_input(X)
            depth = None if layer is None else self._hidden_depth(layer)
            params = Layers(self.coefs_, self.intercepts_)
            loss = _LOSS_OF_OUTPUT[self.out_activation_]
            network = self._network(loss, len(self.coefs_) - 1)
            output = predict(params, network, X, depth)
            return _finite_output(output, X)

    def _hidden_depth(self, layer):
        """The lecture's l = 1 ... L-1 of a transform ``layer`` argument."""
        n_hidden = len(self.coefs_) - 1
        if n_hidden == 0:
            raise ValueError("transform needs a hidden layer; this network has none.")
        if (
            not isinstance(layer, Integral)
            or isinstance(layer, bool)  # True would be layer 1, by accident
            or not (1 <= layer <= n_hidden or -n_hidden <= layer <= -1)
        ):
            raise ValueError(
                f"layer must be an integer in 1..{n_hidden} or -{n_hidden}..-1 "
                f"(this network has {n_hidden} hidden layers), got {layer!r}."
            )
        return layer if layer > 0 else n_hidden + 1 + layer

    def _validate_predict_input(self, X):
        """X as float64 for prediction, with scikit-learn's checks.

        A finite 2-D float ndarray of the fitted width, fitted without
        feature names, is what validate_data would return unchanged (up to
        the cast): it skips the general machinery, which costs more than
        the forward pass of a single row.
        """
        if (
            type(X) is np.ndarray
            and X.ndim == 2
            and X.dtype.kind == "f"
            and X.dtype.itemsize <= 8  # long double may hold what float64 cannot
            and X.shape[0] > 0
            and hasattr(self, "coefs_")
            and not hasattr(self, "feature_names_in_")
            and X.shape[1] == self.n_features_in_
            and _surely_finite(X)
        ):
            return X.astype(np.float64, copy=False)
        check_is_fitted(self)
        return validate_data(
            self, X, accept_sparse=["csr", "csc"], dtype=np.float64, reset=False
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
