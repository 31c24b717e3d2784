"""Saving and loading: fitted state as plain data, checked versions.

skops loads a file without running code from it, building only the types
the user trusts; keeping the optimizer, schedule and history as plain
dicts of arrays and numbers leaves the estimator class the only type to
trust. Pickle goes through the same two methods.
"""

import warnings
from dataclasses import fields

import numpy as np
import sklearn
import sklearn.exceptions

from ._training import History, OptimizerState


class InconsistentVersionWarning(sklearn.exceptions.InconsistentVersionWarning):
    """A saved model is loaded by other skffnn or scikit-learn versions.

    A subclass of scikit-learn's warning, so that a filter set for it (as
    scikit-learn's documentation recommends, to turn it into an error)
    catches this one too; it carries scikit-learn's attributes and skffnn's
    versions beside them.

    Parameters
    ----------
    message : str
        What the warning says.
    estimator_name : str
        The class of the loaded estimator.
    current_sklearn_version, original_sklearn_version : str
        scikit-learn's version now, and the one that saved the model
        ('unknown' if it was not recorded).
    current_skffnn_version, original_skffnn_version : str
        skffnn's, likewise.
    """

    def __init__(
        self,
        message,
        *,
        estimator_name,
        current_sklearn_version,
        original_sklearn_version,
        current_skffnn_version,
        original_skffnn_version,
    ):
        super().__init__(
            estimator_name=estimator_name,
            current_sklearn_version=current_sklearn_version,
            original_sklearn_version=original_sklearn_version,
        )
        self.current_skffnn_version = current_skffnn_version
        self.original_skffnn_version = original_skffnn_version
        self.message = message

    def __str__(self):
        return self.message

    def __reduce__(self):
        # Exceptions pickle as cls(*args), which the keyword-only
        # constructor refuses: copies, and warnings sent back from joblib
        # workers turned into errors, failed.
        return (_version_warning, (self.message, vars(self)))


def _version_warning(message, attributes):
    """An InconsistentVersionWarning rebuilt from its pickled attributes."""
    names = (
        "estimator_name",
        "current_sklearn_version",
        "original_sklearn_version",
        "current_skffnn_version",
        "original_skffnn_version",
    )
    return InconsistentVersionWarning(
        message, **{name: attributes[name] for name in names}
    )


def _plain_state(obj):
    """The public attributes of an optimizer or schedule, but its dtype.

    Scratch buffers (private) and the dtype are rebuilt with the object.
    """
    return {
        name: value
        for name, value in vars(obj).items()
        if not name.startswith("_") and not isinstance(value, np.dtype)
    }


class PlainStateMixin:
    """__getstate__ / __setstate__ for the estimators (see the module)."""

    def __getstate__(self):
        """Fitted state as plain arrays, numbers and strings, with versions.

        Optimizer, schedule, training history and dtype are saved as their
        attribute dicts, so that skops can load a model trusting no type but
        the estimator's own class, and rebuilt by ``__setstate__``.
        """
        from . import __version__

        # A copy: for classes outside sklearn, BaseEstimator returns __dict__.
        state = dict(super().__getstate__())
        state["_skffnn_version"] = __version__
        state["_sklearn_version"] = sklearn.__version__
        if isinstance(state.get("_dtype"), np.dtype):
            state["_dtype"] = state["_dtype"].name
        if isinstance(state.get("_optimizer"), OptimizerState):
            state["_optimizer"] = {
                "rule": _plain_state(state["_optimizer"].rule),
                "schedule": _plain_state(state["_optimizer"].schedule),
            }
        if isinstance(state.get("_history"), History):
            history = state["_history"]
            state["_history"] = {
                f.name: getattr(history, f.name) for f in fields(history)
            }
        return state

    def __setstate__(self, state):
        from . import __version__

        state = dict(state)
        saved_with = (
            state.pop("_skffnn_version", None),
            state.pop("_sklearn_version", None),
        )
        running = (__version__, sklearn.__version__)
        if saved_with != running:
            saved_with = tuple(version or "unknown" for version in saved_with)
            message = (
                f"This {type(self).__name__} was saved with skffnn "
                f"{saved_with[0]} and scikit-learn {saved_with[1]}, and is "
                f"loaded by skffnn {running[0]} and scikit-learn {running[1]}. "
                "Its fitted state may not be valid in this version: refit it, "
                "or load it with the versions that saved it."
            )
            warnings.warn(
                InconsistentVersionWarning(
                    message,
                    estimator_name=type(self).__name__,
                    current_sklearn_version=running[1],
                    original_sklearn_version=saved_with[1],
                    current_skffnn_version=running[0],
                    original_skffnn_version=saved_with[0],
                )
            )
        self.__dict__.update(state)
        if isinstance(self.__dict__.get("_dtype"), str):
            self._dtype = np.dtype(self._dtype)
        if isinstance(self.__dict__.get("_history"), dict):
            self._history = History(**self._history)
        if isinstance(self.__dict__.get("_optimizer"), dict):
            self._optimizer = self._rebuild_optimizer(self._optimizer)

    def _rebuild_optimizer(self, saved):
        # The state vectors give the size: a copy taken during a first fit
        # (as sklearn's callbacks take) has no coefs_ yet.
        n = next(v.size for v in saved["rule"].values() if isinstance(v, np.ndarray))
        rule, schedule = self._make_optimizer(n, self._dtype)
        vars(rule).update(saved["rule"])
        fresh = vars(schedule)
        vars(schedule).update(
            {k: v for k, v in saved["schedule"].items() if k in fresh}
        )
        if set(saved["schedule"]) - set(fresh):
            # Saved under another schedule: adam followed 'invscaling' or
            # 'adaptive' before they became sgd's only, as in MLP. The rule
            # holds that schedule's decayed rate; go on at the current one's.
            schedule.resume(rule)
        return OptimizerState(rule, schedule)
