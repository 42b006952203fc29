"""A finished frame's locals die first to last, and a frame something still holds keeps them."""

from __future__ import annotations

from collections.abc import Callable

import helpers

PRELUDE = """\
import sys
class D:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("del", self.name)
"""


def test_frame_kept_after_return_keeps_its_locals(
    same_as_cpython: Callable[..., helpers.Outcome],
) -> None:
    """The loop reverses a returning frame's locals only when nothing else holds the frame."""
    same_as_cpython(
        PRELUDE
        + "def f():\n"
        + "    a = D('a'); b = D('b'); c = 3\n"
        + "    return sys._getframe()\n"
        + "fr = f()\n"
        + "print(sorted((k, getattr(v, 'name', v)) for k, v in fr.f_locals.items()))\n"
        + "del fr\n"
        + "print('end')\n"
    )


def test_traceback_frames_keep_their_locals(
    same_as_cpython: Callable[..., helpers.Outcome],
) -> None:
    """A frame an exception left is finished, but its traceback still shows its locals."""
    same_as_cpython(
        PRELUDE
        + "def f(x, y):\n"
        + "    z = D('z'); w = D('w')\n"
        + "    raise ValueError\n"
        + "try:\n"
        + "    f(D('x'), 2)\n"
        + "except ValueError as e:\n"
        + "    tb = e.__traceback__.tb_next\n"
        + "    print(sorted((k, getattr(v, 'name', v)) for k, v in tb.tb_frame.f_locals.items()))\n"
        + "    del tb\n"
        + "print('end')\n"
    )


def test_host_called_function_locals_die_first_to_last(
    same_as_cpython: Callable[..., helpers.Outcome],
) -> None:
    """A guest function that host code calls (sorted's key) frees its locals as CPython does."""
    same_as_cpython(
        PRELUDE
        + "def key(v):\n"
        + "    a = D(f'a{v}'); b = D(f'b{v}')\n"
        + "    return v\n"
        + "print(sorted([2, 1], key=key))\n"
        + "def gen():\n"
        + "    a = D('ga'); b = D('gb')\n"
        + "    yield 1\n"
        + "print(list(gen()))\n"
        + "print(sum(gen()))\n"
    )


def test_cells_die_after_locals(same_as_cpython: Callable[..., helpers.Outcome]) -> None:
    """A finished frame frees its locals, then its cells, as CPython's localsplus, however it ends."""
    same_as_cpython(
        PRELUDE
        + "def body(tag, how):\n"
        + "    a = D(tag + 'a'); c = D(tag + 'cell'); b = D(tag + 'b')\n"
        + "    def g(): return c\n"
        + "    if how == 'raise':\n"
        + "        raise ValueError\n"
        + "    if how == 'frame':\n"
        + "        return sys._getframe()\n"
        + "body('r', 'return')\n"
        + "try:\n"
        + "    body('x', 'raise')\n"
        + "except ValueError:\n"
        + "    print('caught')\n"
        + "print(sorted([1], key=lambda v: body('k', 'return')))\n"
        + "fr = body('f', 'frame')\n"
        + "del fr\n"
        + "print('end')\n"
    )
