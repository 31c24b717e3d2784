"""The ``skffnn`` command: ``skffnn compare`` and ``python -m skffnn compare``."""

import dataclasses
import sys

from .arguments import build_parser
from .chart import plot_scores, require_matplotlib
from .compare import compare
from .datasets import builtin_datasets
from .errors import CommandError
from .models import MODEL_KEYS, resolve_models
from .table import check_output_path, format_progress, format_table, write_results
from .userdata import default_network, load_csv

__all__ = ["main"]


def _stderr(line):
    print(line, file=sys.stderr, flush=True)


def _check_data_arguments(args):
    if args.csv is None:
        for option in ("target", "task"):
            if getattr(args, option) is not None:
                raise CommandError(f"--{option} applies to --csv data only")
    elif args.target is None:
        raise CommandError("--csv needs --target COLUMN, the column to predict")
    elif args.datasets is not None:
        raise CommandError("--datasets selects built-in data; drop it with --csv")


def _load_datasets(args):
    if args.csv is None:
        datasets = builtin_datasets(args.datasets)
    else:
        note = (lambda line: None) if args.quiet else _stderr
        dataset = load_csv(args.csv, args.target, args.task, note=note)
        if args.hidden is not None:
            dataset.network = default_network(len(dataset.y), args.hidden)
        datasets = [dataset]
    chosen = {"hidden_layer_sizes": args.hidden, "alpha": args.alpha}
    chosen = {name: value for name, value in chosen.items() if value is not None}
    return [dataclasses.replace(d, network={**d.network, **chosen}) for d in datasets]


def run_compare(args) -> int:
    """Run ``skffnn compare`` with parsed arguments.

    Parameters
    ----------
    args : Namespace
        As parsed by :func:`skffnn.cli.arguments.build_parser`.

    Returns
    -------
    status : int
        0 on success.
    """
    _check_data_arguments(args)
    # An empty list would silently mean no data set, or every model.
    if args.datasets == []:
        raise CommandError("--datasets names no data set")
    models = args.models and [name for names in args.models for name in names]
    if models == []:
        raise CommandError("--models names no model")
    keys = resolve_models(models) if models else list(MODEL_KEYS)
    if args.output is not None:
        check_output_path(args.output)
    if args.plot is not None:
        require_matplotlib(args.plot)
    datasets = _load_datasets(args)

    def progress(result, done, total):
        _stderr(format_progress(result, done, total))

    results = compare(
        datasets,
        keys,
        cv=args.cv,
        random_state=args.random_state,
        n_jobs=args.n_jobs,
        progress=None if args.quiet else progress,
        note=None if args.quiet else _stderr,
    )
    print(format_table(results))
    if args.output is not None:
        write_results(results, args.output)
    if args.plot is not None:
        plot_scores(results, args.plot)
    return 0


def main(argv=None) -> int:
    """Entry point of the ``skffnn`` console script.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments after the program name; None reads ``sys.argv``.

    Returns
    -------
    status : int
        0 on success, 2 on bad arguments or unusable data, 1 when the
        networks do not fit in memory (the message goes to stderr).
    """
    args = build_parser().parse_args(argv)
    try:
        return run_compare(args)
    except CommandError as exc:
        _stderr(f"skffnn {args.command}: error: {exc}")
        return 2
    except MemoryError as exc:  # --hidden 100000000, or data too large
        _stderr(
            f"skffnn {args.command}: error: out of memory ({exc}). Choose "
            "smaller --hidden sizes, less data or fewer --n-jobs."
        )
        return 1
