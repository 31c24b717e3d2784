"""Small real data sets: fit time and held-out score against MLP and linear models.

On scikit-learn's bundled data sets (digits, breast_cancer and wine for
classification, diabetes for regression), each with a fixed train/test split
(random_state=0) and StandardScaler fitted on the training part, this fits

- FFNN adam (default settings, which here train in float64), FFNN adam with
  dtype='float32' (the same seed: its score should match within noise),
  FFNN lbfgs;
- MLP adam and MLP lbfgs (default settings);
- LogisticRegression(max_iter=1000), or Ridge for regression.

Fit times are the median of ``--rounds`` rounds, every round fitting each
model once in an order changed from round to round. The score is
accuracy, or R^2 for diabetes, whose target is standardized with the
training mean and deviation so that the networks' default learning rate
suits it (R^2 does not change under that transformation). "speedup" is
MLP's fit time over FFNN's with the same solver (median of per-round
ratios).

Usage::

    python benchmarks/bench_small.py              # full run
    python benchmarks/bench_small.py --rounds 1   # smoke run
"""

import argparse
import warnings

import numpy as np
from _common import (
    fmt,
    format_table,
    limit_threads,
    median,
    median_ratio,
    print_header,
    round_order,
    time_call,
)
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler

from skffnn import FFNNClassifier, FFNNRegressor

DATASETS = {
    "digits": (load_digits, "classification"),
    "breast_cancer": (load_breast_cancer, "classification"),
    "wine": (load_wine, "classification"),
    "diabetes": (load_diabetes, "regression"),
}


def models(task):
    """Name -> unfitted model, and name -> the MLP it is compared with."""
    if task == "classification":
        ffnn, mlp, linear = FFNNClassifier, MLPClassifier, LogisticRegression
        linear_model = linear(max_iter=1000)
    else:
        ffnn, mlp, linear = FFNNRegressor, MLPRegressor, Ridge
        linear_model = linear()
    found = {
        "FFNN adam": ffnn(random_state=0),
        "FFNN adam float32": ffnn(random_state=0, dtype="float32"),
        "FFNN lbfgs": ffnn(solver="lbfgs", random_state=0),
        "MLP adam": mlp(random_state=0),
        "MLP lbfgs": mlp(solver="lbfgs", random_state=0),
        linear.__name__: linear_model,
    }
    anchors = {
        "FFNN adam": "MLP adam",
        "FFNN adam float32": "MLP adam",
        "FFNN lbfgs": "MLP lbfgs",
    }
    return found, anchors


def split(name, task):
    """Scaled train/test arrays of one data set (fixed split)."""
    X, y = DATASETS[name][0](return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    if task == "regression":
        mean, std = y_train.mean(), y_train.std()
        y_train, y_test = (y_train - mean) / std, (y_test - mean) / std
    return X_train, X_test, y_train, y_test


def bench_dataset(name, task, rounds):
    """Table rows for one data set: fit time, iterations, score, speedup."""
    X_train, X_test, y_train, y_test = split(name, task)
    found, anchors = models(task)
    times = {key: [] for key in found}
    for r in range(rounds):
        for key in round_order(list(found), r):
            times[key].append(time_call(lambda m=found[key]: m.fit(X_train, y_train)))
    rows = []
    for key, model in found.items():
        anchor = anchors.get(key)
        speedup = median_ratio(times[anchor], times[key]) if anchor else None
        rows.append(
            [
                name,
                key,
                fmt(median(times[key])),
                _n_iter(model),
                f"{model.score(X_test, y_test):.4f}",
                "-" if speedup is None else f"{speedup:.2f}x",
            ]
        )
    return rows


def _n_iter(model):
    # LogisticRegression keeps one count per class problem, Ridge none.
    n_iter = getattr(model, "n_iter_", None)
    return "-" if n_iter is None else int(np.max(n_iter))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="fits per model")
    parser.add_argument(
        "--datasets",
        type=lambda s: s.split(","),
        default=list(DATASETS),
        help="comma-separated subset of " + ",".join(DATASETS),
    )
    parser.add_argument("--threads", type=int, default=None, help="limit threads")
    args = parser.parse_args(argv)
    bad = set(args.datasets) - set(DATASETS)
    if bad:
        parser.error(f"unknown --datasets {sorted(bad)}")
    return args


def main(argv=None):
    args = parse_args(argv)
    print_header("skffnn on small real data sets", args.threads)
    print(
        f"Fit time: median of {args.rounds} rounds. Score on the held-out 25 %: "
        "accuracy (classification) or R^2 (diabetes). n_iter: epochs (adam) or "
        "iterations (lbfgs); 200 means the default max_iter was reached."
    )
    print()
    rows = []
    with limit_threads(args.threads), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for name in args.datasets:
            rows += bench_dataset(name, DATASETS[name][1], args.rounds)
    headers = ["data set", "model", "fit s", "n_iter", "score", "speedup"]
    print(format_table(headers, rows))


if __name__ == "__main__":
    main()
