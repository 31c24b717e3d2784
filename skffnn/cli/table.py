"""The results as a printed table, a progress line, a CSV or a JSON file."""

import csv
import json
from pathlib import Path

from .errors import CommandError

HEADER = ("dataset", "model", "metric", "score (mean ± std)", "fit time (s)")
OUTPUT_FORMATS = (".csv", ".json")


def _cells(result):
    return (
        result.dataset,
        result.model,
        result.metric,
        f"{result.mean:.3f} ± {result.std:.3f}",
        f"{result.fit_time:.3f}",
    )


def format_table(results) -> str:
    """Lay the results out in aligned columns, one row per model.

    Parameters
    ----------
    results : list of Result
        The rows, in order.

    Returns
    -------
    table : str
        A header, a rule and one line per result; numbers right-aligned.
    """
    rows = [HEADER, *(_cells(result) for result in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]

    def line(row):
        text = [cell.ljust(width) for cell, width in zip(row[:3], widths)]
        text += [cell.rjust(width) for cell, width in zip(row[3:], widths[3:])]
        return "  ".join(text)

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(HEADER), rule, *(line(row) for row in rows[1:])])


def format_progress(result, done: int, total: int) -> str:
    """One line announcing a finished (data set, model) pair.

    Parameters
    ----------
    result : Result
        The model just cross-validated.
    done, total : int
        How many results are finished, out of how many.

    Returns
    -------
    line : str
        For example ``[ 3/28] xor  MLPClassifier  accuracy 0.990 ± 0.009``.
    """
    dataset, model, metric, score, fit_time = _cells(result)
    width = len(str(total))
    return (
        f"[{done:>{width}}/{total}] {dataset}  {model}  {metric} {score}  "
        f"({fit_time} s per fold)"
    )


def check_output_path(path) -> Path:
    """Fail early on an output file that could not be written.

    Parameters
    ----------
    path : str or Path
        Where the results will go; the extension picks the format.

    Returns
    -------
    path : Path
        The same path.
    """
    path = Path(path)
    if path.suffix.lower() not in OUTPUT_FORMATS:
        raise CommandError(
            f"--output {path}: unknown format {path.suffix or '(no extension)'}; "
            "use a .csv or .json file name"
        )
    if not path.parent.is_dir():
        raise CommandError(f"--output {path}: directory {path.parent} does not exist")
    return path


def _record(result):
    return {
        "dataset": result.dataset,
        "model": result.model,
        "metric": result.metric,
        "mean": result.mean,
        "std": result.std,
        "fit_time": result.fit_time,
        "scores": list(result.scores),
        "fit_times": list(result.fit_times),
    }


def write_results(results, path) -> None:
    """Write the results to a .csv or .json file.

    The CSV holds one row per result with the mean and std of the score and
    the mean fit time per fold; the JSON is a list of records that also
    holds every fold's score and fit time.

    Parameters
    ----------
    results : list of Result
        What to write.
    path : str or Path
        Destination; its extension, .csv or .json, picks the format.
    """
    path = check_output_path(path)
    records = [_record(result) for result in results]
    try:
        with path.open("w", newline="", encoding="utf-8") as file:
            if path.suffix.lower() == ".json":
                json.dump(records, file, indent=2)
                file.write("\n")
            else:
                columns = ["dataset", "model", "metric", "mean", "std", "fit_time"]
                writer = csv.DictWriter(file, columns, extrasaction="ignore")
                writer.writeheader()
                writer.writerows(records)
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror}") from exc
