"""Training speed: seconds per epoch of skffnn against its anchors.

On synthetic MNIST-shaped data (60,000 x 784, 10 classes), a network with
hidden layers (256, 128), relu and adam is trained one epoch at a time by

- skffnn's FFNNClassifier (``partial_fit``), for each ``--dtypes`` setting,
  on float64 input (the same data MLP gets by default) and on float32 input;
- scikit-learn's MLPClassifier (``partial_fit``) on float64 input (its
  default) and on float32 input (which it keeps in float32);
- when PyTorch is installed, the equivalent PyTorch CPU loop in float32,
  with its default Adam and with its fused Adam;
- three plain float32 NumPy loops for reference (``_numpy_loop``): a minimal
  Adam loop (no loss value, penalty or checks), one that only gathers the
  batches and runs their matrix products, and one that also makes Adam's
  update (compiled when Numba is installed). The second one's "% of peak"
  is the most any NumPy implementation can reach on this machine, the
  third one's the most a NumPy Adam loop can.

All contenders run interleaved in one process: each round trains every one
of them for one epoch, in an order changed from round to round. The tables
give the median seconds per epoch, samples/s, the achieved GFLOP/s (matrix
products only, see ``_common.epoch_flops``), that rate as a percentage of
the GEMM peak measured on the same batch shapes in the same round, and the
speedups of skffnn (anchor seconds / skffnn seconds, median over rounds).

A partial_fit call is a whole epoch including per-call work: input
validation and, for float64 input trained in float32, the cast of X, which
``fit`` does once for all its epochs. The "X float32" rows show an epoch
without that cast.

Usage::

    python benchmarks/bench_training.py                      # full run
    python benchmarks/bench_training.py --n 6000 --rounds 2  # smoke run
    python benchmarks/bench_training.py --scaling            # cost vs n, width
"""

import argparse
import os
import warnings

import numpy as np
from _common import (
    N_CLASSES,
    epoch_flops,
    fmt,
    format_table,
    gemm_peak,
    limit_threads,
    median,
    median_ratio,
    mnist_like,
    print_header,
    round_order,
    time_call,
)
from _numpy_loop import KINDS, NumpyLoopRun
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from skffnn import FFNNClassifier
from skffnn._training import kernels

HIDDEN = (256, 128)
N_TEST = 10_000
# The n sweep: these multiples of --n (15k, 30k, 60k, 120k by default).
SCALING_FACTORS = (0.25, 0.5, 1, 2)
SCALING_WIDTHS = (64, 256, 1024)
SCALING_BATCH = 256

# The project's speed targets, checked on the default-settings skffnn rows:
# (batch size, what, anchor or None for % of peak, threshold).
TARGETS = [
    (256, "speedup vs MLP, X float64", "MLP, X float64", 3.0),
    (256, "speedup vs PyTorch float32", "PyTorch float32", 1.5),
    (256, "% of f32 GEMM peak", None, 75.0),
    (1024, "% of f32 GEMM peak", None, 85.0),
    (32, "speedup vs MLP, X float64", "MLP, X float64", 2.0),
]
# Printed under the % of peak targets: the reference loops that run the GEMMs
# and nothing else (the most a NumPy loop reaches), and those and Adam's
# update (the most an Adam loop reaches). Names are matched by their start.
BOUNDS = (KINDS["gemms"], KINDS["gemms+adam"])


# -- contenders -----------------------------------------------------------------


class EstimatorRun:
    """An sklearn-style classifier trained one epoch per ``partial_fit`` call.

    Parameters
    ----------
    name : str
    estimator : FFNNClassifier or MLPClassifier
    X, y : training data
    compute_dtype : numpy dtype
        Precision of its matrix products, which picks the GEMM peak.
    """

    def __init__(self, name, estimator, X, y, compute_dtype):
        self.name, self.estimator = name, estimator
        self.X, self.y = X, y
        self.compute_dtype = np.dtype(compute_dtype)

    def warm_up(self):
        """First epoch, untimed: allocations, label set-up, first BLAS calls."""
        self.estimator.partial_fit(self.X, self.y, classes=np.arange(N_CLASSES))

    def epoch(self):
        self.estimator.partial_fit(self.X, self.y)

    def accuracy(self, X, y):
        return self.estimator.score(X.astype(self.X.dtype, copy=False), y)


