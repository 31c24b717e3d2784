"""Beyond one machine: searches on a dask cluster, training on chunked arrays.

Needs the ``dask`` extra (dask[distributed], dask-ml); skipped without it.
"""

import numpy as np
import pytest

REASON = "needs the 'dask' extra: pip install '.[dask]'"
da = pytest.importorskip("dask.array", reason=REASON)
distributed = pytest.importorskip("distributed", reason=REASON)
dask_ml_wrappers = pytest.importorskip("dask_ml.wrappers", reason=REASON)

import joblib  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.model_selection import (  # noqa: E402
    GridSearchCV,
    RandomizedSearchCV,
    train_test_split,
)

from skffnn import FFNNClassifier, FFNNRegressor  # noqa: E402

pytestmark = pytest.mark.usefixtures("quiet_convergence")


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return train_test_split(X / 16.0, y, test_size=0.25, random_state=0)


def _cluster(processes):
    return distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=processes,
        dashboard_address=":0",  # any free port: never clash with a running one
        silence_logs=40,  # logging.ERROR: no worker chatter in test output
    )


@pytest.fixture(scope="module")
def client():
    """Two single-threaded workers in this process (threads)."""
    with _cluster(processes=False) as cluster, distributed.Client(cluster) as c:
        yield c


def _search_results(search, X, y, backend):
    if backend is None:
        search.fit(X, y)
    else:
        with joblib.parallel_backend(backend):
            search.fit(X, y)
    return search.cv_results_["mean_test_score"], search.best_params_


def test_grid_search_on_dask_gives_sequential_results(client, digits):
    X, _, y, _ = digits
    grid = {"alpha": [1e-4, 1e-1], "hidden_layer_sizes": [(8,), (16,)]}
    est = FFNNClassifier(max_iter=15, random_state=0)

    sequential = _search_results(GridSearchCV(est, grid, cv=3), X, y, None)
    on_dask = _search_results(GridSearchCV(est, grid, cv=3, n_jobs=-1), X, y, "dask")

    np.testing.assert_array_equal(on_dask[0], sequential[0])
    assert on_dask[1] == sequential[1]


def test_randomized_search_across_processes(digits):
    """Worker processes receive the estimator pickled, fit it, send it back."""
    X, _, y, _ = digits
    X, y = X[:600], y[:600]
    space = {"alpha": [1e-5, 1e-3, 1e-1], "learning_rate_init": [1e-3, 1e-2]}
    est = FFNNRegressor(hidden_layer_sizes=(8,), max_iter=10, random_state=0)
    kw = dict(n_iter=4, cv=2, random_state=0, refit=True)

    sequential = _search_results(RandomizedSearchCV(est, space, **kw), X, y, None)
    with _cluster(processes=True) as cluster, distributed.Client(cluster):
        search = RandomizedSearchCV(est, space, n_jobs=-1, **kw)
        on_dask = _search_results(search, X, y, "dask")

    np.testing.assert_allclose(on_dask[0], sequential[0], rtol=1e-12)
    assert on_dask[1] == sequential[1]
    assert np.isfinite(search.predict(X[:5])).all()


def test_incremental_on_chunked_array_reaches_in_memory_accuracy(client, digits):
    X_train, X_test, y_train, y_test = digits
    n_epochs = 25
    in_memory = FFNNClassifier(max_iter=n_epochs, random_state=0)
    in_memory.fit(X_train, y_train)

    X_blocks = da.from_array(X_train, chunks=(150, X_train.shape[1]))
    y_blocks = da.from_array(y_train, chunks=150)
    inc = dask_ml_wrappers.Incremental(
        FFNNClassifier(random_state=0), shuffle_blocks=True, random_state=0
    )
    classes = np.unique(y_train)
    for _ in range(n_epochs):  # one pass = one partial_fit per block
        inc.partial_fit(X_blocks, y_blocks, classes=classes)

    n_blocks = X_blocks.numblocks[0]
    assert inc.estimator_.t_ == n_epochs * len(X_train)
    assert len(inc.estimator_.loss_curve_) == n_epochs * n_blocks
    accuracy = inc.estimator_.score(X_test, y_test)
    assert accuracy >= in_memory.score(X_test, y_test) - 0.02


def test_parallel_post_fit_predicts_lazily(client, digits):
    X_train, X_test, y_train, _ = digits
    model = dask_ml_wrappers.ParallelPostFit(
        FFNNClassifier(hidden_layer_sizes=(16,), max_iter=20, random_state=0)
    ).fit(X_train, y_train)
    X_blocks = da.from_array(X_test, chunks=(100, X_test.shape[1]))

    labels = model.predict(X_blocks)
    proba = model.predict_proba(X_blocks)

    assert isinstance(labels, da.Array) and isinstance(proba, da.Array)
    np.testing.assert_array_equal(labels.compute(), model.estimator.predict(X_test))
    np.testing.assert_allclose(
        proba.compute(), model.estimator.predict_proba(X_test), rtol=1e-12
    )
