"""How the parameters move: optimizers, schedules and the two training loops."""

from .history import History
from .lbfgs import run_lbfgs
from .optimizers import SGD, Adam, AdamW, OptimizerState, RMSprop
from .schedules import make_schedule
from .stochastic import EpochHooks, run_epochs

__all__ = [
    "SGD",
    "Adam",
    "AdamW",
    "RMSprop",
    "EpochHooks",
    "History",
    "OptimizerState",
    "make_schedule",
    "run_epochs",
    "run_lbfgs",
]
