"""Cross-validate every model on every data set, one result at a time."""

import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import KFold, StratifiedKFold, cross_validate
from threadpoolctl import threadpool_limits

from .errors import CommandError
from .models import make_model

METRICS = {"classification": "accuracy", "regression": "r2"}


@dataclass(frozen=True)
class Result:
    """The cross-validated score of one model on one data set.

    Attributes
    ----------
    dataset, model, metric : str
        What was scored, by which model, with which metric.
    scores, fit_times : tuple of float
        Test score and fit time in seconds of each fold.
    """

    dataset: str
    model: str
    metric: str
    scores: tuple
    fit_times: tuple

    @property
    def mean(self) -> float:
        """Mean test score over the folds."""
        return float(np.mean(self.scores))

    @property
    def std(self) -> float:
        """Standard deviation of the test score over the folds."""
        return float(np.std(self.scores))

    @property
    def fit_time(self) -> float:
        """Mean fit time per fold, in seconds."""
        return float(np.mean(self.fit_times))


def make_splitter(task: str, n_splits: int, random_state: int = 0):
    """Shuffled k-fold splits, stratified by class for classification.

    Parameters
    ----------
    task : {'classification', 'regression'}
        The learning task.
    n_splits : int
        Number of folds, at least 2.
    random_state : int, default=0
        Seed of the shuffle.

    Returns
    -------
    cv : StratifiedKFold or KFold
        The splitter.
    """
    cls = StratifiedKFold if task == "classification" else KFold
    return cls(n_splits=n_splits, shuffle=True, random_state=random_state)


def evaluate(
    key: str, dataset, *, cv=None, random_state=0, n_jobs=1, note=None
) -> Result:
    """Cross-validate one model on one data set.

    Parameters
    ----------
    key : {'ffnn', 'linear', 'mlp', 'dummy'}
        Which model.
    dataset : Dataset
        The data and its preprocessing.
    cv : int, default=None
        Number of folds; None uses the data set's own.
    random_state : int, default=0
        Seed of the folds and of the networks.
    n_jobs : int, default=1
        Folds fitted in parallel.
    note : callable, default=None
        Receives each distinct warning raised while cross-validating (a
        class too rare for the folds, say) as one line; None drops them.
        With ``n_jobs`` other than 1, the fits' own warnings, raised in
        worker processes, are not seen.

    Returns
    -------
    result : Result
        Scores and fit times of every fold.
    """
    n_splits = dataset.cv if cv is None else cv
    if n_splits > len(dataset.y):
        raise CommandError(
            f"--cv {n_splits} needs at least {n_splits} rows, but "
            f"{dataset.name} has {len(dataset.y)}"
        )
    name, model = make_model(key, dataset, random_state)
    metric = METRICS[dataset.task]
    with warnings.catch_warnings(record=True) as caught:
        # A baseline that stops at max_iter still gives a fair score, and one
        # warning per fold would bury the table. Others become notes: the
        # folds' (a class too rare for them) here, the fits' when they run
        # in this process. Worker processes inherit these filters and print
        # what they catch raw, once per fold, so they catch nothing.
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", ConvergenceWarning)
        splitter = make_splitter(dataset.task, n_splits, random_state)
        folds = list(splitter.split(dataset.X, dataset.y))
        if n_jobs != 1:
            warnings.simplefilter("ignore")
        try:
            cv_results = cross_validate(
                model,
                dataset.X,
                dataset.y,
                cv=folds,
                scoring=metric,
                n_jobs=n_jobs,
                error_score="raise",
            )
        except ValueError as exc:
            raise CommandError(f"{name} failed on {dataset.name}: {exc}") from exc
    if note is not None:
        for line in dict.fromkeys(_note_line(w, dataset.name, name) for w in caught):
            note(line)
    return Result(
        dataset.name,
        name,
        metric,
        tuple(cv_results["test_score"].tolist()),
        tuple(cv_results["fit_time"].tolist()),
    )


def _note_line(warning, dataset, model):
    """A warning as one line, naming the model unless the folds raised it."""
    message = " ".join(str(warning.message).split())
    # The splitter's warnings (a class too rare for the folds) concern the
    # data set, and come again for every model: named once, for the data.
    if "model_selection" in warning.filename:
        return f"note ({dataset}): {message}"
    return f"note ({dataset}, {model}): {message}"


def compare(
    datasets, keys, *, cv=None, random_state=0, n_jobs=1, progress=None, note=None
) -> list[Result]:
    """Cross-validate each model on each data set.

    Parameters
    ----------
    datasets : list of Dataset
        The data sets, in table order.
    keys : list of str
        The models, in table order.
    cv : int, default=None
        Number of folds for every data set; None uses each one's own.
    random_state : int, default=0
        Seed of the folds and of the networks.
    n_jobs : int, default=1
        Folds fitted in parallel.
    progress : callable, default=None
        Called as ``progress(result, done, total)`` after each model.
    note : callable, default=None
        Receives the warnings of the cross-validations as lines (see
        :func:`evaluate`); None drops them.

    Returns
    -------
    results : list of Result
        One per (data set, model).
    """
    total = len(datasets) * len(keys)
    results = []
    if note is not None:
        note = _once(note)
    # These matrices are small: BLAS threads spend more time waiting for each
    # other than multiplying (3-4x slower on a busy 2-core machine), so each
    # fit gets one core and --n-jobs parallelizes over folds instead.
    with threadpool_limits(limits=1, user_api="blas"):
        for dataset in datasets:
            for key in keys:
                result = evaluate(
                    key,
                    dataset,
                    cv=cv,
                    random_state=random_state,
                    n_jobs=n_jobs,
                    note=note,
                )
                results.append(result)
                if progress is not None:
                    progress(result, len(results), total)
    return results


def _once(note):
    """note, passing on each distinct line only the first time."""
    seen = set()

    def note_once(line):
        if line not in seen:
            seen.add(line)
            note(line)

    return note_once
