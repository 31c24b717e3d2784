"""Keep SciPy's own BLAS threads from competing with NumPy's.

The wheels of NumPy and SciPy each bundle an OpenBLAS with its own thread
pool. L-BFGS-B runs SciPy's BLAS between the function evaluations, and
OpenBLAS threads keep spinning for a while after each call: the next GEMM
of the network, on NumPy's pool, then finds every core busy and runs up to
ten times slower (on digits the first GEMM of each evaluation took 2-4 ms
instead of 0.3, and a whole lbfgs fit ~200 ms instead of ~60). L-BFGS-B's
own vector operations gain nothing from threads, so SciPy's pool is
limited to one thread while it runs.

Where SciPy and NumPy share one BLAS library (conda, system packages),
there is no second pool and nothing is limited.
"""

import os
import threading
from contextlib import contextmanager

_SCIPY_ONLY = None
# Fits running L-BFGS-B in several threads share SciPy's pool: the first
# one in limits it, the last one out restores what the first one found.
_LOCK = threading.Lock()
_USERS = 0
_SAVED = None


@contextmanager
def scipy_blas_single_threaded():
    """Limit the BLAS libraries that only SciPy uses to one thread, meanwhile.

    Does nothing when SciPy has no BLAS of its own.
    """
    global _USERS, _SAVED
    controllers = _scipy_only_blas()
    if not controllers:
        yield
        return
    with _LOCK:
        if _USERS == 0:
            _SAVED = [lib.num_threads for lib in controllers.lib_controllers]
            for lib in controllers.lib_controllers:
                lib.set_num_threads(1)
        _USERS += 1
    try:
        yield
    finally:
        with _LOCK:
            _USERS -= 1
            if _USERS == 0:
                for lib, n in zip(controllers.lib_controllers, _SAVED):
                    lib.set_num_threads(n)


def _scipy_only_blas():
    """threadpoolctl's controllers of the BLAS libraries bundled with SciPy.

    Found once per process: both libraries are loaded when skffnn is
    imported. threadpoolctl is a dependency of scikit-learn. False when
    there is none (SciPy uses NumPy's library, or another layout).
    """
    global _SCIPY_ONLY
    if _SCIPY_ONLY is None:
        import scipy
        from threadpoolctl import ThreadpoolController

        package = os.path.dirname(os.path.realpath(scipy.__file__))
        # Wheels put the bundled libraries in "scipy.libs" beside the package.
        homes = (package + os.sep, package + ".libs" + os.sep)
        controller = ThreadpoolController().select(user_api="blas")
        paths = [
            lib.filepath
            for lib in controller.lib_controllers
            if os.path.realpath(lib.filepath).startswith(homes)
        ]
        _SCIPY_ONLY = controller.select(filepath=paths) if paths else False
    return _SCIPY_ONLY
