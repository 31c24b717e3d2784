"""Learning from a stream: partial_fit on chunks that never sit in memory together.

When data arrives in pieces (read from disk in chunks, or produced by a
sensor), ``partial_fit`` runs one epoch of the stochastic solver over each
piece and keeps the network, the optimizer's state (Adam's moment
estimates) and the learning-rate schedule between calls. The first call
must name every class that will ever appear (``classes=``), since a chunk
need not contain them all.

A generator yields chunks of 500 fresh points from the two-moons
distribution; after each chunk the script prints the accuracy on a fixed
held-out set, for the network and for a linear model trained on the same
stream (SGDClassifier with the logistic loss). The linear model levels off
where its straight boundary allows; the network keeps improving. The curves
are saved to ``streaming.png``. Run::

    python examples/partial_fit_streaming.py
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_moons
from sklearn.linear_model import SGDClassifier

from skffnn import FFNNClassifier

CLASSES = np.array([0, 1])


def stream(n_chunks=20, chunk_size=500, noise=0.2):
    """Yield (X, y) chunks of new samples from the same distribution."""
    for seed in range(n_chunks):
        yield make_moons(n_samples=chunk_size, noise=noise, random_state=seed)


def main():
    X_test, y_test = make_moons(n_samples=2000, noise=0.2, random_state=1000)
    models = {
        # One epoch per chunk: small batches give Adam 20 steps per chunk.
        "FFNNClassifier": FFNNClassifier(
            hidden_layer_sizes=(32,),
            batch_size=25,
            learning_rate_init=0.01,
            random_state=0,
        ),
        "SGDClassifier(log_loss)": SGDClassifier(
            loss="log_loss", average=True, random_state=0
        ),
    }
    n_seen, seen, history = 0, [], {name: [] for name in models}
    print(f"{'samples seen':>12}" + "".join(f"{name:>26}" for name in models))
    for X_chunk, y_chunk in stream():
        n_seen += len(y_chunk)
        seen.append(n_seen)
        for name, model in models.items():
            model.partial_fit(X_chunk, y_chunk, classes=CLASSES)
            history[name].append(model.score(X_test, y_test))
        print(f"{seen[-1]:>12}" + "".join(f"{h[-1]:>26.3f}" for h in history.values()))

    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    for name, accuracy in history.items():
        ax.plot(seen, accuracy, marker="o", label=name)
    ax.set(
        xlabel="samples seen", ylabel="held-out accuracy", title="Two moons, streamed"
    )
    ax.legend()
    fig.savefig("streaming.png", dpi=100)
    print("saved streaming.png")


if __name__ == "__main__":
    main()
