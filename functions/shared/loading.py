"""Loading what a function keeps for its whole life, with the cyclic garbage collector out of the way.

A function's cold start makes a few million objects that live as long as its container: its modules, the claim
index, the models' tokenizer tables. Python's cyclic collector walks the objects of the older generations again and
again while they are being made (three full collections and dozens of younger ones in the match function's cold
start), finding nothing to free: refcounting frees what is not in a cycle, and what is loaded stays. ``loading()``
pauses the collector while it runs and, when the outermost one ends, moves everything alive to the permanent
generation (``gc.freeze``), which no later collection walks either, so collections between requests stay small.
Measured in docs/benchmarks.md ("Cold start without the collector"; ``scripts/benchmarks/coldstart.py``).

The price: what is alive when the collector resumes is frozen with it, so a cycle among those objects that is dropped
later is never collected; almost all of it is loaded data that stays, so that is rare and small. The collector is
process-wide, so blocks are counted: nested ones and ones in other threads (the local service loads parts on first
use from several) keep it paused until the last one ends, which freezes and resumes it — unless it was off before the
first began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Pause:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open = 0  # loading() blocks running now, in any thread
        self.resume = False  # whether the collector was on when the first of them began


_pause = _Pause()


@contextmanager
def loading() -> Iterator[None]:
    with _pause.lock:
        if _pause.open == 0:
            _pause.resume = gc.isenabled()
            gc.disable()
        _pause.open += 1
    try:
        yield
    finally:
        with _pause.lock:
            _pause.open -= 1
            if _pause.open == 0 and _pause.resume:
                gc.freeze()
                gc.enable()
