"""Regressions in pvm that Dask distributed showed, each checked without distributed."""

from __future__ import annotations

import gc

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
