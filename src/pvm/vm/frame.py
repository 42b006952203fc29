"""The guest frame: one activation of a code object on a thread's frame stack.

What belongs here: the ``Frame`` record (``f_code``, ``f_globals``, ``f_back``,
``f_lasti``, fast locals, cells, value stack) and its live line and position.  What
does not: the guest-visible frame view (pvm.runtime.sysmodule.guest_frame, lent through
pvm.vm.hooks), running a frame (pvm.vm.interpreter), the thread's frame stack top
(pvm.vm.threadstate).
"""

from __future__ import annotations

from typing import Any

from pvm.bytecode.code import CodeObject
from pvm.vm import hooks
from pvm.vm.decode import decode
from pvm.vm.null import NULL

#  +-----------------+
#  | f_code          |  the CodeObject; instrs is its decoded instruction list
#  | f_globals       |  module dict
#  | f_builtins      |  builtins dict
#  | f_locals        |  dict (or mapping) for module/class bodies and exec; else None
#  | fast            |  len(co_varnames) slots, NULL when unbound
#  | cells           |  co_cellvars new cells + the function's closure cells
#  | stack           |  the value stack (a list)
#  | fast_rev        |  set once the frame is done (finish()): fast + cells, reversed
#  | f_lasti         |  index of the instruction being executed; -1 before the first
#  | f_back          |  the calling frame, while this one is on a frame stack
#  +-----------------+


class Frame:
    """A guest frame; the interpreter keeps its hot state in locals while running it."""

    __slots__ = (
        "__weakref__",
        "cells",
        "f_back",
        "f_builtins",
        "f_code",
        "f_generator",
        "f_globals",
        "f_lasti",
        "f_locals",
        "f_suspended",
        "f_trace",
        "f_trace_lines",
        "f_trace_opcodes",
        "fast",
        "fast_rev",
        "instrs",
        "stack",
        # Set only while a thread traces (pvm.vm.trace): calls stay as cheap.
        "tr_armed",
        "tr_form",
        "tr_last",
        "tr_line",
        "tr_lineno",
        "tr_list",
        "tr_opcodes",
        "tr_returned",
        "tr_seen",
    )

    def __init__(
        self,
        code: CodeObject,
        globals: dict,
        builtins: dict,
        locals: Any,
        fast: list,
        cells: list,
        back: Frame | None = None,
    ) -> None:
        self.f_code = code
        self.f_globals = globals
        self.f_builtins = builtins
        self.f_locals = locals
        self.fast = fast
        self.cells = cells
        self.stack: list = []
        self.f_lasti = -1
        self.f_back = back
        self.instrs = (code._decoded or decode(code)).instrs
        # f_suspended (set by YIELD_VALUE) and f_generator (weak reference to the owning
        # generator) are
        # set only on generator frames, by pvm.vm.generator: calls stay cheaper.

    @property
    def f_lineno(self) -> int | None:
        """The source line of the current instruction."""
        line = getattr(self, "tr_lineno", None)
        if line is not None:  # reporting 'call' to a trace function
            return line
        lasti = self.live_lasti()
        if lasti < 0:
            return self.f_code.co_firstlineno
        return self.f_code.line_of(lasti)

    def live_lasti(self) -> int:
        """Return the index of the instruction being executed, even mid-run.

        The loop keeps a running frame's position in a local and writes f_lasti only at
        calls, exceptions and yields, so that reading it costs nothing per instruction.
        This asks the run executing this frame (pvm.vm.hooks.live_index); it is meant
        for introspection (f_lineno, sys._getframe()), not for hot paths.
        """
        return hooks.live_index(self)

    def locals_dict(self) -> dict:
        """Return a dict snapshot of fast locals and cells, as CPython's frame.f_locals."""
        if self.f_locals is not None and not self.fast and not self.cells:
            return self.f_locals
        code = self.f_code
        out = dict(self.f_locals) if self.f_locals is not None else {}
        for name, value in zip(code.co_varnames, self.fast):
            if value is not NULL:
                out[name] = value
            else:
                out.pop(name, None)
        for name, cell in zip(code.co_cellvars + code.co_freevars, self.cells):
            try:
                out[name] = cell.cell_contents
            except ValueError:
                out.pop(name, None)
        return out

    def finish(self) -> None:
        """Make the locals of this finished frame die first to last when it does, as CPython's.

        A list frees its items last to first.  The frame's slots are freed in the order
        of their sorted names, ``cells`` and ``fast`` before ``fast_rev``: when the
        frame dies, the locals and cells are still held by the reversed copy, whose
        freeing then frees them first to last, locals before cells, as CPython's
        localsplus.  For a frame that something else may still hold (a traceback, a
        frame view, its generator): the loop reverses ``fast`` in place when nothing
        does.
        """
        fast = self.fast
        if len(fast) + len(self.cells) > 1:
            self.fast_rev = [*fast, *self.cells][::-1]

    def clear(self) -> None:
        """Drop the frame's locals, closing its suspended generator first, as CPython's."""
        ref = getattr(self, "f_generator", None)
        gen = ref() if ref is not None else None
        if gen is not None:
            if gen._running:
                raise RuntimeError("cannot clear an executing frame")
            gen._gen_finalize()
        elif any(f is self for f in _stack_of_current_thread()):
            raise RuntimeError("cannot clear an executing frame")
        self.fast = [NULL] * len(self.fast)
        self.fast_rev = None
        self.stack.clear()

    def __repr__(self) -> str:
        code = self.f_code
        return (
            f"<pvm frame at {id(self):#x}, file '{code.co_filename}', "
            f"line {self.f_lineno}, code {code.co_name}>"
        )


def _stack_of_current_thread() -> list:
    from pvm.vm.threadstate import current

    frames = []
    frame = current().frame
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    return frames
