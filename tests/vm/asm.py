"""Hand-assemble pvm CodeObjects for interpreter tests that do not need the compiler."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pvm.bytecode import opcode
from pvm.bytecode.code import CodeObject, ExceptionTableEntry, Position


def assemble(
    instructions: Sequence[Any],
    *,
    consts: Sequence[Any] = (None,),
    names: Sequence[str] = (),
    varnames: Sequence[str] = (),
    cellvars: Sequence[str] = (),
    freevars: Sequence[str] = (),
    argcount: int = 0,
    posonlyargcount: int = 0,
    kwonlyargcount: int = 0,
    flags: int = 0,
    name: str = "<module>",
    qualname: str | None = None,
    handlers: Sequence[tuple[int, int, int, int, bool]] = (),
    filename: str = "<asm>",
) -> CodeObject:
    """Build a CodeObject from (opname, arg) pairs (or bare opnames); labels are indexes."""
    words = bytearray()
    for item in instructions:
        if isinstance(item, str):
            opname, arg = item, 0
        else:
            opname, arg = item
        word = opcode.opmap[opname] | (arg << 8)
        words += word.to_bytes(4, "little")
    count = len(words) // 4
    return CodeObject(
        co_argcount=argcount,
        co_posonlyargcount=posonlyargcount,
        co_kwonlyargcount=kwonlyargcount,
        co_stacksize=20,
        co_flags=flags,
        co_code=bytes(words),
        co_consts=tuple(consts),
        co_names=tuple(names),
        co_varnames=tuple(varnames),
        co_freevars=tuple(freevars),
        co_cellvars=tuple(cellvars),
        co_filename=filename,
        co_name=name,
        co_qualname=qualname or name,
        co_firstlineno=1,
        co_linetable=tuple(Position(1, 1, 0, 0) for _ in range(count)),
        co_exceptiontable=tuple(ExceptionTableEntry(*h) for h in handlers),
    )
