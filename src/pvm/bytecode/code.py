"""The pvm code object: compiled bytecode plus everything needed to run it."""

from __future__ import annotations

import dataclasses
import types as _types
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

    def __reduce__(self) -> tuple:
        # Pickled as a plain tuple, which CodeObject(...) turns back into a row: the
        # guest (cloudpickle) cannot name this host class.
        return tuple, (tuple(self),)


class Position(NamedTuple):
    """Source position of one instruction; fields are None where unknown."""

    lineno: int | None
    end_lineno: int | None
    col_offset: int | None
    end_col_offset: int | None

    def __reduce__(self) -> tuple:
        return tuple, (tuple(self),)  # as ExceptionTableEntry's


@dataclass(eq=True, init=False)
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

    def __init__(self, *args: Any, **fields: Any) -> None:
        """Build from the fields by keyword (pvm), or from CPython 3.11's 16 to 18 positions.

        The positional form is ``types.CodeType(argcount, posonlyargcount,
        kwonlyargcount, nlocals, stacksize, flags, codestring, constants, names,
        varnames, filename, name, qualname, firstlineno, linetable, exceptiontable,
        freevars=(), cellvars=())``, as cloudpickle calls it to rebuild a function
        pickled by value.  ``codestring`` is pvm's instruction bytes (a guest's
        ``co_code``), not CPython's; ``nlocals`` is implied by ``varnames``.
        """
        if args:
            if fields:
                raise TypeError("code() takes no keyword arguments")
            fields = _fields_from_positions(args)
        fields.setdefault("_decoded", None)
        for name in _FIELD_NAMES:
            if name not in fields:
                raise TypeError(f"CodeObject() missing required argument: '{name}'")
        extra = fields.keys() - _FIELD_NAMES
        if extra:
            raise TypeError(f"CodeObject() got an unexpected keyword argument '{min(extra)}'")
        set_field = object.__setattr__
        for name, value in fields.items():
            set_field(self, name, value)

    def __hash__(self) -> int:
        return hash((self.co_name, self.co_firstlineno, self.co_code))

    def __sizeof__(self) -> int:
        """As CPython's code_sizeof: the code object and a 2-byte unit per instruction."""
        n = len(self.co_code) // INSTRUCTION_SIZE
        return _types.CodeType.__basicsize__ + _types.CodeType.__itemsize__ * n

    def __repr__(self) -> str:
        return (
            f"<pvm code object {self.co_name} at {id(self):#x}, "
            f'file "{self.co_filename}", line {self.co_firstlineno}>'
        )

    def __reduce_ex__(self, protocol: Any) -> Any:
        # As CPython's: only a reducer that knows code objects pickles them (cloudpickle's
        # _code_reduce, by value, through the guest's copyreg dispatch table).
        raise TypeError("cannot pickle code objects")

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
        elif table is None and "co_firstlineno" in changes:
            # CPython keeps line numbers relative to co_firstlineno, so moving it moves
            # every line (tblib rebuilds a remote traceback's frames that way).
            delta = changes["co_firstlineno"] - self.co_firstlineno
            if delta:
                changes["co_linetable"] = tuple(_moved(p, delta) for p in self.co_linetable)
        return dataclasses.replace(self, **changes)


def _moved(position: Position, delta: int) -> Position:
    lineno, end_lineno = position.lineno, position.end_lineno
    return position._replace(
        lineno=None if lineno is None else lineno + delta,
        end_lineno=None if end_lineno is None else end_lineno + delta,
    )


_FIELD_NAMES = frozenset(f.name for f in dataclasses.fields(CodeObject))

# dir(types.CodeType) lists every co_ attribute, as CPython's does (unittest.mock's
# AsyncMock builds a spec of a code object from it): the fields, which each instance
# holds itself, are named on the class too.
for _name in sorted(_FIELD_NAMES):
    if _name.startswith("co_"):
        setattr(CodeObject, _name, None)
del _name

