"""Prediction speed: latency of one row, throughput of 10,000 rows.

FFNNClassifier and MLPClassifier, both with hidden layers (256, 128), are
fitted for a few epochs on a subset of the synthetic MNIST-shaped data, then
``predict`` and ``predict_proba`` are timed

- on 1 row (float64, as a user would pass it): each call is timed on its
  own; calls come in blocks, and every block runs each (estimator, method)
  pair in an order changed from block to block;
- on 10,000 rows: one call per pair and round, ordered the same way.

The ratio column is skffnn time / MLP time (below 1: skffnn is faster),
taken within each block or round and then the median over them, so that a
slow drift of the machine cancels.

Usage::

    python benchmarks/bench_predict.py                          # full run
    python benchmarks/bench_predict.py --blocks 4 --big-rounds 5  # smoke run
"""

import argparse
import warnings

from _common import (
    fmt,
    format_table,
    limit_threads,
    median,
    median_ratio,
    mnist_like,
    print_header,
    round_order,
    time_call,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from skffnn import FFNNClassifier

HIDDEN = (256, 128)
N_BIG = 10_000
METHODS = ("predict", "predict_proba")
# The target: 1-row latency at most a third of MLPClassifier's.
LATENCY_TARGET = 1 / 3


def fitted_estimators(X, y, epochs):
    """Both estimators with default settings, fitted for ``epochs`` epochs."""
    estimators = {
        "skffnn": FFNNClassifier(HIDDEN, max_iter=epochs, random_state=0),
        "MLP": MLPClassifier(HIDDEN, max_iter=epochs, random_state=0),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for estimator in estimators.values():
            estimator.fit(X, y)
    return estimators


def calls(estimators, X):
    """(name, method) -> a zero-argument callable predicting on X."""
    return {
        (name, method): (lambda e=est, m=method: getattr(e, m)(X))
        for name, est in estimators.items()
        for method in METHODS
    }


def time_blocks(fns, blocks, calls_per_block):
    """Per-block median seconds of each callable, blocks interleaved.

    Returns
    -------
    dict key -> list of per-block medians
    """
    keys = list(fns)
    per_block = {key: [] for key in keys}
    for key in keys:  # untimed first call: lazy imports, first allocations
        fns[key]()
    for b in range(blocks):
        for key in round_order(keys, b):
            fn = fns[key]
            per_block[key].append(median(time_call(fn) for _ in range(calls_per_block)))
    return per_block


def table(per_block, n_rows, target=None, unit=1e6):
    """Rows of median time (in 1/unit s), rows/s and the skffnn/MLP ratio."""
    rows = []
    for method in METHODS:
        ffnn, mlp = per_block["skffnn", method], per_block["MLP", method]
        ratio = median_ratio(ffnn, mlp)
        row = [method]
        for times in (ffnn, mlp):
            t = median(times)
            row += [fmt(unit * t), f"{n_rows / t:,.0f}"]
        row.append(f"{ratio:.2f}")
        if target is not None:
            row.append("ok" if ratio <= target else "MISSED")
        rows.append(row)
    return rows


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n-fit", type=int, default=5000, help="rows to fit on")
    parser.add_argument("--epochs", type=int, default=2, help="epochs of fit")
    parser.add_argument("--blocks", type=int, default=20, help="1-row blocks")
    parser.add_argument("--calls", type=int, default=100, help="1-row calls a block")
    parser.add_argument(
        "--big-rounds", type=int, default=20, help="10,000-row calls per method"
    )
    parser.add_argument("--threads", type=int, default=None, help="limit threads")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    print_header("skffnn prediction benchmark", args.threads)
    X_all, y_all = mnist_like(args.n_fit + N_BIG, seed=0)
    X_fit, y_fit = X_all[: args.n_fit], y_all[: args.n_fit]
    X_big = X_all[args.n_fit :]
    print(
        f"Fitted on {args.n_fit} x {X_all.shape[1]} synthetic MNIST-like rows for "
        f"{args.epochs} epochs; hidden {HIDDEN}; float64 input to predict."
    )
    print()
    with limit_threads(args.threads):
        estimators = fitted_estimators(X_fit, y_fit, args.epochs)
        one = time_blocks(calls(estimators, X_big[:1]), args.blocks, args.calls)
        big = time_blocks(calls(estimators, X_big), args.big_rounds, 1)

    headers = ["method", "skffnn us", "rows/s", "MLP us", "rows/s", "skffnn/MLP"]
    n_calls = args.blocks * args.calls
    print(f"## 1 row ({n_calls} calls: median of the medians of {args.blocks} blocks)")
    print()
    target = f"<= {LATENCY_TARGET:.2f}"
    print(format_table([*headers, target], table(one, 1, LATENCY_TARGET)))
    print()
    print(f"## {N_BIG:,} rows (median of {args.big_rounds} calls)")
    print()
    headers = [h.replace(" us", " ms") for h in headers]
    print(format_table([*headers, "< 1"], table(big, N_BIG, 1.0, unit=1e3)))


if __name__ == "__main__":
    main()
