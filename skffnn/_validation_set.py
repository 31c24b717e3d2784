"""The held-out data of a fit: a validation set given, or a split for early stopping."""

import math

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import _check_sample_weight, validate_data

from ._checks import _cast, _cast_weights


def validation_arguments(validation_data, X_val, y_val, sample_weight_val):
    """fit's validation set as (X_val, y_val, sample_weight_val), or None.

    It comes either as ``validation_data=(X_val, y_val)`` or, in
    scikit-learn's spelling (HistGradientBoosting), as the arguments
    ``X_val`` and ``y_val``, which a Pipeline transforms like X when built
    with ``transform_input=["X_val"]``. Only the arguments are checked
    here; the data is checked like X and y by the estimator.
    """
    if validation_data is not None:
        if X_val is not None or y_val is not None:
            raise ValueError(
                "Pass the validation set either as validation_data or as X_val "
                "and y_val, not both."
            )
        # A tuple or list, not any iterable of two: an array of two rows
        # would unpack into an X_val and a y_val of one row each.
        if not isinstance(validation_data, tuple | list) or len(validation_data) != 2:
            raise TypeError(
                "validation_data must be a pair (X_val, y_val), a tuple or list, got "
                f"{_describe(validation_data)}."
            )
        X_val, y_val = validation_data
    elif X_val is None and y_val is None:
        if sample_weight_val is not None:
            raise ValueError(
                "sample_weight_val is given without a validation set: pass "
                "X_val and y_val too."
            )
        return None
    elif y_val is None:
        raise ValueError("X_val is given, but y_val is not.")
    elif X_val is None:
        raise ValueError("y_val is given, but X_val is not.")
    return X_val, y_val, sample_weight_val


def _describe(value):
    """A type name, with the shape of an array or the length of a sequence."""
    name = type(value).__name__
    if hasattr(value, "shape"):
        return f"{name} of shape {tuple(value.shape)}"
    if isinstance(value, tuple | list):
        return f"{name} of length {len(value)}"
    return name


def check_validation_outputs(n_val, n):
    """Refuse a y_val with n_val outputs (or labels) per sample where y has n."""
    if n_val != n:
        raise ValueError(f"y_val has {n_val} outputs per sample but y has {n}.")


def check_validation_set(estimator, X_val, y_val, sample_weight_val, Y):
    """(X_val, Y_val, sample_weight_val) checked like X, y and sample_weight.

    ``estimator`` checks X_val against its fitted width and feature names,
    and encodes y_val (``_encode_validation_targets``). Y is the encoded
    training target, whose dtype and number of outputs the validation set
    must share. The weights (None when not given) weigh the validation
    score and loss; class_weight does not apply to them, as in
    scikit-learn's HistGradientBoosting.
    """
    try:
        X_val = validate_data(
            estimator,
            X_val,
            accept_sparse=["csr", "csc"],
            dtype=(np.float64, np.float32),
            reset=False,
        )
    except ValueError as error:  # its messages say "X"
        raise ValueError(f"X_val: {error}") from None
    Y_val = estimator._encode_validation_targets(y_val)
    check_validation_outputs(Y_val.shape[1], Y.shape[1])
    if Y_val.shape[0] != X_val.shape[0]:
        raise ValueError(
            f"The validation set has {X_val.shape[0]} samples in X_val but "
            f"{Y_val.shape[0]} in y_val."
        )
    if sample_weight_val is not None:
        try:
            sample_weight_val = _check_sample_weight(
                sample_weight_val, X_val, dtype=np.float64, ensure_non_negative=True
            )
        except ValueError as error:  # its messages say "sample_weight"
            raise ValueError(f"sample_weight_val: {error}") from None
        sample_weight_val = _cast_weights(
            sample_weight_val, Y.dtype, "sample_weight_val"
        )
    X_val, Y_val = _cast(X_val, Y.dtype, "X_val"), _cast(Y_val, Y.dtype, "y_val")
    return X_val, Y_val, sample_weight_val


def split_validation(Y, sample_weight, random_state, fraction, stratify):
    """Hold out a fraction of the rows (at least 2) for early stopping.

    ``fraction`` is the estimator's validation_fraction. The split is
    stratified by the labels ``stratify`` (single-label classification,
    else None) whenever every class has the 2 members that needs; otherwise
    it is a plain shuffled split. It returns row indices (training rows in
    scikit-learn's shuffled order), so X itself is never copied.
    """
    if fraction == 0:
        # Allowed, as in MLP, for fits that hold nothing out.
        raise ValueError(
            "early_stopping=True holds out validation_fraction of the "
            "training data, but validation_fraction=0.0 holds out nothing. "
            "Set validation_fraction in (0, 1), pass a validation set "
            "(X_val and y_val) or set early_stopping=False."
        )
    n = Y.shape[0]
    n_val = max(math.ceil(fraction * n), 2)
    if n - n_val < 1:
        raise ValueError(
            "early_stopping needs at least 3 samples (2 held out for "
            f"validation, 1 to train on), got n_samples={n}. Set "
            "early_stopping=False or provide more data."
        )
    if stratify is not None:
        counts = np.unique(stratify, return_counts=True)[1]
        if counts.min() < 2 or min(n_val, n - n_val) < len(counts):
            stratify = None
    train_rows, val_rows = train_test_split(
        np.arange(n), random_state=random_state, test_size=n_val, stratify=stratify
    )
    if sample_weight is not None and not (
        sample_weight[train_rows].any() and sample_weight[val_rows].any()
    ):
        raise ValueError(
            "early_stopping split the samples so that the training or the "
            "validation part has only zero sample weights. Give more samples "
            "a non-zero weight, or set early_stopping=False."
        )
    return train_rows, val_rows
