"""Check backpropagation against finite differences on your own network.

For anyone learning how backprop works, and for anyone adding an activation
or a loss: the gradient that training follows should agree with the slope
of the loss measured by nudging each weight.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.base import clone
from sklearn.utils import check_random_state
from sklearn.utils.validation import _check_sample_weight

from ._base import BaseFFNN
from ._checks import _check_finite
from ._network import Buffers, Parameters, loss_and_gradient


def check_gradients(
    estimator, X, y, *, sample_weight=None, n_entries=20, step=1e-6, random_state=0
):
    """Compare backpropagation with central finite differences.

    The network of ``estimator`` (its layer sizes, activations, loss and
    alpha; its fitted weights if it is fitted, else the initial weights
    its ``random_state`` and ``weight_init`` give) is evaluated in float64
    on the full batch (X, y). For each weight matrix W^(l) and bias b^(l),
    up to ``n_entries`` entries picked at random are nudged by +-step, and
    the slope of the loss is compared with the backpropagated gradient.

    Parameters
    ----------
    estimator : FFNNClassifier or FFNNRegressor
        Not modified.
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), default=None
    n_entries : int, default=20
        Entries checked per weight matrix and per bias vector.
    step : float, default=1e-6
        Finite-difference step.
    random_state : int, RandomState instance or None, default=0
        Picks the entries.

    Returns
    -------
    errors : dict of str to float
        ``errors["W1"]``, ``errors["b1"]``, ...: the largest
        |backprop - finite difference| over the checked entries of that
        block, divided by the largest |backprop| entry of the block. A
        correct backpropagation gives about 1e-8; above 1e-6 something is
        wrong (or a checked z sits on a kink of relu and its relatives).

    Raises
    ------
    TypeError
        If estimator is not an FFNNClassifier or FFNNRegressor, or
        n_entries is not an integer.
    ValueError
        If n_entries < 1, step is not a positive finite number, sample
        weights are negative, or a fitted network's layer sizes differ
        from those X and y give.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skffnn import FFNNClassifier, check_gradients
    >>> X, y = load_iris(return_X_y=True)
    >>> errors = check_gradients(FFNNClassifier((5, 4), activation="tanh"), X, y)
    >>> max(errors.values()) < 1e-6
    True
    """
    _check_arguments(estimator, n_entries, step)
    model = clone(estimator).set_params(dtype="float64")
    # As fit does: an unknown activation or loss was a bare KeyError.
    model._validate_params()
    X, Y = model._validate_input(X, y, incremental=False, reset=True)
    _check_finite(X, np.float64, "X", type(model).__name__)
    X, Y = X.astype(np.float64), Y.astype(np.float64)
    if sample_weight is not None:
        sample_weight = _check_sample_weight(
            sample_weight, X, dtype=np.float64, ensure_non_negative=True
        )
    hidden = model._hidden_sizes()
    layer_sizes = [X.shape[1], *hidden, Y.shape[1]]
    if hasattr(estimator, "coefs_"):
        params = Parameters.from_layers(
            estimator.coefs_, estimator.intercepts_, np.float64
        )
        if params.layer_sizes != tuple(layer_sizes):
            # Else a matmul error, or outputs broadcast against Y silently.
            raise ValueError(
                f"The fitted network has layer sizes {list(params.layer_sizes)}, "
                f"but X and y give {layer_sizes}: check the gradients on data "
                "of the shape (features, classes or outputs) it was fitted on."
            )
    else:
        seed = check_random_state(model.random_state)
        params = model._initial_parameters(layer_sizes, np.float64, seed)
    network = model._network(model._loss_name(), len(hidden))

    buffers = Buffers(network, params.layer_sizes, X.shape[0], np.float64)
    grad = params.like()

    def loss(into=None):
        g = into if into is not None else params.like()
        return loss_and_gradient(
            params, g, network, X, Y, sample_weight, model.alpha, buffers
        )

    loss(grad)
    rng = check_random_state(random_state)
    errors = {}
    for l in range(1, params.L + 1):
        for name, block, grad_block in (
            (f"W{l}", params.W[l], grad.W[l]),
            (f"b{l}", params.b[l], grad.b[l]),
        ):
            flat, flat_grad = block.reshape(-1), grad_block.reshape(-1)
            picked = rng.choice(flat.size, min(n_entries, flat.size), replace=False)
            worst = 0.0
            for i in picked:
                saved = flat[i]
                flat[i] = saved + step
                up = loss()
                flat[i] = saved - step
                down = loss()
                flat[i] = saved
                worst = max(worst, abs((up - down) / (2 * step) - flat_grad[i]))
            scale = np.abs(flat_grad).max()
            errors[name] = float(worst / scale if scale > 0 else worst)
    return errors


def _check_arguments(estimator, n_entries, step):
    if not isinstance(estimator, BaseFFNN):
        raise TypeError(
            "check_gradients takes an FFNNClassifier or FFNNRegressor, got "
            f"{type(estimator).__name__}."
        )
    if isinstance(n_entries, bool) or not isinstance(n_entries, Integral):
        raise TypeError(f"n_entries must be an integer, got {n_entries!r}.")
    if n_entries < 1:  # 0 would check nothing and report errors of 0
        raise ValueError(f"n_entries must be at least 1, got {n_entries}.")
    if isinstance(step, bool) or not (
        isinstance(step, Real) and np.isfinite(step) and step > 0
    ):
        raise ValueError(f"step must be a positive finite number, got {step!r}.")
