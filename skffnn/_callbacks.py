"""scikit-learn's callbacks: one fit task per epoch of the stochastic solvers.

The callback API exists from scikit-learn 1.9 on; with older versions the
estimators work without it.
"""

import numpy as np

from ._training import EpochHooks

try:  # scikit-learn >= 1.9
    from sklearn.callback import CallbackSupportMixin, with_callbacks
except ImportError:  # older versions: the estimators work without callbacks

    class CallbackSupportMixin:
        """Stand-in when scikit-learn has no callback API."""

    def with_callbacks(method):
        return method


class EpochCallbacksMixin(CallbackSupportMixin):
    """Runs the callbacks given to an estimator around each training epoch."""

    def _epoch_hooks(self, X, Y):
        """Begin/end hooks that run scikit-learn's callbacks, one task per epoch.

        Callbacks see the training data with its original labels, and a
        copy of the estimator holding each epoch's weights.
        """
        if not hasattr(self, "_init_callback_context") or not (
            getattr(self, "_skl_callbacks", None)
            or hasattr(self, "_parent_callback_ctx")
        ):
            # No callback to serve: spare every epoch the task bookkeeping.
            return None
        root = self._init_callback_context(max_subtasks=self.max_iter)
        y = self._targets_for_callbacks(Y)
        root.call_on_fit_task_begin(estimator=self, X=X, y=y)
        epoch = {}

        def begin():
            epoch["context"] = root.subcontext(task_name="epoch")
            epoch["context"].call_on_fit_task_begin(estimator=self, X=X, y=y)

        def fitted(params):
            return lambda: {
                "coefs_": [W.astype(np.float64) for W in params.W[1:]],
                "intercepts_": [b.astype(np.float64) for b in params.b[1:]],
            }

        def end(params):
            return epoch["context"].call_on_fit_task_end(
                estimator=self, X=X, y=y, reconstruction_attributes=fitted(params)
            )

        def finish(params):
            root.call_on_fit_task_end(
                estimator=self, X=X, y=y, reconstruction_attributes=fitted(params)
            )

        return EpochHooks(begin, end, finish)

    def _targets_for_callbacks(self, Y):
        """y as the user gave it, from the encoded targets (lazily)."""
        return lambda: self._decode_targets(Y)
