"""What the benchmark scripts share: data, FLOP counts, timing, machine, tables.

The scripts import this module as ``_common`` (they are run as
``python benchmarks/<script>.py``, which puts this folder on ``sys.path``).
It depends only on the project's own dependencies (numpy, scikit-learn and
threadpoolctl, which scikit-learn requires).
"""

import os
import platform
import shlex
import statistics
import sys
import time
from contextlib import nullcontext
from importlib import metadata

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

# -- data ---------------------------------------------------------------------

MNIST_SHAPE = (60_000, 784)
N_CLASSES = 10


def mnist_like(n=MNIST_SHAPE[0], seed=0, dtype=np.float64, chunk=2_000):
    """Synthetic data shaped like MNIST: pixels in [0, 1], 784 features, 10 classes.

    Each class has a few sparse "stroke" prototypes; a sample is one of its
    class's prototypes plus noise, clipped to [0, 1] (so, as in MNIST, many
    pixels are exactly 0). Rows are written chunk by chunk into the result,
    so building the data never holds more than one chunk of temporaries:
    the memory benchmark reads the peak RSS before fit as its baseline.

    Parameters
    ----------
    n : int
        Number of rows.
    seed : int
        The same seed gives the same data in every process.
    dtype : numpy dtype
    chunk : int
        Rows generated at a time.

    Returns
    -------
    X : ndarray of shape (n, 784)
    y : ndarray of shape (n,), int labels 0..9
    """
    n_features, n_sub = MNIST_SHAPE[1], 4
    rng = np.random.default_rng(seed)
    shape = (N_CLASSES * n_sub, n_features)
    prototypes = rng.random(shape) * (rng.random(shape) < 0.2)
    which = rng.integers(N_CLASSES * n_sub, size=n)
    y = which // n_sub
    X = np.empty((n, n_features), dtype=dtype)
    for start in range(0, n, chunk):
        rows = which[start : start + chunk]
        block = prototypes[rows] + 0.9 * rng.standard_normal((len(rows), n_features))
        np.clip(block, 0.0, 1.0, out=block)
        X[start : start + len(rows)] = block
    return X, y


# -- work -----------------------------------------------------------------------


def epoch_flops(layer_sizes, n_samples):
    """Floating-point operations of one training epoch (matrix products only).

    Per sample and layer l (weights n_{l-1} x n_l): the forward product costs
    2 n_{l-1} n_l; the backward pass costs 4 n_{l-1} n_l (the weight gradient
    a^T delta and the input gradient delta W^T), except for the first layer,
    which needs no input gradient and costs 2 n_{l-1} n_l. Biases,
    activations and the optimizer step are O(n_l) and left out.

    Parameters
    ----------
    layer_sizes : sequence of int
        n_0 (features), n_1, ..., n_L (outputs).
    n_samples : int

    Returns
    -------
    flops : int
    """
    total = 0
    for l, (n_in, n_out) in enumerate(zip(layer_sizes, layer_sizes[1:]), start=1):
        backward = 2 if l == 1 else 4
        total += (2 + backward) * n_in * n_out
    return total * n_samples


class _BatchGemms:
    """The matrix products of one training batch, on preallocated arrays.

    Forward z^(l) = a^(l-1) W^(l); backward dW^(l) = a^(l-1)^T delta^(l) and,
    for l > 1, delta^(l-1) = delta^(l) W^(l)^T. Weights are scaled by
    1/sqrt(n_in) so chained products keep their magnitude (no overflow, no
    subnormals that would slow the kernels down).
    """

    def __init__(self, layer_sizes, m, dtype, seed=0):
        rng = np.random.default_rng(seed)
        pairs = list(zip(layer_sizes, layer_sizes[1:]))
        self.L = len(pairs)
        self.W = [None] + [
            (rng.standard_normal((a, b)) / np.sqrt(a)).astype(dtype) for a, b in pairs
        ]
        self.a = [rng.random((m, n)).astype(dtype) for n in layer_sizes]
        self.delta = [None] + [
            rng.standard_normal((m, n)).astype(dtype) for n in layer_sizes[1:]
        ]
        self.dW = [None] + [np.empty_like(W) for W in self.W[1:]]

    def __call__(self):
        a, W, delta, dW = self.a, self.W, self.delta, self.dW
        for l in range(1, self.L + 1):
            np.matmul(a[l - 1], W[l], out=a[l])
        for l in range(self.L, 0, -1):
            np.matmul(a[l - 1].T, delta[l], out=dW[l])
            if l > 1:
                np.matmul(delta[l], W[l].T, out=delta[l - 1])


