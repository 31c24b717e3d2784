"""Full-batch training with SciPy's L-BFGS-B, driven directly on theta."""

import numpy as np
import scipy.optimize

from .._network import Buffers, loss_and_gradient
from .blas_pools import scipy_blas_single_threaded


def run_lbfgs(
    params, network, X, Y, sample_weight, *, alpha, max_iter, max_fun, tol, verbose
):
    """Minimize the full-batch loss over ``params.theta`` (in place).

    L-BFGS-B iterates in float64; each iterate is cast into ``params.theta``
    (the dtype of X) and the gradient cast back.

    Parameters
    ----------
    params : Parameters
    network : Network
    X : {ndarray, sparse matrix} of shape (n, n_0)
    Y : ndarray of shape (n, n_L)
    sample_weight : ndarray of shape (n,) or None
    alpha : float
    max_iter : int
        Iterations at most (``maxiter``).
    max_fun : int
        Loss evaluations at most (``maxfun``).
    tol : float
        Projected-gradient tolerance (``gtol``).
    verbose : bool
        Print the loss after each iteration.

    Returns
    -------
    result : scipy.optimize.OptimizeResult
    """
    buffers = Buffers(network, params.layer_sizes, X.shape[0], params.dtype)
    grad = params.like()

    def fun(theta):
        params.theta[...] = theta
        loss = loss_and_gradient(
            params, grad, network, X, Y, sample_weight, alpha, buffers
        )
        return loss, grad.theta.astype(np.float64)

    iteration = 0

    def report(intermediate_result):
        nonlocal iteration
        iteration += 1
        print(f"Iteration {iteration}, loss = {intermediate_result.fun:.8f}")

    with scipy_blas_single_threaded():
        result = scipy.optimize.minimize(
            fun,
            params.theta.astype(np.float64),
            method="L-BFGS-B",
            jac=True,
            callback=report if verbose else None,
            options={"maxfun": max_fun, "maxiter": max_iter, "gtol": tol},
        )
    params.theta[...] = result.x
    return result
