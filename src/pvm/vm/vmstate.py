"""The process's VM settings: recursion limits (guest and host) and the guest's builtins.

What belongs here: the one ``VM`` per process (``get_vm()``), the host recursion
limit kept in step with the guest's and with nested runs of the loop, the builtins a
frame uses (``builtins_for``).  What does not: the GIL's switch and hooks in the
loop (pvm.vm.hooks: ``GIL_ON``, ``gil``, filled by pvm.concurrency.gil), the guest's
builtins themselves (pvm.runtime.builtins, lent through pvm.vm.hooks), per-thread
state (pvm.vm.threadstate).
"""

from __future__ import annotations

import builtins as _host_builtins
import sys
import types

from pvm.vm.hooks import services


def _recursion_error() -> RecursionError:
    return RecursionError("maximum recursion depth exceeded")


class VM:
    """Process-wide interpreter settings (one per process, see get_vm())."""

    def __init__(self) -> None:
        self._builtins: dict | None = None
        self.recursion_limit = 1000

    @property
    def recursion_limit(self) -> int:
        """The guest's sys.getrecursionlimit()."""
        return self._recursion_limit

    @recursion_limit.setter
    def recursion_limit(self, limit: int) -> None:
        self._recursion_limit = limit
        # Host code the guest calls recurses within about the same limit as under
        # CPython (repr of a deeply nested dict raises RecursionError alike); runs of
        # the loop nested through host code get more room as they go (_nested_entry).
        _set_host_limit(max(limit + HOST_MARGIN, 1000), limit)

    @property
    def builtins(self) -> dict:
        """The dict guest code sees as builtins."""
        if self._builtins is None:
            self._builtins = _default_builtins()
        return self._builtins

    @builtins.setter
    def builtins(self, value: dict) -> None:
        self._builtins = value


def _default_builtins() -> dict:
    """Return the runtime's guest builtins, or (no runtime) the host's with pvm's class support."""
    make_builtins = services.make_builtins
    if make_builtins is None:
        from pvm.vm.classes import build_class, super_

        result = dict(vars(_host_builtins))
        result["__build_class__"] = build_class
        result["super"] = super_
        return result
    return make_builtins()


# Host frames pvm itself may have below guest code (entry points, importlib).
HOST_MARGIN = 50
# Host recursion counted per run of the loop nested through host code (the host call
# that calls back, Function.__call__, call_function, _run and the C calls between).
HOST_DEPTH_PER_RUN = 8
# Guest code that recurses through host code (properties, __len__, sorted's key=...)
# nests runs of the loop on the host's C stack.  At the default limit that always
# fits; with a raised limit it can overflow the C stack (a crash, as it does under
# CPython for sorted(key=...) recursion).  Cap the nesting where the common paths
# (__len__, __call__, properties) still fit an 8 MiB stack; a program run on a thread
# with a bigger stack may raise it with set_max_nested_runs().
MAX_NESTED_RUNS = 4000
_host_limit = [0]
# [nesting level at which an entry must check (cap, or grow the host limit),
#  nesting level below which an exit shrinks the host limit]: kept precomputed so that
# entering and leaving a nested run costs two comparisons.
_NEST = [MAX_NESTED_RUNS, -1]


def _set_host_limit(limit: int, guest_limit: int) -> None:
    try:
        sys.setrecursionlimit(limit)
    except RecursionError:
        limit = sys.getrecursionlimit()  # already deeper than that on the host
    _host_limit[0] = limit
    room = (limit - guest_limit) // HOST_DEPTH_PER_RUN
    _NEST[0] = min(MAX_NESTED_RUNS, max(room, 0))
    # Shrink once the nesting is well below what the limit was raised for: a limit left
    # high (after the deep nesting of imports, say) would let native recursion (repr of
    # a deep list) go deeper than CPython's, where Python frames and C calls share one
    # count.
    _NEST[1] = room - 12


def set_max_nested_runs(n: int) -> None:
    """Allow this many runs of the loop nested through host code (see MAX_NESTED_RUNS)."""
    global MAX_NESTED_RUNS
    MAX_NESTED_RUNS = n
    _set_host_limit(_host_limit[0], _vm._recursion_limit)


def _nested_entry(nested: int) -> None:
    """Refuse a nesting past the cap, or give the host's recursion limit room for it."""
    if nested > MAX_NESTED_RUNS:
        raise _recursion_error()
    guest = _vm._recursion_limit
    wanted = guest + HOST_MARGIN + (nested + 2) * HOST_DEPTH_PER_RUN
    if wanted > _host_limit[0]:
        _set_host_limit(wanted, guest)


def _shrink_host_limit() -> None:
    """Lower the host's limit again to what the deepest nesting of any thread needs."""
    from pvm.vm import threadstate

    deepest = max((state.nested for state in list(threadstate._states.values())), default=0)
    guest = _vm._recursion_limit
    _set_host_limit(max(guest + HOST_MARGIN + (deepest + 2) * HOST_DEPTH_PER_RUN, 1000), guest)


_vm = VM()


def get_vm() -> VM:
    """Return the process's VM."""
    return _vm


def builtins_for(globals: dict) -> dict:
    """Return the builtins dict that frames running with these globals use."""
    b = globals.get("__builtins__")
    if b is None:
        return _vm.builtins
    if isinstance(b, types.ModuleType):
        b = b.__dict__
    if b is _host_builtins.__dict__:
        # The host's own builtins lack pvm's __build_class__, super, exec, ...
        return _vm.builtins
    return b
