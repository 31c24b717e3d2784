"""A user's CSV file as a data set: read, check the target, build preprocessing."""

import csv
from pathlib import Path

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from .datasets import Dataset
from .errors import CommandError

# A numeric target with at most this many distinct whole-number values is
# taken for class labels (ratings, codes, 0/1); anything else is regressed.
MAX_CLASSES_GUESSED = 20

# Below this many rows full-batch L-BFGS is fast and usually the most
# accurate solver; above it Adam with early stopping keeps fits bounded.
LBFGS_MAX_SAMPLES = 1000

# The separators a CSV file is sniffed for (European spreadsheets write ';').
SEPARATORS = ",;\t|"

# A text column whose values are numbers but for this share of them is
# taken for numbers with placeholders ('?', 'n.a.') and said so.
MOSTLY_NUMBERS = 0.9


def _pandas():
    try:
        import pandas
    except ImportError as exc:
        raise CommandError("--csv requires pandas: pip install pandas") from exc
    return pandas


def read_csv(path: str | Path):
    """Read a CSV file into a DataFrame, turning every failure into one message.

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    frame : DataFrame
        The table, with at least one row.
    """
    pd = _pandas()
    try:
        sep = _separator(path)
        frame = pd.read_csv(path, sep=sep)
        if sep == ";" and _decimal_commas(frame):
            # Spreadsheets that separate fields with ';' write 1,5 for 1.5.
            frame = pd.read_csv(path, sep=sep, decimal=",")
    except FileNotFoundError as exc:
        raise CommandError(f"{path}: no such file") from exc
    except pd.errors.EmptyDataError as exc:
        raise CommandError(f"{path}: the file is empty") from exc
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        reason = " ".join(str(exc).split())  # pandas' messages span lines
        raise CommandError(f"{path}: cannot read it as CSV ({reason})") from exc
    if len(frame) == 0:
        raise CommandError(f"{path}: the file has a header but no data rows")
    return frame


def _decimal_commas(frame):
    """Whether a text column holds numbers written with a decimal comma."""
    pattern = r"^\s*[-+]?\d+,\d+\s*$"
    for column in frame.columns:
        values = frame[column].dropna()
        if len(values) and not _is_number(values):
            matches = values.astype(str).str.match(pattern)
            if matches.mean() >= MOSTLY_NUMBERS:
                return True
    return False


def _separator(path):
    """The file's separator among SEPARATORS, sniffed from its first lines.

    A comma when the sniffer cannot tell (one column, or an unreadable
    file: read_csv then says what is wrong).
    """
    try:
        with open(path, newline="", encoding="utf-8", errors="replace") as f:
            sample = f.read(64 * 1024)
        return csv.Sniffer().sniff(sample, delimiters=SEPARATORS).delimiter
    except (OSError, csv.Error):
        return ","


def _is_number(y):
    """Whether a column holds numbers (booleans and text do not count)."""
    types = _pandas().api.types
    return types.is_numeric_dtype(y) and not types.is_bool_dtype(y)


def _whole(y):
    values = y.to_numpy(dtype=float)
    return bool(np.array_equal(values, np.round(values)))


def infer_task(y) -> str:
    """Guess 'classification' or 'regression' from a target column.

    Text, booleans and categories are class labels; so are numbers when all
    are whole and at most ``MAX_CLASSES_GUESSED`` distinct values occur.
    Any other numeric target is regressed.

    Parameters
    ----------
    y : Series
        The target, without missing values.

    Returns
    -------
    task : {'classification', 'regression'}
        The guess.
    """
    if not _is_number(y):
        return "classification"
    few = y.nunique() <= MAX_CLASSES_GUESSED
    return "classification" if _whole(y) and few else "regression"


def check_target(y, task: str, source: str):
    """The target as an array fit for the task, or a clear error.

    Parameters
    ----------
    y : Series
        The target, without missing values.
    task : {'classification', 'regression'}
        The learning task.
    source : str
        Where y comes from, for messages.

    Returns
    -------
    y : ndarray of shape (n_samples,)
        Class labels, or floats for regression.
    """
    if task == "regression":
        if not _is_number(y):
            text = y[_pandas().to_numeric(y, errors="coerce").isna()]
            text = y if text.empty else text  # a boolean column converts
            examples = ", ".join(repr(v) for v in text.drop_duplicates().head(3))
            raise CommandError(
                f"{source}: regression needs a numeric target, but it holds "
                f"values such as {examples}; use --task classification"
            )
        return y.to_numpy(dtype=float)
    if _is_number(y) and not _whole(y):
        fractions = y[y != y.round()]
        examples = ", ".join(repr(v) for v in fractions.drop_duplicates().head(3))
        raise CommandError(
            f"{source}: classification needs class labels, but it holds "
            f"continuous values such as {examples}; use --task regression"
        )
    classes = y.unique()
    if len(classes) < 2:
        raise CommandError(
            f"{source}: classification needs at least 2 classes, but every "
            f"row has the class {str(classes[0])!r}"
        )
    return y.to_numpy()


