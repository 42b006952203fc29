"""Disassembler for pvm code objects, in the layout of CPython 3.11's `python3 -m dis`.

The first half builds data (Instruction tuples, line starts, jump labels); the second
half prints it. The columns are CPython's: line number, a '>>' mark on jump and
exception-handler targets, byte offset, opname, argument, and the argument resolved
in parentheses; then the exception table as 'start to last -> target [depth] lasti',
all in byte offsets (4 per instruction here, 2 in CPython).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import NamedTuple, TextIO

from pvm.bytecode import opcode
from pvm.bytecode.code import CodeObject, ExceptionTableEntry, Position
from pvm.bytecode.opcode import INSTRUCTION_SIZE, ArgKind

FORMAT_VALUE_CONVERTERS = ("", "str", "repr", "ascii")
MAKE_FUNCTION_FLAGS = ("defaults", "kwdefaults", "annotations", "closure")

_OPNAME_WIDTH = 20
_OPARG_WIDTH = 5

_KNOWN_OPS = frozenset(opcode.opmap.values())


class Instruction(NamedTuple):
    """One decoded instruction with its argument resolved, as dis.Instruction."""

    opname: str
    opcode: int
    arg: int | None  # None for instructions that take no argument
    argval: object  # the resolved argument: a constant, a name, a target offset...
    argrepr: str  # how argval is shown between parentheses ('' for nothing)
    offset: int  # byte offset (4 * instruction index)
    starts_line: int | None  # the source line, if this instruction starts one
    is_jump_target: bool  # a jump or an exception handler lands here
    positions: Position | None


# -- building data --------------------------------------------------------------


def opname_of(op: int) -> str:
    """Return an opcode's name, or '<N>' for a number the instruction set lacks."""
    return opcode.opname[op] if op in _KNOWN_OPS else f"<{op}>"


def code_repr(code: CodeObject) -> str:
    """Return a code object's repr as CPython prints it in a disassembly."""
    return (
        f"<code object {code.co_name} at {id(code):#x}, "
        f'file "{code.co_filename}", line {code.co_firstlineno}>'
    )


def const_repr(value: object) -> str:
    """Return a constant's repr, with code objects shown the CPython way."""
    if isinstance(value, CodeObject):
        return code_repr(value)
    return repr(value)


def findlabels(code: CodeObject) -> list[int]:
    """Return the byte offsets that some jump instruction targets."""
    labels: list[int] = []
    seen: set[int] = set()
    for _, op, arg in code.instructions():
        if op in opcode.JUMPS:
            target = arg * INSTRUCTION_SIZE
            if target not in seen:
                seen.add(target)
                labels.append(target)
    return labels


def findlinestarts(code: CodeObject) -> Iterator[tuple[int, int]]:
    """Yield (byte offset, line) for each instruction that starts a new source line."""
    lastline = None
    for start, _end, line in code.co_lines():
        if line is not None and line != lastline:
            lastline = line
            yield start, line


def exception_entries(code: CodeObject) -> list[ExceptionTableEntry]:
    """Return the exception table with start, end and target as byte offsets."""
    return [
        ExceptionTableEntry(
            e.start * INSTRUCTION_SIZE,
            e.end * INSTRUCTION_SIZE,
            e.target * INSTRUCTION_SIZE,
            e.depth,
            bool(e.lasti),
        )
        for e in code.co_exceptiontable
    ]


def _lookup(table: tuple, index: int) -> tuple[object, str]:
    if 0 <= index < len(table):
        return table[index], str(table[index])
    return index, ""


def resolve_arg(code: CodeObject, op: int, arg: int) -> tuple[object, str]:
    """Return (argval, argrepr) for an instruction's argument, as dis does."""
    kind = opcode.argkind[op] if op in _KNOWN_OPS else ArgKind.INT
    if kind is ArgKind.CONST:
        if 0 <= arg < len(code.co_consts):
            value = code.co_consts[arg]
            return value, const_repr(value)
        return arg, ""
    if kind is ArgKind.NAME:
        return _lookup(code.co_names, arg)
    if kind is ArgKind.LOCAL:
        return _lookup(code.co_varnames, arg)
    if kind is ArgKind.FREE:
        return _lookup(code.co_cellvars + code.co_freevars, arg)
    if kind is ArgKind.JUMP:
        target = arg * INSTRUCTION_SIZE
        return target, f"to {target}"
    if kind is ArgKind.COMPARE:
        return _lookup(tuple(opcode.COMPARE_OPS), arg)
    if kind is ArgKind.BINARY:
        return _lookup(tuple(opcode.BINARY_OPS), arg)
    if kind is ArgKind.FORMAT:
        conversion = FORMAT_VALUE_CONVERTERS[arg & opcode.FVC_MASK]
        with_spec = bool(arg & opcode.FVS_HAVE_SPEC)
        argrepr = conversion
        if with_spec:
            argrepr += ", with format" if argrepr else "with format"
        return (conversion or None, with_spec), argrepr
    if op == opcode.opmap["MAKE_FUNCTION"]:
        flags = ", ".join(s for i, s in enumerate(MAKE_FUNCTION_FLAGS) if arg & (1 << i))
        return arg, flags
    return arg, ""


