"""FFNNClassifier: label encoding, output choice and class probabilities."""

import numpy as np
from sklearn.base import ClassifierMixin, _fit_context
from sklearn.metrics import accuracy_score
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import (
    _check_partial_fit_first_call,
    check_classification_targets,
    type_of_target,
    unique_labels,
)
from sklearn.utils.validation import (
    column_or_1d,
    validate_data,
)

from . import _docs
from ._base import BaseFFNN
from ._callbacks import with_callbacks
from ._checks import _unchanged_on_error
from ._validation_set import check_validation_outputs


class FFNNClassifier(ClassifierMixin, BaseFFNN):
    _parameter_constraints: dict = {
        **BaseFFNN._parameter_constraints,
        "class_weight": [None, dict, StrOptions({"balanced"})],
    }

    __doc__ = f"""Feed-forward neural network classifier trained by backpropagation.

    A drop-in replacement for :class:`sklearn.neural_network.MLPClassifier`:
    same parameters, attributes and methods. Multiclass targets use a softmax
    output with cross-entropy; binary and multilabel targets a sigmoid output
    with binary cross-entropy.

    Parameters
    ----------
    {_docs.PARAMETERS}
    class_weight : dict, 'balanced' or None, default=None
        Weight of each class, multiplying sample_weight in the loss and in
        the score of the validation fraction that early stopping holds out.
        ``score`` stays plain accuracy (weighted by its own sample_weight
        only), as in every scikit-learn classifier, so that model selection
        compares all candidates on one metric. 'balanced' uses
        n_samples / (n_classes * np.bincount(y)); ``partial_fit`` needs a
        dict (it never sees the whole training set) and uses the one set at
        each call. Weights must be finite and non-negative. Single-label
        targets only.

    Attributes
    ----------
    classes_ : ndarray or list of ndarray of shape (n_classes,)
        Class labels.

    class_weight_ : ndarray of shape (n_classes,)
        Weight of each class in ``classes_``, when class_weight is set.

    {_docs.ATTRIBUTES}
    See Also
    --------
    FFNNRegressor : The regression counterpart.
    sklearn.neural_network.MLPClassifier : The estimator this one replaces.

    Examples
    --------
    >>> from sklearn.datasets import make_circles
    >>> from skffnn import FFNNClassifier
    >>> X, y = make_circles(noise=0.05, factor=0.5, random_state=0)
    >>> clf = FFNNClassifier(hidden_layer_sizes=(16,), solver="lbfgs",
    ...                      random_state=0).fit(X, y)
    >>> clf.score(X, y)
    1.0
    """

    def __init__(
        self,
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
        class_weight=None,
    ):
        self.class_weight = class_weight
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

    # -- target encoding ------------------------------------------------

    def _validate_input(self, X, y, incremental, reset):
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse="csr",
            multi_output=True,
            dtype=(np.float64, np.float32),
            # _fit checks finiteness with the compute dtype's range, in one
            # pass over X (_check_finite).
            ensure_all_finite=False,
            reset=reset,
        )
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if y.ndim == 2 and type_of_target(y) == "multiclass-multioutput":
            # Checked here for partial_fit too, whose classes set up the
            # binarizer before y is seen.
            raise ValueError(
                "FFNNClassifier does not support multiclass-multioutput targets "
                "(several columns of class labels). Use "
                "sklearn.multioutput.MultiOutputClassifier(FFNNClassifier()), "
                "or give multilabel targets as a 0/1 indicator matrix."
            )
        try:
            check_classification_targets(y)
        except TypeError as error:
            if "not supported between" not in str(error):
                raise  # scikit-learn's own message (bytes labels, ...)
            # numpy fails to sort labels such as 1 and 'a' with a bare TypeError.
            raise TypeError(
                f"y mixes labels of types that cannot be compared ({error}); "
                "labels must be all numbers or all strings."
            ) from error
        if not hasattr(self, "classes_") or (not self.warm_start and not incremental):
            self._label_binarizer = LabelBinarizer().fit(y)
            self.classes_ = self._label_binarizer.classes_
        elif self.warm_start:
            classes = unique_labels(y)
            if set(classes) != set(self.classes_):
                raise ValueError(
                    "warm_start can only be used where `y` has the same "
                    "classes as in the previous call to fit. Previously "
                    f"got {self.classes_}, `y` has {classes}."
                )
        if len(self.classes_) < 2:
            raise ValueError(
                "FFNNClassifier needs samples of at least 2 classes, but the "
                f"data contains only one class: {self.classes_.tolist()[0]!r}."
            )
        return X, self._indicators(y)

    def _indicators(self, y):
        """LabelBinarizer's float64 indicator matrix of y; raise for unknown labels.

        For labels (not multilabel rows) the matrix is built from each
        label's index in the sorted classes_: LabelBinarizer's transform and
        the cast take ~8 ms on 60,000 labels, this ~2 ms, which every
        partial_fit call pays.
        """
        binarizer, classes = self._label_binarizer, self.classes_
        fitted_multilabel = binarizer.y_type_.startswith("multilabel")
        if (y.ndim == 2) != fitted_multilabel:
            kinds = ("one label per sample", "multilabel indicator rows")
            raise ValueError(
                f"y holds {kinds[y.ndim == 2]}, but the model's classes (from "
                f"an earlier fit or partial_fit's classes) are for "
                f"{kinds[fitted_multilabel]}; set warm_start=False or call "
                "fit to train on the other kind of target."
            )
        if y.ndim == 2:  # multilabel indicator rows
            unseen = np.setdiff1d(unique_labels(y), classes, assume_unique=True)
            if len(unseen):
                raise _unknown_labels(classes, unique_labels(y))
            return binarizer.transform(y).astype(np.float64)
        index = np.searchsorted(classes, y)
        index.clip(max=len(classes) - 1, out=index)
        if np.any(classes[index] != y):
            raise _unknown_labels(classes, unique_labels(y))
        if binarizer.y_type_ == "binary":  # one column: P(classes_[1])
            return (index == 1).astype(np.float64)[:, None]
        Y = np.zeros((len(y), len(classes)))
        Y[np.arange(len(y)), index] = 1.0
        return Y

    def _loss_name(self):
        if self._label_binarizer.y_type_ == "multiclass":
            return "log_loss"
        return "binary_log_loss"

    def _weights_name(self, given):
        # The product's checks (its sum in the compute dtype) would otherwise
        # blame a sample_weight the user never passed.
        if self.class_weight is None:
            return "sample_weight"
        return "sample_weight x class_weight" if given else "class_weight"

    def _weight_samples(self, sample_weight, Y, incremental):
        # From the current class_weight at every call, partial_fit's too: a
        # stream re-weighted with set_params trains with the new weights (as
        # SGDClassifier does).
        if self.class_weight is None:
            self.__dict__.pop("class_weight_", None)
            return sample_weight
        if self._label_binarizer.y_type_.startswith("multilabel"):
            raise ValueError(
                "class_weight is not supported for multilabel targets; pass "
                "sample_weight instead."
            )
        if self.class_weight == "balanced" and incremental:
            raise ValueError(
                "class_weight='balanced' needs the class frequencies of the "
                "whole training set, which partial_fit does not see. Compute "
                "them once with sklearn.utils.class_weight.compute_class_weight"
                "('balanced', classes=classes, y=y_all) and pass the resulting "
                "dict as class_weight."
            )
        labels = self._decode(Y)
        self.class_weight_ = _checked_class_weight(
            compute_class_weight(self.class_weight, classes=self.classes_, y=labels),
            self.classes_,
        )
        per_sample = self.class_weight_[np.searchsorted(self.classes_, labels)]
        if not per_sample.any():
            raise ValueError(
                "class_weight gives every sample a weight of zero (classes "
                f"{np.unique(labels).tolist()} of y): nothing would be trained."
            )
        return per_sample if sample_weight is None else sample_weight * per_sample

    def _stratify(self, Y):
        if self._label_binarizer.y_type_.startswith("multilabel"):
            return None
        return Y[:, 0] if Y.shape[1] == 1 else Y.argmax(axis=1)

    def _encode_validation_targets(self, y):
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = y.ravel()
        if self._label_binarizer.y_type_.startswith("multilabel"):
            y_type = type_of_target(y)
            if y_type != "multilabel-indicator":
                raise ValueError(
                    "y_val must be a label indicator matrix (0 or 1 per class), "
                    f"as y was; got {y_type} targets of shape {y.shape}."
                )
            # Before LabelBinarizer, whose own error would not name y_val.
            check_validation_outputs(y.shape[1], len(self.classes_))
        elif y.ndim != 1:
            raise ValueError(
                "y_val must hold one label per sample, as y did; got an array "
                f"of shape {y.shape}."
            )
        else:
            unseen = np.setdiff1d(np.unique(y), self.classes_)
            if len(unseen):
                raise ValueError(
                    f"y_val has labels {unseen.tolist()} that "
                    f"are not among the training classes {self.classes_.tolist()}."
                )
        return self._label_binarizer.transform(y).astype(np.float64)

    def _decode_targets(self, Y):
        return self._decode(Y)

    def _decode(self, output):
        """Labels from network outputs (or from encoded targets)."""
        y_type = self._label_binarizer.y_type_
        if y_type == "multiclass":
            return self.classes_[output.argmax(axis=1)]
        if y_type == "binary":
            # The sigmoid output is P(classes_[1]); LabelBinarizer's threshold.
            return self.classes_[(output[:, 0] > 0.5).astype(np.intp)]
        return self._label_binarizer.inverse_transform(output)

    def _score_output(self, output, Y, sample_weight):
        if not np.isfinite(output).all():
            return np.nan
        return accuracy_score(
            self._decode(Y), self._decode(output), sample_weight=sample_weight
        )

    # -- fit ------------------------------------------------------------

    @available_if(lambda est: est._check_solver())
    @with_callbacks
    @_fit_context(prefer_skip_nested_validation=True)
    @_unchanged_on_error
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """Train for one epoch over the given data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative sample weights.
        classes : array-like of shape (n_classes,), default=None
            All classes that will ever appear, required on the first call
            (obtainable as ``np.unique(y_all)``); y need not contain them all.

        Returns
        -------
        self : FFNNClassifier
            The updated estimator.
        """
        if _check_partial_fit_first_call(self, classes):
            self._label_binarizer = LabelBinarizer()
            if type_of_target(y).startswith("multilabel"):
                self._label_binarizer.fit(y)
            else:
                self._label_binarizer.fit(classes)
        return self._fit(X, y, sample_weight=sample_weight, incremental=True)

    # -- predict --------------------------------------------------------

    def predict(self, X):
        """Predict class labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_classes)
            Predicted labels (an indicator matrix for multilabel targets).
        """
        return self._decode(self._forward(X))

    def predict_proba(self, X):
        """Class probabilities.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class, in the order of ``classes_``.
        """
        output = self._forward(X)
        if self.n_outputs_ == 1:
            p = output.ravel()
            return np.column_stack([1 - p, p])
        return output

    def predict_log_proba(self, X):
        """Logarithm of the class probabilities.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            ``log(predict_proba(X))``: -inf where a probability is 0.
        """
        proba = self.predict_proba(X)
        # A probability that rounds to 0 (logits far apart) has log -inf,
        # as scikit-learn's checks expect of log(predict_proba): no warning.
        with np.errstate(divide="ignore"):
            return np.log(proba, out=proba)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


def _unknown_labels(classes, y_classes):
    return ValueError(
        "`y` has classes not in `self.classes_`. "
        f"`self.classes_` has {classes}. 'y' has {y_classes}."
    )


def _checked_class_weight(class_weight, classes):
    """class_weight (one weight per class), refused unless finite and >= 0.

    A negative weight would make training maximize that class's loss, and
    score() would count its samples negatively.
    """
    bad = ~np.isfinite(class_weight) | (class_weight < 0)
    if bad.any():
        given = dict(zip(classes[bad].tolist(), class_weight[bad].tolist()))
        raise ValueError(f"class_weight must be finite and non-negative; got {given}.")
    return class_weight
