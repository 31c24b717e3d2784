"""Ctrl+C during training: a request honoured between two steps.

A KeyboardInterrupt raised in the middle of an update would leave theta
and the optimizer's state half-changed. While training runs, SIGINT only
records a request, which the training loop checks after each complete
step (a mini-batch update, or an L-BFGS loss evaluation) before it stops
with a usable model. A second Ctrl+C soon after is the user wanting out:
it raises KeyboardInterrupt at once, and the fit leaves the estimator as
the call found it.
"""

import signal
import threading
import time
from contextlib import contextmanager

# A second Ctrl+C within this many seconds of the first stops at once, even
# when the first has already ended its fit: in cross-validation or a stream
# of partial_fit calls, the first press ends a fit within one step and the
# loop starts the next before a user can press again.
SECOND_PRESS_SECONDS = 2.0

# time.monotonic() of the last press honoured as a request, across fits.
_last_request = [-float("inf")]


class StopRequests:
    """The Ctrl+C presses received during one fit.

    True once a press asks training to stop after the current step;
    ``at_once`` once a second press raised KeyboardInterrupt, which the
    training loop must let through instead of stopping gracefully.
    """

    def __init__(self):
        self.pending = False
        self.at_once = False

    def __bool__(self):
        return self.pending

    def press(self):
        """Record a press; raise KeyboardInterrupt if it is a second one."""
        now = time.monotonic()
        if self.pending or now - _last_request[0] < SECOND_PRESS_SECONDS:
            self.at_once = True
            raise KeyboardInterrupt
        _last_request[0] = now
        self.pending = True


@contextmanager
def sigint_between_steps():
    """Turn Ctrl+C into a request that training honours after the step.

    Yields a :class:`StopRequests` that the SIGINT handler records presses
    in; the loop checks it after each step, so the interrupted step
    completes and theta and the optimizer state stay consistent. A second
    press, in this fit or within ``SECOND_PRESS_SECONDS`` of a first one
    that ended an earlier fit, interrupts at once. Handlers can only be set
    from the main thread, and one that is not Python's default (a
    notebook's, a server's) is left alone: there a KeyboardInterrupt is
    caught wherever it lands, and stops training as a request would.
    """
    requests = StopRequests()
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield requests
        return

    def request_stop(signum, frame):
        requests.press()

    previous = signal.signal(signal.SIGINT, request_stop)
    try:
        yield requests
    finally:
        signal.signal(signal.SIGINT, previous)