def get_instructions(code: CodeObject) -> Iterator[Instruction]:
    """Yield an Instruction for every instruction of one code object (not nested ones)."""
    labels = set(findlabels(code))
    labels.update(e.target for e in exception_entries(code))
    linestarts = dict(findlinestarts(code))
    positions = code.co_linetable
    for index, op, arg in code.instructions():
        offset = index * INSTRUCTION_SIZE
        takes_arg = op in opcode.HAVE_ARGUMENT or op not in _KNOWN_OPS
        if takes_arg or arg:
            argval, argrepr = resolve_arg(code, op, arg)
            shown_arg: int | None = arg
        else:
            argval, argrepr, shown_arg = None, "", None
        yield Instruction(
            opname_of(op),
            op,
            shown_arg,
            argval,
            argrepr,
            offset,
            linestarts.get(offset),
            offset in labels,
            positions[index] if index < len(positions) else None,
        )


def nested_code_objects(code: CodeObject) -> Iterator[CodeObject]:
    """Yield the code objects among a code object's constants, in order."""
    for const in code.co_consts:
        if isinstance(const, CodeObject):
            yield const


# -- printing -------------------------------------------------------------------


def format_instruction(instr: Instruction, lineno_width: int = 3, offset_width: int = 4) -> str:
    """Return one line of a disassembly, in CPython's columns."""
    fields = []
    if lineno_width:
        if instr.starts_line is not None:
            fields.append(f"{instr.starts_line:{lineno_width}d}")
        else:
            fields.append(" " * lineno_width)
    fields.append("   ")  # CPython's "current instruction" column, never marked here
    fields.append(">>" if instr.is_jump_target else "  ")
    fields.append(repr(instr.offset).rjust(offset_width))
    fields.append(instr.opname.ljust(_OPNAME_WIDTH))
    if instr.arg is not None:
        fields.append(repr(instr.arg).rjust(_OPARG_WIDTH))
        if instr.argrepr:
            fields.append("(" + instr.argrepr + ")")
    return " ".join(fields).rstrip()


def format_exception_table(code: CodeObject) -> list[str]:
    """Return the 'ExceptionTable:' lines for one code object ([] if it has none)."""
    entries = exception_entries(code)
    if not entries:
        return []
    lines = ["ExceptionTable:"]
    for e in entries:
        lasti = " lasti" if e.lasti else ""
        last = e.end - INSTRUCTION_SIZE
        lines.append(f"  {e.start} to {last} -> {e.target} [{e.depth}]{lasti}")
    return lines


def format_disassembly(code: CodeObject) -> list[str]:
    """Return the lines disassembling one code object, without the nested ones."""
    linestarts = dict(findlinestarts(code))
    show_lineno = bool(linestarts)
    lineno_width = 0
    if show_lineno:
        maxlineno = max(linestarts.values())
        lineno_width = len(str(maxlineno)) if maxlineno >= 1000 else 3
    maxoffset = len(code.co_code) - INSTRUCTION_SIZE
    offset_width = len(str(maxoffset)) if maxoffset >= 10000 else 4
    lines = []
    for instr in get_instructions(code):
        if show_lineno and instr.starts_line is not None and instr.offset > 0:
            lines.append("")
        lines.append(format_instruction(instr, lineno_width, offset_width))
    lines.extend(format_exception_table(code))
    return lines


def format_code(code: CodeObject, *, recursive: bool = True) -> str:
    """Return the disassembly of a code object and, recursively, of its nested code."""
    lines = format_disassembly(code)
    if recursive:
        _append_nested(code, lines)
    return "\n".join(lines) + "\n"


def _append_nested(code: CodeObject, lines: list[str]) -> None:
    # Depth first, in constant order, exactly as dis._disassemble_recursive.
    for inner in nested_code_objects(code):
        lines.append("")
        lines.append(f"Disassembly of {code_repr(inner)}:")
        lines.extend(format_disassembly(inner))
        _append_nested(inner, lines)


def dis(code: CodeObject, file: TextIO | None = None, *, recursive: bool = True) -> None:
    """Print the disassembly of a code object (and its nested code) to ``file``."""
    out = sys.stdout if file is None else file
    out.write(format_code(code, recursive=recursive))
