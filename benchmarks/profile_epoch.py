"""Where one training epoch of skffnn spends its time.

Trains FFNNClassifier (hidden (256, 128), relu, adam) on the synthetic
MNIST-shaped data with ``partial_fit``: one warm-up epoch, one plain timed
epoch, one epoch under cProfile (functions, sorted by own time) and, when
line_profiler is installed (``pip install line_profiler``), one epoch under
line_profiler on the epoch's loop over batches, the forward and backward
passes, the batch gathering and the optimizer step.

The line timings are summed into categories (matrix products, activations,
loss, gathering, optimizer, ...) by matching each line's source text. Only
the lines of the epoch's loop, forward and backward are summed, since a
line's time includes that of the functions it calls; the lines of the
optimizer and of the gathering are printed for detail. Read the line
table to check the attribution after changing the core.

Usage::

    python benchmarks/profile_epoch.py                   # 60k rows, batch 256
    python benchmarks/profile_epoch.py --n 10000 --threads 1
"""

import argparse
import cProfile
import importlib
import io
import linecache
import pstats
import re
import warnings

import numpy as np
from _common import (
    N_CLASSES,
    format_table,
    limit_threads,
    mnist_like,
    print_header,
    time_call,
)
from sklearn.exceptions import ConvergenceWarning

from skffnn import FFNNClassifier

HIDDEN = (256, 128)

# (module, qualified name, summed into categories?)
PROFILED = [
    ("skffnn._training.stochastic", "Epoch.__call__", True),
    ("skffnn._training.batch_step", "BatchStep.__call__", True),
    ("skffnn._network.propagation", "forward", True),
    ("skffnn._network.propagation", "backward", True),
    ("skffnn._training.batches", "Batches.__call__", False),
    ("skffnn._training.optimizers", "Adam.update", False),
    ("skffnn._network.propagation", "penalty", False),
]

# First match wins. Lines calling loss_and_gradient or the batch step are
# left out: the functions they call are profiled themselves.
CATEGORIES = [
    (r"loss_and_gradient\(|\.step\(", None),
    (r"\.ones\[", "bias add / bias gradient"),
    (r"matmul\(", "GEMM (matrix products)"),
    (r"\.update\(|\.advance\(", "optimizer step (adam, L2 gradient)"),
    (r"batches\(|np\.take", "batch gathering"),
    (r"sample_loss|cross_entropy|logsumexp", "loss value"),
    (r"\.g\(|g_prime", "hidden activation g, g'"),
    (r"link\(", "output activation (softmax)"),
    (r"alpha|penalty|weights", "L2 penalty value"),
    (r"params\.b\[|\.sum\(axis=0", "bias add / bias gradient"),
    (r"subtract\(|delta \*=", "output delta a - y, scaling"),
    (r"shuffle|perm", "shuffling"),
]
OTHER = "other (loop, checks, small ops)"


def resolve(module, qualname):
    """The function object, or None when the core no longer has it."""
    obj = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def category(source):
    for pattern, name in CATEGORIES:
        if re.search(pattern, source):
            return name
    return OTHER


def cprofile_epoch(estimator, X, y, top):
    """Top functions by own time during one epoch, as text."""
    profiler = cProfile.Profile()
    profiler.enable()
    estimator.partial_fit(X, y)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def line_profile_epoch(estimator, X, y):
    """Per-line timings of one epoch: list of (function, lineno, hits, s, source)."""
    from line_profiler import LineProfiler

    found = [(q, resolve(m, q), summed) for m, q, summed in PROFILED]
    profiler = LineProfiler(*(f for _, f, _ in found if f is not None))
    profiler.enable_by_count()
    total = time_call(lambda: estimator.partial_fit(X, y))
    profiler.disable_by_count()
    stats = profiler.get_stats()
    # line_profiler names functions by qualified name in recent versions,
    # by plain name in older ones.
    summed = {}
    for _, f, s in found:
        if f is not None:
            summed[f.__qualname__] = summed[f.__code__.co_name] = s
    lines = []
    for (filename, _, name), timings in stats.timings.items():
        for lineno, hits, t in timings:
            source = linecache.getline(filename, lineno).strip()
            lines.append((name, lineno, hits, t * stats.unit, source, summed[name]))
    missing = [q for q, f, _ in found if f is None]
    return total, lines, missing


def category_rows(total, lines):
    """Seconds and share of the epoch per category."""
    sums = {}
    for _, _, _, seconds, source, summed in lines:
        name = category(source)
        if summed and name is not None:
            sums[name] = sums.get(name, 0.0) + seconds
    sums["outside the epoch's batches (checks, labels)"] = total - sum(sums.values())
    rows = sorted(sums.items(), key=lambda kv: -kv[1])
    return [[name, f"{1e3 * s:.1f}", f"{100 * s / total:.1f}"] for name, s in rows]


def line_rows(total, lines, min_share):
    """The lines that take at least ``min_share`` of the epoch."""
    rows = []
    for name, lineno, hits, seconds, source, _ in lines:
        if seconds >= min_share * total:
            share = f"{100 * seconds / total:.1f}"
            rows.append(
                [f"{name}:{lineno}", hits, f"{1e3 * seconds:.1f}", share, source]
            )
    return rows


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=60_000, help="training rows")
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--dtype", default="auto", help="skffnn dtype setting")
    parser.add_argument(
        "--input", default="float32", help="dtype of X (float64 adds the cast)"
    )
    parser.add_argument("--threads", type=int, default=None, help="limit threads")
    parser.add_argument("--top", type=int, default=15, help="cProfile rows")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    print_header("skffnn: profile of one training epoch", args.threads)
    X, y = mnist_like(args.n, seed=0, dtype=np.dtype(args.input))
    estimator = FFNNClassifier(
        HIDDEN, batch_size=args.batch_size, dtype=args.dtype, random_state=0
    )
    with limit_threads(args.threads), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        estimator.partial_fit(X, y, classes=np.arange(N_CLASSES))
        plain = time_call(lambda: estimator.partial_fit(X, y))
        print(
            f"{args.n} x {X.shape[1]} X {args.input}, batch {args.batch_size}, "
            f"dtype={args.dtype!r}: one plain epoch {plain:.3f} s"
        )
        print()
        print("## cProfile (own time; NumPy ufuncs count in their caller)")
        print()
        print(cprofile_epoch(estimator, X, y, args.top))
        try:
            total, lines, missing = line_profile_epoch(estimator, X, y)
        except ImportError:
            print("line_profiler not installed: no line-level breakdown.")
            return
    print(f"## Line profile: epoch {total:.3f} s under the line profiler")
    if missing:
        print(f"(not found in the core, skipped: {', '.join(missing)})")
    print()
    print(format_table(["category", "ms", "% epoch"], category_rows(total, lines)))
    print()
    headers = ["function:line", "hits", "ms", "% epoch", "source"]
    print(format_table(headers, line_rows(total, lines, 0.005)))


if __name__ == "__main__":
    main()
