"""``loading()``: the collector is paused inside, resumed and the loaded objects frozen when the last block ends,
whatever the nesting or the threads; left off when it was off."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from functions.shared.loading import loading


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    was_enabled = gc.isenabled()
    yield
    gc.unfreeze()  # the tests' frozen objects go back to the collector
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_paused_inside_and_what_was_loaded_is_frozen_after() -> None:
    gc.enable()
    gc.unfreeze()
    with loading():
        assert not gc.isenabled()
        loaded = Node()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0
    assert not any(o is loaded for o in gc.get_objects())  # the permanent generation is not among those collected


def test_nested_blocks_resume_once_at_the_outermost_end() -> None:
    gc.enable()
    with loading():
        with loading():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_block_in_another_thread_keeps_the_collector_paused_until_it_ends() -> None:
    gc.enable()
    inside, release = threading.Event(), threading.Event()

    def load_in_a_thread() -> None:
        with loading():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=load_in_a_thread)
    with loading():
        thread.start()
        assert inside.wait(5)
    assert not gc.isenabled()  # the thread's block is still open
    release.set()
    thread.join(5)
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off_and_nothing_is_frozen() -> None:
    gc.unfreeze()
    gc.disable()
    with loading():
        pass
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_an_error_while_loading_still_resumes_the_collector() -> None:
    gc.enable()
    with pytest.raises(ValueError, match="broken artifact"), loading():
        raise ValueError("a broken artifact")
    assert gc.isenabled()
