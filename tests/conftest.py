"""Fixtures shared by the test modules."""

import warnings

import pytest
from sklearn.exceptions import ConvergenceWarning


@pytest.fixture
def quiet_convergence():
    """Silence ConvergenceWarning: these tests fit for few epochs on purpose.

    pytest.warns inside a test still records the warning it expects.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield
