"""A fitted network as a transformer: a hidden layer's activations as features."""

import numpy as np
from sklearn.utils import TransformerTags
from sklearn.utils._set_output import ADAPTERS_MANAGER, _get_output_config
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted


class HiddenFeaturesMixin:
    """transform, fit_transform, set_output and the names of a hidden layer's units.

    For BaseFFNN, whose ``_forward(X, layer)``, ``_hidden_depth``, ``fit``
    and ``coefs_`` it uses.
    """

    def transform(self, X, layer=-1):
        """Activations of a hidden layer: the features the network learned.

        Lets a fitted network serve as a feature extractor, for example in
        front of another estimator in a Pipeline.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.
        layer : int, default=-1
            Hidden layer l = 1 ... L-1 (the lecture's numbering); negative
            values count back from the last hidden layer (-1).

        Returns
        -------
        a : ndarray or DataFrame of shape (n_samples, n_l)
            a^(l) = g(z^(l)) for each sample, in float64; a DataFrame with
            the columns of :meth:`get_feature_names_out` when
            :meth:`set_output` (or scikit-learn's ``transform_output``
            setting) asks for one.
        """
        output = self._forward(X, layer)
        container = _get_output_config("transform", self)["dense"]
        if container == "default":
            return output
        return ADAPTERS_MANAGER.adapters[container].create_container(
            output, X, columns=self.get_feature_names_out(layer=layer)
        )

    def get_feature_names_out(self, input_features=None, layer=-1):
        """Names of the units of a hidden layer, as :meth:`transform` outputs them.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Only checked against ``feature_names_in_`` (each unit depends
            on every input).
        layer : int, default=-1
            Hidden layer, as in :meth:`transform`.

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``"<estimator>_layer<l>_<i>"`` for unit i of hidden layer l, for
            example ``ffnnclassifier_layer2_0``.
        """
        check_is_fitted(self)
        _check_feature_names_in(self, input_features, generate_names=False)
        depth = self._hidden_depth(layer)
        prefix = f"{type(self).__name__.lower()}_layer{depth}"
        n_units = self.coefs_[depth - 1].shape[1]
        return np.asarray([f"{prefix}_{i}" for i in range(n_units)], dtype=object)

    def set_output(self, *, transform=None):
        """Choose the container :meth:`transform` and :meth:`fit_transform` return.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None, default=None
            "default": a NumPy array; "pandas" / "polars": a DataFrame
            (with X's index when X is a pandas DataFrame); None: unchanged.

        Returns
        -------
        self : estimator
        """
        if transform is not None:
            # The attribute scikit-learn's own estimators use: clone() and
            # the transform_output setting read it.
            self._sklearn_output_config = {
                **getattr(self, "_sklearn_output_config", {}),
                "transform": transform,
            }
        return self

    def fit_transform(self, X, y, sample_weight=None, **fit_params):
        """Fit the network, then return the activations of its last hidden layer.

        Takes no ``layer``: a Pipeline calls ``fit_transform`` when it fits
        and ``transform`` (with its default ``layer=-1``) when it predicts,
        so both must return the same layer's features.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.
        **fit_params : dict
            The validation set (``validation_data``, or ``X_val``,
            ``y_val`` and ``sample_weight_val``), passed on to :meth:`fit`.
            A Pipeline routes the arguments requested with
            ``set_fit_request`` here when the network is one of its
            intermediate steps.

        Returns
        -------
        a : ndarray or DataFrame of shape (n_samples, n_{L-1})
            ``fit(X, y, ...).transform(X)``: a DataFrame when
            :meth:`set_output` asks for one.
        """
        if "layer" in fit_params:
            # It once trained a Pipeline's next step on one layer and then
            # predicted from another, without an error when both had the
            # same width.
            raise TypeError(
                "fit_transform takes no layer: a Pipeline would train the next "
                "step on that layer and predict from transform's default "
                "(the last hidden layer). Call fit, then transform(X, layer=...)."
            )
        self.fit(X, y, sample_weight=sample_weight, **fit_params)
        return self.transform(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # transform() returns hidden-layer features, always in float64.
        tags.transformer_tags = TransformerTags(preserves_dtype=["float64"])
        return tags
