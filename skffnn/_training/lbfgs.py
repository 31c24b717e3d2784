"""Full-batch training with SciPy's L-BFGS-B, driven directly on theta."""

import warnings

import numpy as np
import scipy.optimize

from .._network import Buffers, loss_and_gradient
from .blas_pools import scipy_blas_single_threaded
from .interrupts import sigint_between_steps


class _Interrupted(Exception):
    """Raised from the loss function to leave SciPy's loop on Ctrl+C."""


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
        With ``interrupted=True`` when Ctrl+C stopped it: Ctrl+C takes
        effect after the loss evaluation under way, and theta is then the
        point of the lowest loss evaluated so far (a warning says so).
    """
    buffers = Buffers(network, params.layer_sizes, X.shape[0], params.dtype)
    grad = params.like()
    best = {"loss": np.inf, "theta": params.theta.astype(np.float64)}

    def fun(theta):
        if interrupted:
            raise _Interrupted
        params.theta[...] = theta
        loss = loss_and_gradient(
            params, grad, network, X, Y, sample_weight, alpha, buffers
        )
        if loss < best["loss"]:  # what an interrupted fit keeps
            best["loss"], best["theta"] = loss, theta.copy()
        return loss, grad.theta.astype(np.float64)

    iteration = 0

    def count(intermediate_result):
        nonlocal iteration
        iteration += 1
        if verbose:
            print(f"Iteration {iteration}, loss = {intermediate_result.fun:.8f}")

    with scipy_blas_single_threaded(), sigint_between_steps() as interrupted:
        try:
            result = scipy.optimize.minimize(
                fun,
                best["theta"],
                method="L-BFGS-B",
                jac=True,
                callback=count,
                options={"maxfun": max_fun, "maxiter": max_iter, "gtol": tol},
            )
            if interrupted:  # pressed during the last evaluation: honoured too
                raise _Interrupted
        except (_Interrupted, KeyboardInterrupt):
            if interrupted.at_once or not np.isfinite(best["loss"]):
                raise KeyboardInterrupt from None  # wanted out, or nothing to keep
            result = scipy.optimize.OptimizeResult(
                x=best["theta"],
                fun=best["loss"],
                nit=iteration,
                status=-1,
                message="interrupted by the user",
                interrupted=True,
            )
            warnings.warn(
                f"Training interrupted by user after {iteration} L-BFGS "
                "iteration(s); the model keeps the weights of the lowest loss "
                "reached so far. Pressing Ctrl+C twice stops at once, leaving "
                "the estimator as the call found it."
            )
    params.theta[...] = result.x
    return result