class TorchRun:
    """The same network and optimizer as a plain PyTorch CPU loop in float32.

    Sequential(Linear, ReLU, Linear, ReLU, Linear) with CrossEntropyLoss and
    Adam(lr=1e-3); one epoch is one pass over batches drawn by randperm.
    With ``fused=True`` the loop uses PyTorch's fused Adam (one kernel for
    all parameters), which its default (``foreach``) implementation does
    not: the row a user tuning PyTorch for CPU speed would compare with.
    The speed targets are checked against the default loop.
    """

    compute_dtype = np.dtype(np.float32)

    def __init__(self, X, y, batch_size, threads, seed=0, fused=False):
        import torch  # optional: imported only when this column runs

        self.name = "PyTorch float32" + (", fused Adam" if fused else "")
        self.torch = torch
        torch.manual_seed(seed)
        torch.set_num_threads(threads or os.cpu_count())
        sizes = [X.shape[1], *HIDDEN, N_CLASSES]
        layers = []
        for n_in, n_out in zip(sizes, sizes[1:]):
            layers += [torch.nn.Linear(n_in, n_out), torch.nn.ReLU()]
        self.model = torch.nn.Sequential(*layers[:-1])
        self.loss = torch.nn.CrossEntropyLoss()
        options = {"fused": True} if fused else {}
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-3, **options)
        self.X = torch.from_numpy(np.asarray(X, dtype=np.float32))
        self.y = torch.from_numpy(np.asarray(y, dtype=np.int64))
        self.batch_size = batch_size

    def warm_up(self):
        self.epoch()

    def epoch(self):
        order = self.torch.randperm(self.X.shape[0])
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            self.optimizer.zero_grad()
            self.loss(self.model(self.X[rows]), self.y[rows]).backward()
            self.optimizer.step()

    def accuracy(self, X, y):
        with self.torch.no_grad():
            out = self.model(self.torch.from_numpy(np.asarray(X, dtype=np.float32)))
        return float((out.argmax(dim=1).numpy() == y).mean())


def torch_available():
    """Whether PyTorch can be imported, without importing it."""
    import importlib.util

    try:
        return importlib.util.find_spec("torch") is not None
    except (ImportError, ValueError):  # a broken or blocked installation
        return False


def _skffnn_compute_dtype(estimator, X, layer_sizes):
    """The precision skffnn will train in, which picks the GEMM peak."""
    if estimator.dtype != "auto":
        return np.dtype(estimator.dtype)
    # 'auto' decides from the data size: ask the estimator rather than copy
    # its rule here; float32 is what the README documents for MNIST sizes.
    decide = getattr(estimator, "_compute_dtype", None)
    return decide(X, layer_sizes) if decide else np.dtype(np.float32)


def skffnn_run(dtype, X, y, batch_size, hidden=HIDDEN):
    """FFNNClassifier with default settings except the batch size and dtype."""
    estimator = FFNNClassifier(
        hidden, batch_size=batch_size, dtype=dtype, random_state=0
    )
    sizes = [X.shape[1], *hidden, N_CLASSES]
    name = f"skffnn {dtype}, X {X.dtype}"
    return EstimatorRun(
        name, estimator, X, y, _skffnn_compute_dtype(estimator, X, sizes)
    )


class NumpyRulesRun(EstimatorRun):
    """skffnn trained with its NumPy update rules although Numba is installed.

    Its model is the same bit for bit; the row shows what the Numba kernels
    (the ``fast`` extra) buy.
    """

    def warm_up(self):
        with kernels.disabled():
            super().warm_up()

    def epoch(self):
        with kernels.disabled():
            super().epoch()


