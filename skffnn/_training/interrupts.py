"""Ctrl+C during training: a request honoured between two steps.

A KeyboardInterrupt raised in the middle of an update would leave theta
and the optimizer's state half-changed. While training runs, SIGINT only
records a request, which the training loop checks after each complete
step (a mini-batch update, or an L-BFGS loss evaluation) before it stops
with a usable model.
"""

import signal
import threading
from contextlib import contextmanager


@contextmanager
def sigint_between_steps():
    """Turn Ctrl+C into a request that training honours after the step.

    Yields a list that the SIGINT handler appends to; the loop checks it
    after each step, so the interrupted step completes and theta and the
    optimizer state stay consistent. A second Ctrl+C interrupts at once.
    Handlers can only be set from the main thread, and one that is not
    Python's default (a notebook's, a server's) is left alone: there a
    KeyboardInterrupt is caught wherever it lands.
    """
    requests = []
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield requests
        return

    def request_stop(signum, frame):
        if requests:
            raise KeyboardInterrupt
        requests.append(signum)

    previous = signal.signal(signal.SIGINT, request_stop)
    try:
        yield requests
    finally:
        signal.signal(signal.SIGINT, previous)