def gemm_peak(layer_sizes, m, dtype, repeats=3, min_seconds=0.1):
    """Best-of-``repeats`` GFLOP/s of the exact GEMMs of one training batch.

    The reference for "% of peak": what ``np.matmul`` with ``out=`` buffers
    reaches on the products of a batch of ``m`` rows, with no other work in
    between (no activations, no gathering, no optimizer step).

    Parameters
    ----------
    layer_sizes : sequence of int
    m : int
        Batch size.
    dtype : numpy dtype
    repeats : int
        Timed runs; the fastest counts (noise only ever slows a run down).
    min_seconds : float
        Each run repeats the batch until it lasts about this long.

    Returns
    -------
    gflops : float
    """
    batch = _BatchGemms(layer_sizes, m, dtype)
    batch()  # first touch of the buffers and BLAS thread start-up
    t = time_call(batch)
    reps = max(1, int(min_seconds / max(t, 1e-7)))
    flops = epoch_flops(layer_sizes, m) * reps

    def run():
        for _ in range(reps):
            batch()

    best = min(time_call(run) for _ in range(repeats))
    return flops / best / 1e9


# -- timing ---------------------------------------------------------------------


def time_call(fn):
    """Wall-clock seconds of one call of ``fn()``."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median(values):
    """Median of a non-empty sequence (NaN when empty)."""
    values = list(values)
    return statistics.median(values) if values else float("nan")


def round_order(items, r):
    """The order of round r when interleaving contenders.

    Each contender should run after different others from round to round
    (cache state, thread wake-up, another library's threads still spinning
    from its last call), so that no neighbour's after-effect always lands on
    the same contender. Rotating one fixed order does not do that: it keeps
    every contender's predecessor. Here odd rounds run the order backwards,
    so each contender follows its two neighbours in turn, and the start
    rotates every two rounds; round 0 is the given order.
    """
    order = list(items)
    k = (r // 2) % len(order)
    order = order[k:] + order[:k]
    return order[::-1] if r % 2 else order


def median_ratio(numerators, denominators):
    """Median over rounds of numerator / denominator, round by round.

    A ratio taken within a round compares runs seconds apart, so a slow
    drift of the machine's speed (other jobs starting, thermal state)
    cancels; the median then discards rounds that a burst disturbed.
    """
    return median(a / b for a, b in zip(numerators, denominators))


# -- reporting ------------------------------------------------------------------


def command_line():
    """The exact command that ran this script, ready to paste."""
    return shlex.join([os.path.basename(sys.executable), *sys.argv])


def _version(package):
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _blas_summary():
    parts = []
    for pool in threadpool_info():
        desc = f"{pool['internal_api']} {pool.get('version') or ''}".strip()
        arch = pool.get("architecture")
        desc += f" ({arch})" if arch else ""
        parts.append(f"{desc}, {pool['num_threads']} threads [{pool['user_api']}]")
    return "; ".join(parts) or "none found"


def machine_description():
    """Lines describing the machine and the library versions."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 0
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    versions = ", ".join(
        f"{name} {_version(name)}"
        for name in ("skffnn", "numpy", "scipy", "scikit-learn", "torch")
    )
    return [
        f"CPU: {_cpu_model()}; {os.cpu_count()} logical cores ({usable} usable)",
        f"OS: {platform.platform()}; Python {platform.python_version()}",
        f"Versions: {versions}",
        f"Thread pools: {_blas_summary()}",
        f"Load average at start (1, 5, 15 min): {load}",
    ]


def print_header(title, threads=None):
    """Print the title, the command and the machine, as every table's preamble."""
    print(f"# {title}")
    print()
    print(f"Command: `{command_line()}`")
    print()
    for line in machine_description():
        print(f"- {line}")
    if threads is not None:
        print(f"- Threads: every pool limited to {threads} by --threads")
    print()


def format_table(headers, rows):
    """A markdown table with columns padded to equal width.

    Cells are converted with ``str``; columns of numbers (including "3.1x",
    "75 %", "1,234" and "-") are right-aligned, the others left-aligned.
    """
    cells = [[str(c) for c in row] for row in [headers, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    right = [
        all(_looks_numeric(row[i]) for row in cells[1:]) for i in range(len(headers))
    ]

    def line(row):
        padded = [
            c.rjust(w) if r else c.ljust(w) for c, w, r in zip(row, widths, right)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(
        "-" * (w + 1) + (":" if r else "-") for w, r in zip(widths, right)
    )
    return "\n".join([line(cells[0]), rule + "|", *(line(r) for r in cells[1:])])


def _looks_numeric(cell):
    try:
        float(cell.replace(",", "").rstrip("x% ") or "nan")
    except ValueError:
        return cell == "-"
    return True


def fmt(value, digits=3):
    """A number with ``digits`` significant digits; '-' for NaN or None."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "-"
    return f"{value:.{digits}g}"


def limit_threads(threads):
    """Context limiting the BLAS / OpenMP pools to ``threads`` (None: no limit).

    On a shared machine a second busy process makes multi-threaded BLAS
    collapse (its threads wait on each other while descheduled); one thread
    per process then gives steadier, if lower, numbers for smoke runs.
    """
    return nullcontext() if threads is None else threadpool_limits(limits=threads)
