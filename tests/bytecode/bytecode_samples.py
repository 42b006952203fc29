"""Hand-built code objects for testing the bytecode layer without the compiler."""

from __future__ import annotations

import math

from pvm.bytecode.code import CO_NEWLOCALS, CO_OPTIMIZED, CodeObject, ExceptionTableEntry, Position
from pvm.bytecode.opcode import opmap


def assemble(*instructions: tuple[str, int] | str) -> bytes:
    """Return co_code for a list of (opname, arg) pairs or bare opnames."""
    out = bytearray()
    for ins in instructions:
        name, arg = (ins, 0) if isinstance(ins, str) else ins
        out += (opmap[name] | (arg << 8)).to_bytes(4, "little")
    return bytes(out)


def make_code(**fields: object) -> CodeObject:
    """Return a small valid module code object, with any field overridden."""
    code = fields.pop("co_code", None) or assemble(("LOAD_CONST", 0), "RETURN_VALUE")
    n = len(code) // 4
    values: dict[str, object] = {
        "co_argcount": 0,
        "co_posonlyargcount": 0,
        "co_kwonlyargcount": 0,
        "co_stacksize": 1,
        "co_flags": 0,
        "co_code": code,
        "co_consts": (None,),
        "co_names": (),
        "co_varnames": (),
        "co_freevars": (),
        "co_cellvars": (),
        "co_filename": "sample.py",
        "co_name": "<module>",
        "co_qualname": "<module>",
        "co_firstlineno": 1,
        "co_linetable": tuple(Position(1, 1, 0, 4) for _ in range(n)),
        "co_exceptiontable": (),
    }
    values.update(fields)
    return CodeObject(**values)  # type: ignore[arg-type]


def sample_function() -> CodeObject:
    """Return a function `f(a, b)` with a try/except, a cell and odd positions."""
    code = assemble(
        "NOP",
        ("LOAD_FAST", 0),
        ("LOAD_FAST", 1),
        ("BINARY_OP", 0),
        ("STORE_DEREF", 0),
        ("JUMP_FORWARD", 13),
        "PUSH_EXC_INFO",
        ("LOAD_GLOBAL", 0),
        "CHECK_EXC_MATCH",
        ("POP_JUMP_IF_FALSE", 12),
        "POP_TOP",
        "POP_EXCEPT",
        ("RERAISE", 0),
        ("LOAD_DEREF", 0),
        "RETURN_VALUE",
    )
    positions = [Position(2, 2, 4, 8)] * 5 + [Position(None, None, None, None)]
    positions += [Position(3, 3, 4, 20)] * 7
    positions += [Position(4, 4, 11, 12), Position(4, 4, 4, 12)]
    return make_code(
        co_argcount=2,
        co_stacksize=4,
        co_flags=CO_OPTIMIZED | CO_NEWLOCALS,
        co_code=code,
        co_consts=(None,),
        co_names=("ValueError",),
        co_varnames=("a", "b"),
        co_cellvars=("c",),
        co_name="f",
        co_qualname="f",
        co_linetable=tuple(positions),
        co_exceptiontable=(
            ExceptionTableEntry(1, 5, 6, 0, False),
            ExceptionTableEntry(6, 13, 12, 1, True),
        ),
    )


def sample_module() -> CodeObject:
    """Return a module that defines `f` and holds one of every constant kind."""
    consts = (
        sample_function(),
        "f",
        None,
        2**200,
        -(2**70),
        math.inf,
        -0.0,
        1 + 2j,
        "caf\u00e9 \ud800",
        b"\x00\xff",
        (1, (2.5, "x"), ...),
        frozenset({1, "a", (2, 3)}),
        True,
        False,
    )
    code = assemble(
        ("LOAD_CONST", 0),
        ("MAKE_FUNCTION", 0),
        ("STORE_NAME", 0),
        ("LOAD_CONST", 2),
        "RETURN_VALUE",
    )
    return make_code(co_code=code, co_consts=consts, co_names=("f",), co_stacksize=1)
