"""What the command accepts: the parser and the parsers of single values."""

import argparse

from .. import __version__
from .datasets import BUILTIN
from .models import ALIASES, MODEL_KEYS
from .userdata import LBFGS_MAX_SAMPLES, MAX_CLASSES_GUESSED

DESCRIPTION = """\
Does a neural network beat the baseline? Cross-validate FFNNClassifier /
FFNNRegressor against LogisticRegression / Ridge, scikit-learn's MLP and a
dummy model, each in a Pipeline with standardized inputs, and print mean ±
std score (accuracy or r2) and mean fit time per fold.

Without --csv, run the built-in suite: XOR, two moons and concentric circles
(where no straight line separates the classes), then scikit-learn's digits,
breast_cancer, wine and diabetes (regression).

With --csv FILE --target COLUMN, run the same on your data: numeric columns
are imputed (median) and standardized, the other columns imputed (most
frequent) and one-hot encoded; rows without a target are dropped. Without
--task, a target is classification when it is text or boolean, or whole
numbers with at most {max_classes} distinct values; otherwise regression.
The networks train with L-BFGS up to {lbfgs_rows} rows, with Adam and early
stopping above. Regression targets are standardized for every model.
"""

EPILOG = """examples:
  skffnn compare
  skffnn compare --csv houses.csv --target price --output results.json
  skffnn compare --csv iris.csv --target species --models ffnn logistic \\
      --hidden 64,32 --plot scores.png

The table goes to stdout, one progress line per model to stderr. Exit
status: 0 on success, 2 on bad arguments or unusable data, 1 out of memory.
"""


def hidden_sizes(text: str) -> tuple:
    """Parse '64,32' into (64, 32): hidden layer sizes, positive integers.

    Parameters
    ----------
    text : str
        Comma-separated sizes.

    Returns
    -------
    sizes : tuple of int
        One size per hidden layer.
    """
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        sizes = ()
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a comma-separated list of positive integers such as 64,32"
        )
    return sizes


def penalty(text: str) -> float:
    """Parse an L2 penalty (alpha): a finite number of at least 0.

    Parameters
    ----------
    text : str
        The number.

    Returns
    -------
    alpha : float
        The penalty.
    """
    try:
        alpha = float(text)
    except ValueError:
        alpha = -1.0
    if not (0 <= alpha < float("inf")):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number >= 0")
    return alpha


def n_folds(text: str) -> int:
    """Parse the number of cross-validation folds, an integer of at least 2.

    Parameters
    ----------
    text : str
        The number.

    Returns
    -------
    k : int
        The number of folds.
    """
    return _integer(text, lambda k: k >= 2, "an integer >= 2")


def n_jobs(text: str) -> int:
    """Parse the number of parallel jobs: a positive integer, or -1 for all cores.

    Parameters
    ----------
    text : str
        The number.

    Returns
    -------
    n : int
        As joblib reads it: negative counts back from the number of cores.
    """
    return _integer(text, lambda n: n != 0, "a nonzero integer (-1 uses every core)")


def seed(text: str) -> int:
    """Parse a random seed, an integer from 0 to 2**32 - 1.

    Parameters
    ----------
    text : str
        The number.

    Returns
    -------
    seed : int
        The seed.
    """
    return _integer(
        text, lambda value: 0 <= value < 2**32, "an integer from 0 to 2**32 - 1"
    )


def _integer(text, valid, expected):
    """int(text) if it parses and ``valid`` accepts it, else argparse's error."""
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not valid(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not {expected}")
    return value


def comma_list(text: str) -> list:
    """Split 'a,b' into ['a', 'b'], dropping empty items.

    Parameters
    ----------
    text : str
        Comma-separated names.

    Returns
    -------
    names : list of str
        The names (an empty list when there are none).
    """
    return [name.strip() for name in text.split(",") if name.strip()]


def _add_compare(subparsers):
    models = ", ".join([*MODEL_KEYS, *ALIASES])
    parser = subparsers.add_parser(
        "compare",
        help="cross-validate a network against baselines",
        description=DESCRIPTION.format(
            max_classes=MAX_CLASSES_GUESSED, lbfgs_rows=LBFGS_MAX_SAMPLES
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    data = parser.add_argument_group("data")
    data.add_argument("--csv", metavar="FILE", help="your data, a CSV with a header")
    data.add_argument("--target", metavar="COLUMN", help="the column to predict")
    data.add_argument(
        "--task",
        choices=("classification", "regression"),
        help="what the target is (default: guessed, see above)",
    )
    data.add_argument(
        "--datasets",
        type=comma_list,
        metavar="NAMES",
        help=f"built-in data sets to run (default: all of {', '.join(BUILTIN)})",
    )
    run = parser.add_argument_group("models and validation")
    run.add_argument(
        "--models",
        nargs="+",
        type=comma_list,
        metavar="NAME",
        help=f"models to run, separated by spaces or commas (default: all): {models}",
    )
    run.add_argument(
        "--hidden",
        type=hidden_sizes,
        metavar="SIZES",
        help="hidden layer sizes of the networks, e.g. 64,32 "
        "(default: per data set; 100 for --csv)",
    )
    run.add_argument(
        "--alpha",
        type=penalty,
        metavar="ALPHA",
        help="L2 penalty of the networks (default: per data set; MLP's 1e-4 "
        "for --csv): on small or noisy data a larger one, such as 1, keeps "
        "the networks from overfitting",
    )
    run.add_argument(
        "--cv",
        type=n_folds,
        metavar="K",
        help="number of folds (default: 5, 3 for digits)",
    )
    run.add_argument(
        "--random-state",
        type=seed,
        default=0,
        metavar="SEED",
        help="seed of the folds and the networks (default: 0)",
    )
    run.add_argument(
        "--n-jobs",
        type=n_jobs,
        default=1,
        metavar="N",
        help="folds fitted in parallel, -1 for all cores (default: 1)",
    )
    out = parser.add_argument_group("output")
    out.add_argument(
        "--output", metavar="FILE", help="also write the results to a .csv or .json"
    )
    out.add_argument(
        "--plot",
        metavar="FILE",
        help="save a bar chart of the scores, e.g. scores.png (needs matplotlib)",
    )
    out.add_argument(
        "-q", "--quiet", action="store_true", help="no progress lines on stderr"
    )


def build_parser() -> argparse.ArgumentParser:
    """The ``skffnn`` argument parser with its ``compare`` subcommand.

    Returns
    -------
    parser : ArgumentParser
        The parser.
    """
    parser = argparse.ArgumentParser(
        prog="skffnn",
        description="Feed-forward neural networks for scikit-learn.",
    )
    parser.add_argument("--version", action="version", version=__version__)
    subparsers = parser.add_subparsers(dest="command", required=True)
    _add_compare(subparsers)
    return parser
