"""The pvm code object: compiled bytecode plus everything needed to run it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from pvm.bytecode.opcode import INSTRUCTION_SIZE

# co_flags bits, with CPython's values.
CO_OPTIMIZED = 0x0001
CO_NEWLOCALS = 0x0002
CO_VARARGS = 0x0004
CO_VARKEYWORDS = 0x0008
CO_NESTED = 0x0010
CO_GENERATOR = 0x0020
CO_NOFREE = 0x0040
CO_COROUTINE = 0x0080
CO_ITERABLE_COROUTINE = 0x0100
CO_ASYNC_GENERATOR = 0x0200


class ExceptionTableEntry(NamedTuple):
    """One row of the zero-cost exception table, in instruction indexes.

    An exception raised by an instruction at index i with start <= i < end pops
    the value stack down to ``depth`` items, pushes the raising instruction's
    index if ``lasti`` is true, pushes the exception, and jumps to ``target``.
    The first matching row wins; the assembler emits rows that do not overlap.
    """

    start: int
    end: int
    target: int
    depth: int
    lasti: bool


class Position(NamedTuple):
    """Source position of one instruction; fields are None where unknown."""

    lineno: int | None
    end_lineno: int | None
    col_offset: int | None
    end_col_offset: int | None


@dataclass(eq=True)
class CodeObject:
    """A compiled unit (module, class body, function, lambda or comprehension).

    Field names and meanings follow CPython's code objects. Differences:
    ``co_code`` holds 4-byte instructions (see opcode.py); ``co_exceptiontable``
    is a tuple of ExceptionTableEntry; ``co_linetable`` is a tuple with one
    Position per instruction. Cells live apart from fast locals: LOAD_DEREF and
    friends index ``co_cellvars + co_freevars``. A cell variable that is also an
    argument starts out holding that argument's value.
    """

    co_argcount: int
    co_posonlyargcount: int
    co_kwonlyargcount: int
    co_stacksize: int
    co_flags: int
    co_code: bytes
    co_consts: tuple
    co_names: tuple[str, ...]
    co_varnames: tuple[str, ...]
    co_freevars: tuple[str, ...]
    co_cellvars: tuple[str, ...]
    co_filename: str
    co_name: str
    co_qualname: str
    co_firstlineno: int
    co_linetable: tuple[Position, ...]
    co_exceptiontable: tuple[ExceptionTableEntry, ...]
    # Filled in by the interpreter on first run; never compared or serialized.
    _decoded: Any = field(default=None, compare=False, repr=False)

    def __hash__(self) -> int:
        return hash((self.co_name, self.co_firstlineno, self.co_code))

    def __repr__(self) -> str:
        return (
            f"<pvm code object {self.co_name} at {id(self):#x}, "
            f'file "{self.co_filename}", line {self.co_firstlineno}>'
        )

    @property
    def co_nlocals(self) -> int:
        return len(self.co_varnames)

    def instructions(self) -> Iterator[tuple[int, int, int]]:
        """Yield (index, opcode, arg) for every instruction."""
        code = self.co_code
        for i in range(0, len(code), INSTRUCTION_SIZE):
            word = int.from_bytes(code[i : i + INSTRUCTION_SIZE], "little")
            yield i // INSTRUCTION_SIZE, word & 0xFF, word >> 8

    def co_positions(self) -> Iterator[Position]:
        """Yield the source position of every instruction, as CPython's does."""
        return iter(self.co_linetable)

    def co_lines(self) -> Iterator[tuple[int, int, int | None]]:
        """Yield (start, end, lineno) byte-offset ranges, as CPython's does."""
        start = 0
        current = None
        for i, pos in enumerate(self.co_linetable):
            if i and pos.lineno != current:
                yield start, i * INSTRUCTION_SIZE, current
                start = i * INSTRUCTION_SIZE
            current = pos.lineno
        if self.co_linetable:
            yield start, len(self.co_linetable) * INSTRUCTION_SIZE, current

    def line_of(self, index: int) -> int | None:
        """Return the source line of the instruction at ``index``."""
        if 0 <= index < len(self.co_linetable):
            return self.co_linetable[index].lineno
        return None

    def replace(self, **changes: Any) -> CodeObject:
        """Return a copy with the given fields changed."""
        changes.setdefault("_decoded", None)
        table = changes.get("co_linetable")
        if isinstance(table, (bytes, bytearray)):
            # CPython's own location-table format: pvm does not read it, so the
            # positions become unknown (as CPython's "no location" entries would).
            count = len(changes.get("co_code", self.co_code)) // INSTRUCTION_SIZE
            changes["co_linetable"] = (Position(None, None, None, None),) * count
        return dataclasses.replace(self, **changes)
