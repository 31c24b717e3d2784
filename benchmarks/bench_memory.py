"""Peak memory of a fit on the 60,000 x 784 data: skffnn against MLPClassifier.

Each contender runs in a fresh ``python -c`` child process, one after the
other, so that no allocation of one can hide in the high-water mark of
another. A child imports both libraries, builds the synthetic MNIST-shaped
data (deterministic seed), resets its peak-RSS mark (``/proc/self/clear_refs``)
and reads its RSS as the baseline, fits for 2 epochs (hidden (256, 128),
default settings otherwise) and reads the peak RSS of the fit (VmHWM). The
table gives the baseline, the peak, the growth during fit, that growth in
units of the size of X, the ratio of peaks skffnn / MLP, and what the
process still holds after fit beyond its baseline, split into anonymous
memory and pages of mapped files (``RssAnon`` / ``RssFile``); the last
column is the process's whole-life ``ru_maxrss``. File pages (a shared
library such as Numba's LLVM) are counted in every process's RSS but
exist once in memory for all processes mapping them, and the kernel can
drop them and read them again; anonymous memory is each process's own.
Where the peak cannot be
reset, ``ru_maxrss`` before and after fit are used instead (the data
generation then counts in the baseline peak, and a small growth may hide).

Usage::

    python benchmarks/bench_memory.py                 # full run
    python benchmarks/bench_memory.py --n 10000       # smoke run
"""

import argparse
import json
import os
import subprocess
import sys

from _common import format_table, print_header

HIDDEN = (256, 128)
BENCH_DIR = os.path.dirname(os.path.abspath(__file__))

# Run in the child: the same imports for every contender, so that the
# baseline differs only by the data's dtype.
CHILD = """
import json, resource, sys, warnings
sys.path.insert(0, {bench_dir!r})
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from skffnn import FFNNClassifier
from _common import mnist_like

def status_mb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024  # kB
    raise KeyError(field)

def release_free_heap():
    # glibc keeps freed blocks (the data generation's temporaries) resident;
    # returning them to the OS makes the baseline the data plus the imports.
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass

def reset_peak():
    # Writing 5 to clear_refs resets VmHWM (Linux >= 4.0), so the peak read
    # after fit is the peak during fit, not during data generation.
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False

def maxrss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB

X, y = mnist_like({n}, seed=0, dtype=np.{input_dtype})
estimator = {estimator}
release_free_heap()
exact = reset_peak()
before = status_mb("VmRSS") if exact else maxrss_mb()
anon_before, file_before = status_mb("RssAnon"), status_mb("RssFile")
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    estimator.fit(X, y)
after = status_mb("VmHWM") if exact else maxrss_mb()
print(json.dumps({{
    "before": before, "after": after, "maxrss": maxrss_mb(),
    "x_mb": X.nbytes / 2**20, "exact": exact,
    "anon": status_mb("RssAnon") - anon_before,
    "file": status_mb("RssFile") - file_before,
}}))
"""

DEFAULTS = "FFNNClassifier({hidden}, max_iter=2, random_state=0)"
# name -> (estimator, environment variables of its child)
CONTENDERS = {
    "skffnn (defaults)": (DEFAULTS, {}),
    "skffnn dtype=float64": (
        "FFNNClassifier({hidden}, max_iter=2, random_state=0, dtype='float64')",
        {},
    ),
    "MLP (defaults)": ("MLPClassifier({hidden}, max_iter=2, random_state=0)", {}),
}
# With Numba installed, the defaults train with its kernels, whose import
# (LLVM) is part of the fit's peak; this row shows the fit without them.
NUMPY_RULES = ("skffnn (defaults), SKFFNN_NUMBA=0", (DEFAULTS, {"SKFFNN_NUMBA": "0"}))


def numba_kernels_on():
    """Whether the default children train with the Numba kernels.

    Asked of skffnn itself, so that SKFFNN_NUMBA=0 or a Numba that fails to
    load gives no row identical to the defaults. Importing Numba here does
    not touch the children's memory: each runs in its own process.
    """
    from skffnn._training import kernels

    return kernels.compiled() is not None


def measure(estimator, n, input_dtype, env):
    """Run one child; return its peak RSS before and after fit (MB) and X's MB."""
    code = CHILD.format(
        bench_dir=BENCH_DIR,
        n=n,
        input_dtype=input_dtype,
        estimator=estimator.format(hidden=HIDDEN),
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def rows_for_input(n, input_dtype):
    """Table rows of every contender on data of one dtype."""
    contenders = dict(CONTENDERS)
    if numba_kernels_on():
        contenders[NUMPY_RULES[0]] = NUMPY_RULES[1]
    results = {
        name: measure(estimator, n, input_dtype, env)
        for name, (estimator, env) in contenders.items()
        if not (input_dtype == "float32" and "float64" in name)
    }
    mlp_peak = results["MLP (defaults)"]["after"]
    rows = []
    for name, r in results.items():
        growth = r["after"] - r["before"]
        ratio = "-" if name.startswith("MLP") else f"{r['after'] / mlp_peak:.2f}"
        rows.append(
            [
                name,
                input_dtype,
                f"{r['x_mb']:.0f}",
                f"{r['before']:.0f}",
                f"{r['after']:.0f}",
                f"{growth:.0f}",
                f"{growth / r['x_mb']:.2f}",
                ratio,
                f"{r['anon']:.0f} / {r['file']:.0f}",
                f"{r['maxrss']:.0f}" + ("" if r["exact"] else " *"),
            ]
        )
    return rows


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=60_000, help="training rows")
    parser.add_argument(
        "--inputs",
        type=lambda s: s.split(","),
        default=["float64", "float32"],
        help="dtypes of X to run, comma-separated",
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    print_header("skffnn peak memory of fit")
    print(
        f"Fit of 2 epochs on {args.n} x 784 synthetic MNIST-like rows, hidden "
        f"{HIDDEN}, each contender in its own process. Sizes in MiB"
        "; growth = peak during fit - RSS before fit (* : ru_maxrss fallback); "
        "kept anon / file = RSS still held after fit beyond the RSS before it, "
        "split into anonymous memory and pages of mapped files (shared "
        "libraries such as Numba's LLVM, which processes share and the kernel "
        "can drop and read again)."
    )
    print()
    rows = []
    for input_dtype in args.inputs:
        rows += rows_for_input(args.n, input_dtype)
    headers = ["contender", "X dtype", "X MiB", "RSS before", "peak in fit"]
    headers += ["growth", "growth / X", "peak vs MLP", "kept anon / file"]
    headers += ["ru_maxrss"]
    print(format_table(headers, rows))


if __name__ == "__main__":
    main()
