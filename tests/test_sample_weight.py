"""Integer sample weights are equivalent to repeated rows.

scikit-learn's check_sample_weight_equivalence_* assert this at rtol=1e-7;
they pass for float64 training. In float32 every gradient carries rounding
noise of about 1e-7 relative that differs between the weighted and the
repeated data, so the equivalence holds to float32 precision: asserted here.
"""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from skffnn import FFNNClassifier, FFNNRegressor


def _weighted_and_repeated(cls, params):
    rng = np.random.RandomState(0)
    X = rng.rand(15, 30)
    y = rng.randint(0, 3, size=15)
    if cls is FFNNRegressor:
        y = y + rng.rand(15)
    sw = rng.randint(0, 5, size=15)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        weighted = cls(random_state=0, **params).fit(X, y, sample_weight=sw)
        repeated = cls(random_state=0, **params).fit(X.repeat(sw, axis=0), y.repeat(sw))
    method = "predict_proba" if cls is FFNNClassifier else "predict"
    return getattr(weighted, method)(X), getattr(repeated, method)(X)


@pytest.mark.parametrize("cls", [FFNNClassifier, FFNNRegressor])
@pytest.mark.parametrize(
    "params, rtol",
    [
        (dict(hidden_layer_sizes=(32,), learning_rate_init=0.01), 1e-7),
        (dict(hidden_layer_sizes=(10, 5), solver="lbfgs"), 1e-7),
        (dict(hidden_layer_sizes=(16,), solver="sgd", dtype="float64"), 1e-7),
        (
            dict(hidden_layer_sizes=(32,), learning_rate_init=0.01, dtype="float32"),
            1e-4,
        ),
        (dict(hidden_layer_sizes=(16,), solver="sgd", dtype="float32"), 1e-4),
    ],
)
def test_integer_weights_equal_repeated_rows(cls, params, rtol):
    weighted, repeated = _weighted_and_repeated(cls, params)
    np.testing.assert_allclose(weighted, repeated, rtol=rtol, atol=1e-9)
