"""Tune a network like any scikit-learn estimator: Pipeline + GridSearchCV.

FFNNClassifier takes MLPClassifier's parameters, so the usual model
selection tools apply unchanged. Here a StandardScaler and the network sit
in one Pipeline (the scaler is refitted inside every fold, so no test pixel
leaks into training), and a grid search over the width of the hidden layer,
the L2 penalty alpha and Adam's step size picks the setting with the best
cross-validated accuracy on the 8x8 handwritten digits. The held-out test
set then says how well that choice generalizes. Run::

    python examples/pipeline_grid_search.py
"""

from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from skffnn import FFNNClassifier

PARAM_GRID = {
    "ffnn__hidden_layer_sizes": [(32,), (64,)],
    "ffnn__alpha": [1e-4, 1e-1],
    "ffnn__learning_rate_init": [1e-3, 1e-2],
}


def main():
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    pipeline = Pipeline(
        [
            ("scale", StandardScaler()),
            # Early stopping ends each fit once the held-out score stalls,
            # which keeps the 8 x 3 fits of the search to a few seconds.
            ("ffnn", FFNNClassifier(early_stopping=True, random_state=0)),
        ]
    )
    search = GridSearchCV(pipeline, PARAM_GRID, cv=3)
    search.fit(X_train, y_train)

    results = search.cv_results_
    print("mean CV accuracy  hidden  alpha   learning_rate_init")
    for mean, params in zip(results["mean_test_score"], results["params"]):
        print(
            f"{mean:16.3f}  {params['ffnn__hidden_layer_sizes']!s:<6}  "
            f"{params['ffnn__alpha']:<6g}  {params['ffnn__learning_rate_init']:g}"
        )
    print(f"best parameters: {search.best_params_}")
    print(f"best CV accuracy: {search.best_score_:.3f}")
    print(
        f"test accuracy of the refitted best model: {search.score(X_test, y_test):.3f}"
    )


if __name__ == "__main__":
    main()