def update_rules_text():
    """Which update rules skffnn's default-settings rows train with."""
    if kernels.compiled() is None:
        return "update rules: NumPy (Numba is not installed or SKFFNN_NUMBA=0)"
    import numba

    return (
        f"update rules: Numba {numba.__version__} kernels (the 'fast' extra); "
        "the 'NumPy rules' row trains without them"
    )


def mlp_run(X, y, batch_size, hidden=HIDDEN):
    """MLPClassifier with default settings except the batch size."""
    estimator = MLPClassifier(hidden, batch_size=batch_size, random_state=0)
    return EstimatorRun(f"MLP, X {X.dtype}", estimator, X, y, X.dtype)


def make_runs(args, X64, X32, y, batch_size):
    """Every contender of one batch size, in a fixed base order."""
    runs = []
    for dtype in args.dtypes:
        runs.append(skffnn_run(dtype, X64, y, batch_size))
        # float64 compute on float32 input would only add an upcast.
        if dtype != "float64":
            runs.append(skffnn_run(dtype, X32, y, batch_size))
    if kernels.compiled() is not None:
        run = skffnn_run(args.dtypes[0], X64, y, batch_size)
        runs.append(
            NumpyRulesRun(
                run.name + ", NumPy rules", run.estimator, X64, y, run.compute_dtype
            )
        )
    runs += [mlp_run(X64, y, batch_size), mlp_run(X32, y, batch_size)]
    if args.torch:
        runs.append(TorchRun(X32, y, batch_size, args.threads))
        try:
            runs.append(TorchRun(X32, y, batch_size, args.threads, fused=True))
        except (RuntimeError, TypeError) as error:  # fused CPU Adam: torch >= 2.4
            print(f"(no 'PyTorch float32, fused Adam' row: {error})")
    if args.reference:
        for kind in KINDS:
            runs.append(NumpyLoopRun(X32, y, HIDDEN, batch_size, kind))
    return runs


# -- measurement ------------------------------------------------------------------


def run_rounds(runs, layer_sizes, batch_size, rounds):
    """Warm every run up, then time ``rounds`` interleaved epochs of each.

    Returns
    -------
    times : dict name -> list of seconds, one per round
    peaks : dict dtype -> list of GEMM peak GFLOP/s, one per round
    """
    for run in runs:
        run.warm_up()
    dtypes = sorted({run.compute_dtype for run in runs}, key=str)
    times = {run.name: [] for run in runs}
    peaks = {dtype: [] for dtype in dtypes}
    for r in range(rounds):
        # The peak is re-measured every round so that "% of peak" compares
        # runs taken under the same machine load.
        for dtype in dtypes:
            peaks[dtype].append(gemm_peak(layer_sizes, batch_size, dtype))
        for run in round_order(runs, r):
            times[run.name].append(time_call(run.epoch))
    return times, peaks


def percents_of_peak(flops, seconds, peaks):
    """The achieved rate of each round as a percentage of that round's peak."""
    return [100 * flops / t / 1e9 / p for t, p in zip(seconds, peaks)]


def percent_of_peak(flops, seconds, peaks):
    """Median over rounds of :func:`percents_of_peak`."""
    return median(percents_of_peak(flops, seconds, peaks))


def result_rows(runs, times, peaks, flops, n, X_test, y_test):
    rows = []
    for run in runs:
        t = times[run.name]
        s = median(t)
        rows.append(
            [
                run.name,
                str(run.compute_dtype),
                fmt(s),
                f"{n / s:,.0f}",
                fmt(flops / s / 1e9),
                fmt(percent_of_peak(flops, t, peaks[run.compute_dtype])),
                _accuracy_text(run.accuracy(X_test, y_test)),
            ]
        )
    return rows


def _accuracy_text(accuracy):
    return "-" if accuracy is None else f"{accuracy:.3f}"


