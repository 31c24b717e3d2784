"""The benchmarks' own helpers (the scripts themselves are run by hand)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

_common = pytest.importorskip("_common")


@pytest.mark.parametrize("n_items", [2, 3, 5])
def test_round_order_changes_every_contenders_predecessor(n_items):
    """Across rounds run back to back, each contender follows several others.

    A round_order fixed order kept each contender's predecessor in every round
    (round boundaries included), so one neighbour's after-effects, such as
    another library's threads still spinning, always hit the same
    contender.
    """
    items = [f"contender {i}" for i in range(n_items)]
    sequence = [item for r in range(5) for item in _common.round_order(items, r)]
    for r in range(5):
        assert sorted(_common.round_order(items, r)) == sorted(items)
    assert _common.round_order(items, 0) == items
    for item in items:
        predecessors = {
            sequence[i - 1] for i in range(1, len(sequence)) if sequence[i] == item
        }
        assert len(predecessors) >= min(2, n_items - 1), (item, predecessors)
