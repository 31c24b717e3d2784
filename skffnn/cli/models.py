"""The contenders: the network, a linear model, scikit-learn's MLP, a dummy.

Every model sits in the same Pipeline behind its data set's preprocessor, and
the FFNN and MLP models receive the same constructor parameters, so the table
compares like with like. Regression targets are standardized for every model
too: a network's initial weights assume outputs of unit scale.
"""

from sklearn.base import clone
from sklearn.compose import TransformedTargetRegressor
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from .. import FFNNClassifier, FFNNRegressor
from .errors import CommandError

MODEL_KEYS = ("ffnn", "linear", "mlp", "dummy")
ALIASES = {"logistic": "linear", "ridge": "linear"}


def resolve_models(names) -> list[str]:
    """Turn short model names into keys of ``MODEL_KEYS``, in order, once each.

    Parameters
    ----------
    names : list of str
        Short names; 'logistic' and 'ridge' both mean the linear baseline
        of the task.

    Returns
    -------
    keys : list of str
        The models to run.
    """
    keys = []
    for name in names:
        key = ALIASES.get(name.lower(), name.lower())
        if key not in MODEL_KEYS:
            choices = ", ".join([*MODEL_KEYS, *ALIASES])
            raise CommandError(f"unknown model {name!r}; choose from {choices}")
        if key not in keys:
            keys.append(key)
    return keys


def make_estimator(key: str, task: str, network: dict, random_state: int):
    """The bare estimator of one model for one task.

    Parameters
    ----------
    key : {'ffnn', 'linear', 'mlp', 'dummy'}
        Which model.
    task : {'classification', 'regression'}
        The learning task.
    network : dict
        Constructor parameters of the FFNN and MLP models.
    random_state : int
        Seed of the networks' initial weights and batches.

    Returns
    -------
    estimator : estimator
        An unfitted scikit-learn estimator.
    """
    classify = task == "classification"
    if key == "ffnn":
        cls = FFNNClassifier if classify else FFNNRegressor
        return cls(**network, random_state=random_state)
    if key == "mlp":
        cls = MLPClassifier if classify else MLPRegressor
        return cls(**network, random_state=random_state)
    if key == "linear":
        return LogisticRegression(max_iter=1000) if classify else Ridge()
    return DummyClassifier() if classify else DummyRegressor()


def make_model(key: str, dataset, random_state: int = 0):
    """One model ready for cross-validation on a data set.

    Parameters
    ----------
    key : {'ffnn', 'linear', 'mlp', 'dummy'}
        Which model.
    dataset : Dataset
        Supplies the task, the preprocessor and the network settings.
    random_state : int, default=0
        Seed of the networks.

    Returns
    -------
    name : str
        The estimator's class name, for the table.
    model : estimator
        The preprocessor and the estimator in a Pipeline (wrapped to
        standardize the target for regression).
    """
    estimator = make_estimator(key, dataset.task, dataset.network, random_state)
    model = Pipeline(
        [("preprocess", clone(dataset.preprocessor)), ("model", estimator)]
    )
    if dataset.task == "regression":
        model = TransformedTargetRegressor(model, transformer=StandardScaler())
    return type(estimator).__name__, model