def speedup_rows(runs, times):
    """skffnn rows against anchor columns: anchor s / skffnn s per round."""
    skffnn = [r.name for r in runs if r.name.startswith("skffnn")]
    anchors = [r.name for r in runs if not r.name.startswith("skffnn")]
    rows = [
        [name] + [f"{median_ratio(times[a], times[name]):.2f}x" for a in anchors]
        for name in skffnn
    ]
    return ["skffnn \\ anchor", *anchors], rows


def target_rows(results):
    """The speed targets checked on each default-dtype skffnn row.

    Under a % of peak target, the reference loops in BOUNDS follow with
    their own % of peak, marked "bound".
    """
    rows = []
    for batch_size, what, anchor, threshold in TARGETS:
        if batch_size not in results:
            continue
        runs, times, peaks, flops = results[batch_size]
        if anchor is not None and anchor not in times:
            continue
        for run in runs:
            bound = anchor is None and run.name.startswith(BOUNDS)
            if not (bound or run.name.startswith("skffnn auto")):
                continue
            per_round = _per_round(times, run.name, anchor, flops, peaks)
            value = median(per_round)
            shown = f"{value:.0f} %" if anchor is None else f"{value:.2f}x"
            met = f"{sum(v >= threshold for v in per_round)}/{len(per_round)}"
            if bound:
                wanted, verdict = "", "bound"
            else:
                wanted = f">= {threshold:g}" + (" %" if anchor is None else "x")
                verdict = "ok" if value >= threshold else "MISSED"
            rows.append(
                [f"batch {batch_size}: {what}", run.name, shown, wanted, verdict, met]
            )
    return rows


def _per_round(times, name, anchor, flops, peaks):
    """A target's measure in each round: speedup over anchor, or % of f32 peak."""
    if anchor is None:
        return percents_of_peak(flops, times[name], peaks[np.dtype(np.float32)])
    return [a / b for a, b in zip(times[anchor], times[name])]


# -- main parts -------------------------------------------------------------------


def bench_batch_sizes(args):
    n_total = args.n + N_TEST
    X_all, y_all = mnist_like(n_total, seed=0)
    X64, y = X_all[: args.n], y_all[: args.n]
    X_test, y_test = X_all[args.n :], y_all[args.n :]
    X32 = X64.astype(np.float32)
    layer_sizes = [X64.shape[1], *HIDDEN, N_CLASSES]
    flops = epoch_flops(layer_sizes, args.n)
    print(
        f"Data: {args.n} x {X64.shape[1]} synthetic MNIST-like, {N_CLASSES} "
        f"classes; hidden {HIDDEN}, relu, adam; {flops / 1e9:.1f} GFLOP per epoch; "
        f"{args.rounds} timed round(s) after one warm-up epoch; accuracy on "
        f"{N_TEST} held-out rows after all epochs."
    )
    print(update_rules_text())
    if not args.torch:
        print(args.torch_note)
    print()

    results = {}
    for batch_size in args.batch_sizes:
        runs = make_runs(args, X64, X32, y, batch_size)
        times, peaks = run_rounds(runs, layer_sizes, batch_size, args.rounds)
        results[batch_size] = (runs, times, peaks, flops)
        peak_text = ", ".join(f"{d} {median(p):.0f}" for d, p in peaks.items())
        print(f"## Batch size {batch_size}")
        print()
        print(f"GEMM peak for these shapes (GFLOP/s, median of rounds): {peak_text}")
        print()
        headers = ["contender", "compute", "s/epoch", "samples/s", "GFLOP/s"]
        headers += ["% peak", "accuracy"]
        rows = result_rows(runs, times, peaks, flops, args.n, X_test, y_test)
        print(format_table(headers, rows))
        print()
        print("Speedup of skffnn (anchor s/epoch / skffnn s/epoch, median of rounds):")
        print()
        print(format_table(*speedup_rows(runs, times)))
        print()

    rows = target_rows(results)
    if rows:
        print("## Targets (meaningful only on a quiet machine at the full size)")
        print()
        print(
            "measured: median over rounds; rounds: how many rounds alone met the "
            "threshold, a sign of how reliably the target is met."
        )
        print()
        headers = ["target", "contender", "measured", "threshold", "verdict"]
        print(format_table([*headers, "rounds"], rows))


