"""Regressions in pvm that Dask distributed showed, each checked without distributed."""

from __future__ import annotations

import gc
import threading

import pytest

from pvm import cli


def test_the_command_freezes_the_host_heap_before_exit() -> None:
    """The host's final collections skip pvm's heap (a nanny gives a worker 4 s to exit)."""
    gc.unfreeze()
    try:
        assert cli.freeze_for_exit(3) == 3
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_main_with_arguments_leaves_the_heap_alone() -> None:
    """In-process callers (the tests) keep a collected heap: only the command freezes it."""
    gc.unfreeze()
    assert cli.main(["--version"]) == 0
    assert gc.get_freeze_count() == 0


def test_a_finalizer_while_a_thread_gets_its_gil_record(monkeypatch: pytest.MonkeyPatch) -> None:
    """A collection set off while a thread's GIL record is made runs guest code: no deadlock.

    A Dask worker hung so: a new thread's first gil.enter made its record under the GIL's
    mutex, the allocation collected garbage, a weakref.finalize callback (guest code)
    entered the GIL on the same thread and waited for that mutex for ever.
    """
    from pvm.concurrency import gil
    from pvm.vm.threadstate import ThreadState

    made = gil.ThreadRecord
    nested: list = []

    def record_with_a_finalizer(number: int, thread: object) -> gil.ThreadRecord:
        if not nested:  # the finalizer's own gil.enter makes a record too
            nested.append(None)
            nested[0] = gil._record_for(tstate)
        return made(number, thread)

    monkeypatch.setattr(gil, "ThreadRecord", record_with_a_finalizer)
    tstate = ThreadState(-1)
    found: list = []
    worker = threading.Thread(target=lambda: found.append(gil._record_for(tstate)), daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "_record_for deadlocked on the GIL's mutex"
    assert found == nested and found[0] is tstate.gil
