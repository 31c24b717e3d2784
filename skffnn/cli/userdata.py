"""A user's CSV file as a data set: read, check the target, build preprocessing."""

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
        frame = pd.read_csv(path)
    except FileNotFoundError as exc:
        raise CommandError(f"{path}: no such file") from exc
    except pd.errors.EmptyDataError as exc:
        raise CommandError(f"{path}: the file is empty") from exc
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise CommandError(f"{path}: cannot read it as CSV ({exc})") from exc
    if len(frame) == 0:
        raise CommandError(f"{path}: the file has a header but no data rows")
    return frame


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
            f"row has the class {classes[0]!r}"
        )
    return y.to_numpy()


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
        Receives a line of text about rows dropped.

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
    task = task or infer_task(y)
    y = check_target(y, task, source)
    return Dataset(
        Path(path).stem,
        frame,
        y,
        task,
        preprocessor=make_preprocessor(frame),
        network=default_network(len(frame)),
    )