def scaling_point(X, y, hidden, rounds):
    """s/epoch of skffnn (defaults) and MLP (defaults) on float64 X."""
    runs = [
        skffnn_run("auto", X, y, SCALING_BATCH, hidden),
        mlp_run(X, y, SCALING_BATCH, hidden),
    ]
    layer_sizes = [X.shape[1], *hidden, N_CLASSES]
    times, peaks = run_rounds(runs, layer_sizes, SCALING_BATCH, rounds)
    flops = epoch_flops(layer_sizes, X.shape[0])
    row = [f"{X.shape[0]:,}", str(hidden)]
    for run in runs:
        t = times[run.name]
        s = median(t)
        row += [
            fmt(s),
            fmt(1e6 * s / X.shape[0]),
            fmt(flops / s / 1e9),
            fmt(percent_of_peak(flops, t, peaks[run.compute_dtype])),
        ]
    ffnn, mlp = (times[run.name] for run in runs)
    return [*row, f"{median_ratio(mlp, ffnn):.2f}x"]


def bench_scaling(args):
    rounds = args.rounds or 1
    print(
        f"Cost against data size and width (hidden (w, w/2) at n = {args.n}): "
        f"batch {SCALING_BATCH}, skffnn "
        "(default settings) vs MLP (default settings), both on float64 X; "
        f"{rounds} timed round(s) after one warm-up epoch. Flat us/sample "
        "(over n) and flat GFLOP/s (over width) mean linear cost."
    )
    print()
    ns = [int(f * args.n) for f in SCALING_FACTORS]
    X_all, y_all = mnist_like(max(ns), seed=0)
    rows = []
    for n in ns:
        rows.append(scaling_point(X_all[:n], y_all[:n], HIDDEN, rounds))
    n = args.n
    for width in SCALING_WIDTHS:
        hidden = (width, width // 2)
        if hidden != HIDDEN:  # (256, 128) at --n is already in the n sweep
            rows.append(scaling_point(X_all[:n], y_all[:n], hidden, rounds))
    headers = ["n", "hidden"]
    for who in ("skffnn", "MLP"):
        headers += [f"{who} s/epoch", "us/sample", "GFLOP/s", "% peak"]
    print(format_table([*headers, "speedup"], rows))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=60_000, help="training rows")
    parser.add_argument(
        "--rounds",
        type=int,
        default=None,
        help="timed epochs per contender (default 5; 1 with --scaling)",
    )
    parser.add_argument(
        "--batch-sizes",
        type=lambda s: [int(b) for b in s.split(",")],
        default=[32, 256, 1024],
    )
    parser.add_argument(
        "--dtypes",
        type=lambda s: s.split(","),
        default=["auto"],
        help="skffnn dtype settings, comma-separated from auto,float32,float64",
    )
    parser.add_argument("--no-torch", dest="torch", action="store_false")
    parser.add_argument(
        "--no-reference",
        dest="reference",
        action="store_false",
        help="leave out the three plain NumPy reference loops",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="limit BLAS/OpenMP/torch threads (default: all cores)",
    )
    parser.add_argument(
        "--scaling",
        action="store_true",
        help="run the sweep over n and width instead of the batch-size tables",
    )
    args = parser.parse_args(argv)
    bad = set(args.dtypes) - {"auto", "float32", "float64"}
    if bad:
        parser.error(f"unknown --dtypes {sorted(bad)}")
    args.torch_note = "PyTorch column skipped: --no-torch given."
    if args.torch and not torch_available():
        args.torch = False
        args.torch_note = "PyTorch column skipped: torch is not installed."
    return args


def main(argv=None):
    args = parse_args(argv)
    print_header("skffnn training benchmark", args.threads)
    with limit_threads(args.threads), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        if args.scaling:
            bench_scaling(args)
        else:
            args.rounds = args.rounds or 5
            bench_batch_sizes(args)


if __name__ == "__main__":
    main()
