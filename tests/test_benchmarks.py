"""The benchmarks' own helpers (the scripts themselves are run by hand)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

_common = pytest.importorskip("_common")


@pytest.mark.parametrize("n_items", [3, 4, 5])
def test_round_order_changes_every_contenders_predecessor(n_items):
    """Within rounds, each contender runs after at least two others.

    A rotated fixed order kept each contender's predecessor in every round,
    so one neighbour's after-effects, such as another library's threads
    still spinning, always hit the same contender.
    """
    items = [f"contender {i}" for i in range(n_items)]
    rounds = [_common.round_order(items, r) for r in range(5)]
    assert rounds[0] == items
    for order in rounds:
        assert sorted(order) == sorted(items)
    for item in items:
        predecessors = {
            order[order.index(item) - 1] for order in rounds if order[0] != item
        }
        assert len(predecessors) >= 2, (item, predecessors)
