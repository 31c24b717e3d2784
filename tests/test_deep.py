"""A deep network (32 hidden layers) trains with the documented setting."""

import warnings

from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skffnn import FFNNClassifier


def test_32_hidden_layers_reach_95_percent_on_digits():
    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, stratify=y, random_state=0
    )
    model = FFNNClassifier(
        hidden_layer_sizes=(64,) * 32,
        activation="tanh",
        weight_init="lecun_normal",
        learning_rate_init=3e-4,
        batch_size=64,
        n_iter_no_change=30,
        max_iter=150,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X_train, y_train)
    assert model.n_layers_ == 34
    assert model.score(X_test, y_test) >= 0.95
