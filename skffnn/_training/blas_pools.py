"""Keep SciPy's own BLAS threads from competing with NumPy's.

The wheels of NumPy and SciPy each bundle an OpenBLAS with its own thread
pool. L-BFGS-B runs SciPy's BLAS between the function evaluations, and
OpenBLAS threads keep spinning for a while after each call: the next GEMM
of the network, on NumPy's pool, then finds every core busy and runs up to
ten times slower (digits, 15 iterations: 135 ms of which 4 first GEMMs took
2-4 ms each instead of 0.3). L-BFGS-B's own vector operations gain nothing
from threads, so SciPy's pool is limited to one thread while it runs.

Where SciPy and NumPy share one BLAS library (conda, system packages),
there is no second pool and nothing is limited.
"""

import os
from contextlib import nullcontext

_SCIPY_ONLY = None


def scipy_blas_single_threaded():
    """A context limiting the BLAS libraries that only SciPy uses to 1 thread.

    Returns a no-op context when SciPy has no BLAS of its own.
    """
    controllers = _scipy_only_blas()
    return controllers.limit(limits=1) if controllers else nullcontext()


def _scipy_only_blas():
    """threadpoolctl's controllers of the BLAS libraries bundled with SciPy.

    Found once per process: both libraries are loaded when skffnn is
    imported. threadpoolctl is a dependency of scikit-learn.
    """
    global _SCIPY_ONLY
    if _SCIPY_ONLY is None:
        import scipy
        from threadpoolctl import ThreadpoolController

        package = os.path.dirname(os.path.abspath(scipy.__file__))
        # Wheels put the bundled libraries in "scipy.libs" beside the package.
        homes = (package + os.sep, package + ".libs" + os.sep)
        controller = ThreadpoolController().select(user_api="blas")
        paths = [
            lib.filepath
            for lib in controller.lib_controllers
            if os.path.abspath(lib.filepath).startswith(homes)
        ]
        _SCIPY_ONLY = controller.select(filepath=paths) if paths else False
    return _SCIPY_ONLY
