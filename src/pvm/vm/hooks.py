"""The one seam between the interpreter and the layers above it (runtime, concurrency, observe).

What belongs here: every way a higher layer plugs into the vm, each named and
documented in one place --
  * services: what the runtime lends the vm (guest views of frames and tracebacks,
    locals() dicts, the default builtins, the GIL's switch interval), registered
    with provide() when the providing module is imported;
and the interpreter's own plug-in points (eval-breaker request bits, GIL hooks,
opcode handler overrides, where a thread's loop stands), documented where they are
defined below.

What does not: the implementations.  The vm calls what is registered here and
imports nothing above itself (tests/test_layering.py holds that order).
"""

from __future__ import annotations

import sys
from typing import Any

# -- services the layers above provide ---------------------------------------------------
#
# The vm hands guest code views of its own objects (a frame as sys._getframe() shows
# it, an exception's __traceback__), and those views need runtime services (locals(),
# the logical f_back through host code).  The runtime module that makes each view
# registers it here at import; the vm only calls it, on cold paths.


def _missing(name: str) -> Any:
    def missing(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"pvm: no provider for the vm service {name!r} (import pvm.runtime)")

    missing.__name__ = name
    return missing


class Services:
    """What the layers above lend the vm; each slot is set once, by its provider."""

    __slots__ = (
        "frame_view", "traceback_view", "with_traceback", "set_traceback",
        "frame_locals", "locals_dict", "make_builtins",
        "get_switch_interval", "set_switch_interval",
    )  # fmt: skip

    def __init__(self) -> None:
        for name in self.__slots__:
            setattr(self, name, _missing(name))
        # No runtime (the vm used alone, as some tests do): vmstate's minimal builtins.
        self.make_builtins = None
        # Until pvm's GIL provides its own, the switch interval is the host's.
        self.get_switch_interval = sys.getswitchinterval
        self.set_switch_interval = sys.setswitchinterval


# frame_view(frame) -> the guest's view of a pvm frame        (pvm.runtime.sysmodule)
# traceback_view(exc) -> exc.__traceback__ as the guest sees it (pvm.runtime.traceback)
# with_traceback(exc) -> exc.with_traceback, guest-aware       (pvm.runtime.traceback)
# set_traceback(exc, tb): exc.__traceback__ = tb, guest-aware   (pvm.runtime.traceback)
# frame_locals(frame) -> locals() of a frame                   (pvm.runtime.exec)
# locals_dict(frame) -> the frame's locals() dict if one was made, else None
# make_builtins() -> the guest's builtins dict, or None         (pvm.runtime.builtins)
# get_switch_interval() / set_switch_interval(s)                (pvm.concurrency.gil)
services = Services()


def provide(**makers: Any) -> None:
    """Register the named services (a provider calls this when it is imported)."""
    for name, maker in makers.items():
        if name not in Services.__slots__:
            raise TypeError(f"unknown vm service {name!r}")
        setattr(services, name, maker)