def check_guessed_classes(y, source: str):
    """Refuse a guessed classification target whose classes are nearly rows.

    Text in a column of numbers (a placeholder such as 'n.a.') makes it
    look like labels; so does an identifier. Cross-validation would then
    fail on classes of one member, with a message about folds.

    Parameters
    ----------
    y : Series
        The target, without missing values.
    source : str
        Where y comes from, for messages.
    """
    n_classes, n_rows = y.nunique(), len(y)
    if not _is_number(y) and n_classes > n_rows / 2:
        numbers = _pandas().to_numeric(y, errors="coerce").notna().mean()
        hint = (
            "its values are numbers but for some text (a placeholder?): clean "
            "it and use --task regression"
            if numbers >= MOSTLY_NUMBERS
            else "it looks like an identifier, not a label; pick another column "
            "(or keep it with --task classification)"
        )
        raise CommandError(
            f"{source}: taken for class labels (text), but it has {n_classes} "
            f"distinct values in {n_rows} rows; {hint}"
        )


def describe_columns(X, source: str) -> list[str]:
    """Notes on how the feature columns will be read, one line each.

    Names the columns one-hot encoded as categories, warns of text columns
    that are numbers but for a few placeholders (they would be encoded as
    categories, not numbers) and of a saved DataFrame index.

    Parameters
    ----------
    X : DataFrame
        The feature columns.
    source : str
        The file, for messages.

    Returns
    -------
    notes : list of str
    """
    notes = []
    categorical = [c for c in X.columns if not _is_number(X[c])]
    if categorical:
        listed = ", ".join(f"{c!r} ({X[c].nunique()} values)" for c in categorical)
        notes.append(f"{source}: one-hot encoding the text column(s) {listed}")
    for column in categorical:
        values = X[column].dropna()
        numbers = _pandas().to_numeric(values, errors="coerce")
        if len(values) and numbers.notna().mean() >= MOSTLY_NUMBERS:
            text = values[numbers.isna()].drop_duplicates().head(3)
            examples = ", ".join(repr(str(v)) for v in text)
            notes.append(
                f"{source}: column {column!r} holds numbers but for {examples}: "
                "encoded as categories; leave such cells empty to have it read "
                "as numbers (missing values are imputed)"
            )
    for column in X.columns:
        if str(column).startswith("Unnamed: "):
            notes.append(
                f"{source}: column {column!r} has no name (a saved DataFrame "
                "index?) and is used as a feature; drop it if it numbers rows"
            )
    return notes


def make_preprocessor(X):
    """Impute and scale numeric columns, impute and one-hot encode the rest.

    Parameters
    ----------
    X : DataFrame
        The feature columns.

    Returns
    -------
    preprocessor : ColumnTransformer
        Unfitted; fitted inside each cross-validation fold.
    """
    numeric = [column for column in X.columns if _is_number(X[column])]
    categorical = [column for column in X.columns if column not in numeric]
    return ColumnTransformer(
        [
            (
                "numeric",
                make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
                numeric,
            ),
            (
                "categorical",
                make_pipeline(
                    SimpleImputer(strategy="most_frequent"),
                    OneHotEncoder(handle_unknown="ignore"),
                ),
                categorical,
            ),
        ]
    )


def default_network(n_samples: int, hidden=(100,)) -> dict:
    """Network settings for a user's data set of a given size.

    Parameters
    ----------
    n_samples : int
        Rows in the data set.
    hidden : tuple of int, default=(100,)
        Hidden layer sizes.

    Returns
    -------
    network : dict
        Constructor parameters of the FFNN and MLP models.
    """
    if n_samples <= LBFGS_MAX_SAMPLES:
        return {"hidden_layer_sizes": hidden, "solver": "lbfgs", "max_iter": 500}
    return {"hidden_layer_sizes": hidden, "solver": "adam", "early_stopping": True}


def load_csv(
    path: str | Path, target: str, task: str | None = None, note=print
) -> Dataset:
    """A CSV file as a data set, with the column ``target`` to predict.

    Rows whose target is missing are dropped (and ``note`` says how many);
    missing feature values are imputed inside the pipeline.

    Parameters
    ----------
    path : str or Path
        The CSV file, with a header row.
    target : str
        Name of the target column.
    task : {'classification', 'regression'}, default=None
        None guesses it with :func:`infer_task`.
    note : callable, default=print
        Receives a line of text about rows dropped, the task guessed and
        how the feature columns are read.

    Returns
    -------
    dataset : Dataset
        The features as a DataFrame, the target as an array, 5 folds.
    """
    frame = read_csv(path)
    source = f"{path}, column {target!r}"
    if target not in frame.columns:
        columns = ", ".join(map(repr, frame.columns))
        raise CommandError(f"{path}: no column {target!r}; the columns are {columns}")
    if frame.shape[1] < 2:
        raise CommandError(f"{path}: no feature columns besides the target")
    missing = frame[target].isna()
    if missing.all():
        raise CommandError(f"{source}: the target is missing in every row")
    if missing.any():
        note(f"{path}: dropped {int(missing.sum())} row(s) with no {target!r} value")
        frame = frame.loc[~missing]
    y = frame.pop(target)
    # True/False features: numbers to the models (SimpleImputer refuses bool).
    for column in frame.columns:
        if _pandas().api.types.is_bool_dtype(frame[column]):
            frame[column] = frame[column].astype(float)
    if task is None:
        task = infer_task(y)
        if task == "classification":
            check_guessed_classes(y, source)
        other = "regression" if task == "classification" else "classification"
        kind = f" with {y.nunique()} classes" if task == "classification" else ""
        note(f"{source}: {task}{kind}, guessed (--task {other} to change it)")
    y = check_target(y, task, source)
    for line in describe_columns(frame, str(path)):
        note(line)
    return Dataset(
        Path(path).stem,
        frame,
        y,
        task,
        preprocessor=make_preprocessor(frame),
        network=default_network(len(frame)),
    )
