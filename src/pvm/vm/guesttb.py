"""Where an exception keeps its guest traceback, kept out of its pickles and copies.

What belongs here: the keys (``__pvm_tb__`` ...) an exception keeps guest frames in,
and the copyreg reducer that leaves them out.  What does not: appending to them
(pvm.vm.interpreter's ``_unwind``), the guest's traceback view and printing
(pvm.runtime.traceback).
"""

# The interpreter records the guest frames an exception passes through in the
# exception's __dict__ (host exceptions have no other room, and cannot be weakly
# referenced for a side table). Those entries hold pvm frames, which must not travel
# with pickle/copy: each exception type that gets them is registered with copyreg so
# that reducing an instance leaves them out, whatever __reduce__ the type has.

from __future__ import annotations

import copyreg
from typing import Any

PVM_KEYS = frozenset(("__pvm_tb__", "_pvm_tb_view", "_pvm_tb_tail"))
_registered: set = set()


def _reduce(exc: BaseException) -> Any:
    rv = exc.__reduce_ex__(4)
    if isinstance(rv, tuple) and len(rv) >= 3 and isinstance(rv[2], dict):
        state = {k: v for k, v in rv[2].items() if k not in PVM_KEYS}
        if len(state) != len(rv[2]):
            if not state and len(rv) == 3:
                return rv[:2]
            return (*rv[:2], state, *rv[3:])
    return rv


def register(cls: type) -> None:
    """Make pickle and copy leave pvm's entries out of instances of cls."""
    _registered.add(cls)
    copyreg.dispatch_table.setdefault(cls, _reduce)


def start(exc: BaseException) -> list:
    """Give exc an empty guest traceback list and return it."""
    if type(exc) not in _registered:
        register(type(exc))
    tb: list = []
    exc.__pvm_tb__ = tb
    return tb


def share_view(src: BaseException, dst: BaseException) -> None:
    """Give dst, a part split from src, src's guest traceback view (as a split()'s parts
    share their group's traceback object in CPython, until they travel further)."""
    view = getattr(src, "_pvm_tb_view", None)
    if view is not None:
        dst._pvm_tb_view = view  # type: ignore[attr-defined]
