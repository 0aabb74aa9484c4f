"""Stopping the local service cleanly on SIGTERM and SIGINT, however it was started.

Python turns only SIGINT into ``KeyboardInterrupt``, and only when SIGINT was not ignored at start: a job started
in the background by a non-interactive shell (``antidote serve &`` in a script) inherits SIGINT ignored, and
SIGTERM (``kill``, ``docker stop``, systemd) ends the process at once, without cleanup. Both handlers are therefore
installed explicitly and raise ``KeyboardInterrupt`` in the main thread, so every ``with`` block unwinds: stop
accepting requests, let deliveries under way finish (the rest stays in the durable queues), stop DynamoDB Local,
remove the endpoint file.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Stopping(KeyboardInterrupt):
    """Raised in the main thread by SIGTERM or SIGINT."""


def _while_stopping(signum: int, frame: FrameType | None) -> None:
    sys.stderr.write(f"{signal.Signals(signum).name}: already stopping\n")


def _stop(signum: int, frame: FrameType | None) -> None:
    for stop_signal in STOP_SIGNALS:  # a second signal must not break off the cleanup half-way
        signal.signal(stop_signal, _while_stopping)
    raise Stopping(signal.Signals(signum).name)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGINT raise :class:`Stopping` (a ``KeyboardInterrupt``) once; afterwards the
    previous handlers are back."""
    previous = {s: signal.getsignal(s) for s in STOP_SIGNALS}
    for stop_signal in STOP_SIGNALS:
        signal.signal(stop_signal, _stop)
    try:
        yield
    finally:
        for stop_signal, handler in previous.items():
            signal.signal(stop_signal, handler)