# CPython 3.11's code() positions, by the field each one fills (None: derived by pvm).
_POSITIONS = (
    "co_argcount",
    "co_posonlyargcount",
    "co_kwonlyargcount",
    None,  # nlocals: len(co_varnames)
    "co_stacksize",
    "co_flags",
    "co_code",
    "co_consts",
    "co_names",
    "co_varnames",
    "co_filename",
    "co_name",
    "co_qualname",
    "co_firstlineno",
    "co_linetable",
    "co_exceptiontable",
    "co_freevars",
    "co_cellvars",
)
_INT_POSITIONS = (0, 1, 2, 3, 4, 5, 13)
_NAME_TUPLES = (8, 9, 16, 17)


def _fields_from_positions(args: tuple) -> dict:
    """Check CPython's positional code() arguments and return pvm's fields."""
    if len(args) < 16:
        raise TypeError(f"code expected at least 16 arguments, got {len(args)}")
    if len(args) > 18:
        raise TypeError(f"code expected at most 18 arguments, got {len(args)}")
    args = args + ((),) * (18 - len(args))
    for i in _INT_POSITIONS:
        value = args[i]
        if not isinstance(value, int):
            raise TypeError(f"'{type(value).__name__}' object cannot be interpreted as an integer")
        if i != 13 and value < 0:
            raise ValueError("code: argcount must not be negative")
    for i, kind in ((6, bytes), (7, tuple), (10, str), (11, str), (12, str)):
        if not isinstance(args[i], kind):
            raise TypeError(
                f"code() argument {i + 1} must be {kind.__name__}, not {type(args[i]).__name__}"
            )
    for i in _NAME_TUPLES:
        if not isinstance(args[i], tuple) or not all(type(n) is str for n in args[i]):
            raise TypeError("code: names must be a tuple of strings")
    fields = {name: value for name, value in zip(_POSITIONS, args) if name is not None}
    code = bytes(fields["co_code"])
    if len(code) % INSTRUCTION_SIZE:
        raise ValueError(
            f"code: co_code holds pvm's {INSTRUCTION_SIZE}-byte instructions, not {len(code)} bytes"
        )
    count = len(code) // INSTRUCTION_SIZE
    fields["co_code"] = code
    fields["co_linetable"] = _positions(fields["co_linetable"], count)
    fields["co_exceptiontable"] = _exception_table(fields["co_exceptiontable"])
    return fields


def _positions(table: Any, count: int) -> tuple[Position, ...]:
    """pvm's line table from a tuple of 4-tuples (a pickled co_linetable) or bytes."""
    if isinstance(table, (bytes, bytearray)):
        # CPython's own location-table format: pvm does not read it (see replace()).
        return (Position(None, None, None, None),) * count
    if not isinstance(table, tuple) or len(table) != count:
        raise ValueError(
            f"code: co_linetable must hold one position for each of {count} instructions"
        )
    return tuple(p if type(p) is Position else Position(*p) for p in table)


def _exception_table(table: Any) -> tuple[ExceptionTableEntry, ...]:
    """pvm's exception table from a tuple of 5-tuples (a pickled co_exceptiontable)."""
    if isinstance(table, (bytes, bytearray)) and not table:
        return ()
    if not isinstance(table, tuple):
        raise ValueError("code: co_exceptiontable must be pvm's table, a tuple of rows")
    return tuple(e if type(e) is ExceptionTableEntry else ExceptionTableEntry(*e) for e in table)


class BuiltinTypeModule(str):
    """A class's ``__module__`` of "builtins" that its instances do not have.

    CPython's built-in types (code, frame, generator...) say ``builtins`` as their
    ``__module__``, but their instances have no such attribute: ``inspect.getmodule(g)``
    of a generator is None.  A class's ``__module__`` is the string in its ``__dict__``
    (read as is by ``type.__module__`` and ``repr(type)``); this one is also a descriptor
    that refuses instances.
    """

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        raise AttributeError(f"{type(obj).__name__!r} object has no attribute '__module__'")


BUILTINS_MODULE = BuiltinTypeModule("builtins")

# Guest code sees the type by CPython's name: type(f.__code__) prints <class 'code'>.
CodeObject.__name__ = CodeObject.__qualname__ = "code"
CodeObject.__module__ = BUILTINS_MODULE
