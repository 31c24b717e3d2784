"""A bar chart of the scores, one panel per data set, with std error bars."""

import math
from pathlib import Path

from .errors import CommandError

# Panels per row: seven data sets fit in two rows.
_MAX_COLUMNS = 4


def require_matplotlib(path) -> Path:
    """Check, before any model is fitted, that the chart can be written.

    Parameters
    ----------
    path : str or Path
        Where the chart will go; the extension picks the image format.

    Returns
    -------
    path : Path
        The same path.
    """
    path = Path(path)
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise CommandError(
            "--plot requires matplotlib: pip install matplotlib"
        ) from exc
    formats = Figure().canvas.get_supported_filetypes()
    if path.suffix.lower().lstrip(".") not in formats:
        raise CommandError(
            f"--plot {path}: unknown image format {path.suffix or '(none)'}; "
            f"use one of {', '.join('.' + ext for ext in sorted(formats))}"
        )
    if not path.parent.is_dir():
        raise CommandError(f"--plot {path}: directory {path.parent} does not exist")
    return path


def plot_scores(results, path) -> None:
    """Save a bar chart of the mean scores with std error bars.

    Parameters
    ----------
    results : list of Result
        The scores; one panel per data set, one bar per model.
    path : str or Path
        The image file to write.
    """
    from matplotlib.figure import Figure

    datasets = list(dict.fromkeys(result.dataset for result in results))
    n_columns = min(len(datasets), _MAX_COLUMNS)
    n_rows = math.ceil(len(datasets) / n_columns)
    figure = Figure(figsize=(3.2 * n_columns, 3.2 * n_rows), layout="constrained")
    axes = figure.subplots(n_rows, n_columns, squeeze=False).ravel()
    for ax, dataset in zip(axes, datasets):
        rows = [result for result in results if result.dataset == dataset]
        ax.bar(
            range(len(rows)),
            [result.mean for result in rows],
            yerr=[result.std for result in rows],
            color=[f"C{i}" for i in range(len(rows))],
            capsize=4,
        )
        ax.set_xticks(
            range(len(rows)),
            [result.model for result in rows],
            rotation=40,
            ha="right",
            rotation_mode="anchor",
        )
        ax.set_title(dataset)
        ax.set_ylabel(rows[0].metric)
    for ax in axes[len(datasets) :]:
        ax.set_visible(False)
    figure.savefig(path)
