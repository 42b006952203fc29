"""Decode a CodeObject once into the compact form the dispatch loop runs.

What belongs here: the internal operation numbers (``INLINE``, then the table
operations, then decoder-only operations), turning ``(opcode, oparg)`` into
``(internal_op, arg)`` with constants, names and operator functions resolved,
superinstruction fusion, and the ``Decoded`` record cached on each code object.
What does not: running the result (pvm.vm.interpreter), the opcode table and
instruction format (pvm.bytecode.opcode, pvm.bytecode.code), the traced form
(pvm.vm.trace).
"""

from __future__ import annotations

import operator
import threading
import weakref
from typing import Any

from pvm.bytecode import opcode as _op
from pvm.bytecode.code import CO_ASYNC_GENERATOR, CO_COROUTINE, CO_GENERATOR, CodeObject
from pvm.bytecode.opcode import ArgKind

# Internal operation numbers.  The dispatch loop tests these as literal ints in an
# if-tree, hottest first: 0-15 in a balanced binary tree (four tests each), 16-53 in
# groups of 8 (a range test, then a chain of equality tests); the rest go through the
# handler table (interpreter.py explains why, above _run).
# Names in lower case are superinstructions that the decoder fuses from common pairs:
# the second instruction of a pair stays in place, so a jump to it still works.
# Keep this list, the loop's branches (interpreter.py) and handlers.py in step.
INLINE = [
    # 0-7, 8-15: the balanced tree
    "LOAD_FAST", "load_fast_load_fast", "load_fast_load_const", "STORE_FAST",
    "LOAD_CONST", "LOAD_GLOBAL", "BINARY_OP", "LOAD_ATTR",
    "compare_op_pop_jump_if_false", "CALL", "PUSH_NULL", "LOAD_METHOD",
    "POP_TOP", "RETURN_VALUE", "JUMP_BACKWARD", "FOR_ITER",
    # 16-23
    "store_fast_load_fast", "POP_JUMP_IF_FALSE", "POP_JUMP_IF_TRUE", "COMPARE_OP",
    "JUMP_FORWARD", "STORE_ATTR", "BINARY_SUBSCR", "LOAD_DEREF",
    # 24-31 (27 and 28 share one call path)
    "IS_OP", "CONTAINS_OP", "LOAD_NAME", "CALL_FUNCTION_EX",
    "CALL_KW", "COPY", "SWAP", "STORE_SUBSCR",
    # 32-39
    "BUILD_TUPLE", "LOAD_FAST_CHECK", "STORE_DEREF", "UNPACK_SEQUENCE",
    "compare_op_pop_jump_if_true", "POP_JUMP_IF_NONE", "POP_JUMP_IF_NOT_NONE", "GET_ITER",
    # 40-46
    "JUMP_IF_FALSE_OR_POP", "JUMP_IF_TRUE_OR_POP", "LIST_APPEND", "YIELD_VALUE",
    "SEND", "RAISE_VARARGS", "RERAISE",
    # 47-53
    "PUSH_EXC_INFO", "POP_EXCEPT", "STORE_NAME", "JUMP_BACKWARD_NO_INTERRUPT",
    "NOP", "END_ASYNC_FOR", "BUILD_LIST",
]  # fmt: skip
FIRST_TABLE_OP = len(INLINE)
assert FIRST_TABLE_OP == 54
LOAD_FAST_LOAD_FAST = INLINE.index("load_fast_load_fast")
LOAD_FAST_LOAD_CONST = INLINE.index("load_fast_load_const")
STORE_FAST_LOAD_FAST = INLINE.index("store_fast_load_fast")
COMPARE_OP_POP_JUMP_IF_FALSE = INLINE.index("compare_op_pop_jump_if_false")
COMPARE_OP_POP_JUMP_IF_TRUE = INLINE.index("compare_op_pop_jump_if_true")

internal: dict[int, int] = {}  # pvm opcode -> internal number
names: dict[int, str] = {}  # internal number -> opcode name (for the handler table)
for _i, _name in enumerate(INLINE):
    names[_i] = _name
    if _name.isupper():
        internal[_op.opmap[_name]] = _i
_next = FIRST_TABLE_OP
for _name, _number in _op.opmap.items():
    if _number not in internal:
        internal[_number] = _next
        names[_next] = _name
        _next += 1
# Operations with no pvm opcode of their own, which the decoder picks for special cases.
# load_attr_traceback: LOAD_ATTR of "__traceback__", so that an exception's traceback
# shows the guest's frames (the name is known at decode time: no cost to other loads).
# load_attr_with_traceback, load_method_with_traceback, store_attr_traceback: an
# exception's with_traceback() and __traceback__ assignment accept that guest view and
# replace the guest frames too.
# trace_entry, trace_point: see pvm.vm.trace (only in code run while a thread traces).
# decode_entry: the one instruction of code not yet run (see Decoded).
for _name in (
    "load_attr_traceback", "load_attr_with_traceback", "load_method_with_traceback",
    "store_attr_traceback", "trace_entry", "trace_point", "decode_entry",
):  # fmt: skip
    names[_next] = _name
    _next += 1
LOAD_ATTR_TRACEBACK = _next - 7
LOAD_ATTR_WITH_TRACEBACK = _next - 6
LOAD_METHOD_WITH_TRACEBACK = _next - 5
STORE_ATTR_TRACEBACK = _next - 4
TRACE_ENTRY = _next - 3
TRACE_POINT = _next - 2
DECODE_ENTRY = _next - 1
TABLE_SIZE = 128
assert DECODE_ENTRY < TABLE_SIZE

BINARY_FUNCS = [
    operator.add, operator.and_, operator.floordiv, operator.lshift, operator.matmul,
    operator.mul, operator.mod, operator.or_, operator.pow, operator.rshift,
    operator.sub, operator.truediv, operator.xor,
    operator.iadd, operator.iand, operator.ifloordiv, operator.ilshift, operator.imatmul,
    operator.imul, operator.imod, operator.ior, operator.ipow, operator.irshift,
    operator.isub, operator.itruediv, operator.ixor,
]  # fmt: skip
COMPARE_FUNCS = [operator.lt, operator.le, operator.eq, operator.ne, operator.gt, operator.ge]

KIND_PLAIN, KIND_GENERATOR, KIND_COROUTINE, KIND_ASYNC_GENERATOR = 0, 1, 2, 3
# Plain code without CO_OPTIMIZED (module-level code made into a function): its frames
# use the function's globals as their locals, as CPython's _PyFunction_Vectorcall.
KIND_UNOPTIMIZED = 4


class Decoded:
    """The run-ready form of one CodeObject, cached on ``code._decoded``.

    The instructions are decoded when the code first runs, not when a function is made
    of it: most functions a module defines never run in a given program (importing
    ``unittest`` makes thousands), and decoding is most of the cost of making one.
    Until then ``instrs`` holds the single instruction ``decode_entry``, which decodes
    and fills that same list in place (functions and frames keep a reference to it), so
    the call path pays nothing for the laziness.  ``plain`` decodes on first use too.
    """

    __slots__ = (
        "__weakref__", "_plain", "cell2arg", "code", "freeslot", "handlers", "instrs",
        "kind", "ncellvars", "nlocals", "traced",
    )  # fmt: skip

    def __init__(self, code: CodeObject) -> None:
        self.code = weakref.ref(code)
        self.traced: Any = None  # the traced forms, made by pvm.vm.trace on demand
        # instrs is what frames start on (functions keep a reference to this list); its
        # first instruction becomes trace_entry while some thread traces (pvm.vm.trace).
        # plain is the same and never changes.
        self._plain: list | None = None
        self.instrs: list = [(DECODE_ENTRY, None)]
        ALL.add(self)
        self.handlers = [tuple(e) for e in code.co_exceptiontable]
        self.nlocals = len(code.co_varnames)
        self.ncellvars = len(code.co_cellvars)
        # For each cell variable: the index of the argument it starts out holding, or -1.
        nargs = code.co_argcount + code.co_kwonlyargcount
        nargs += bool(code.co_flags & 0x04) + bool(code.co_flags & 0x08)
        argnames = code.co_varnames[:nargs]
        self.cell2arg = [argnames.index(n) if n in argnames else -1 for n in code.co_cellvars]
        flags = code.co_flags
        if flags & CO_GENERATOR:
            self.kind = KIND_GENERATOR
        elif flags & CO_COROUTINE:
            self.kind = KIND_COROUTINE
        elif flags & CO_ASYNC_GENERATOR:
            self.kind = KIND_ASYNC_GENERATOR
        elif not flags & 0x0001:  # CO_OPTIMIZED
            self.kind = KIND_UNOPTIMIZED
        else:
            self.kind = KIND_PLAIN
        self.freeslot = len(code.co_cellvars)

    @property
    def filled(self) -> bool:
        """Return whether the instructions have been decoded."""
        return self._plain is not None

    @property
    def plain(self) -> list:
        """Return the decoded instructions (superinstructions fused), decoding them now."""
        plain = self._plain
        if plain is None:
            code = self.code()
            if code is None:
                raise SystemError("pvm: decoding a code object that no longer exists")
            plain = self.fill(code)
        return plain

    def fill(self, code: CodeObject) -> list:
        """Decode code's instructions into place (once) and return the plain form.

        Takes the code rather than using ``self.code``: a finalizer (``__del__``) run by
        the host's cycle collector may run code whose weak references were cleared.
        """
        if self._plain is not None:
            return self._plain
        raw = list(code.instructions())
        plain = _fuse(unfused(code, raw), raw)
        with _FILLING:
            if self._plain is None:  # another thread may have filled it meanwhile
                instrs = list(plain)
                if TRACING[0] and instrs:
                    instrs[0] = (TRACE_ENTRY, plain[0])
                self.instrs[:] = instrs  # in place: functions and frames share this list
                self._plain = plain
        return self._plain


# Every Decoded made (weakly), and whether some thread traces or profiles: pvm.vm.trace
# then puts trace_entry first in each one's instrs, so that calls report 'call'.
ALL: weakref.WeakSet = weakref.WeakSet()
TRACING = [False]
# Held while a Decoded's instructions are put in place: two threads may both decode the
# same code on its first calls (the host can switch threads between any two bytecodes).
_FILLING = threading.Lock()


# (pvm opcode, attribute name) -> the decoder-only operation that replaces it.
_SPECIAL_ATTRS = {
    (_op.LOAD_ATTR, "__traceback__"): LOAD_ATTR_TRACEBACK,
    (_op.LOAD_ATTR, "with_traceback"): LOAD_ATTR_WITH_TRACEBACK,
    (_op.LOAD_METHOD, "with_traceback"): LOAD_METHOD_WITH_TRACEBACK,
    (_op.STORE_ATTR, "__traceback__"): STORE_ATTR_TRACEBACK,
}


def unfused(code: CodeObject, raw: list | None = None) -> list[tuple[int, Any]]:
    """Return code's instructions decoded one for one (no superinstructions)."""
    if raw is None:
        raw = list(code.instructions())
    instrs: list[tuple[int, Any]] = []
    consts, co_names = code.co_consts, code.co_names
    for _index, op, arg in raw:
        kind = _op.argkind[op]
        if op not in internal:
            raise ValueError(f"unknown opcode {op} in {code!r}")
        if kind is ArgKind.CONST:
            value: Any = consts[arg]
        elif kind is ArgKind.NAME:
            value = co_names[arg]
        elif kind is ArgKind.BINARY:
            value = BINARY_FUNCS[arg]
        elif kind is ArgKind.COMPARE:
            value = COMPARE_FUNCS[arg]
        else:
            value = arg
        if op == _op.RETURN_VALUE:
            # The loop reverses the locals of a returning frame with more than one,
            # so that they die first to last (interpreter.py): say so here, once.
            value = len(code.co_varnames) > 1
        special = _SPECIAL_ATTRS.get((op, value))
        if special is not None:
            instrs.append((special, value))
            continue
        instrs.append((internal[op], value))
    return instrs


def _fuse(instrs: list[tuple[int, Any]], raw: list[tuple[int, int, int]]) -> list:
    """Replace common instruction pairs by superinstructions, keeping indexes intact."""
    load_fast, load_const = internal[_op.LOAD_FAST], internal[_op.LOAD_CONST]
    store_fast, compare = internal[_op.STORE_FAST], internal[_op.COMPARE_OP]
    if_false, if_true = internal[_op.POP_JUMP_IF_FALSE], internal[_op.POP_JUMP_IF_TRUE]
    out = list(instrs)
    for i in range(len(instrs) - 1):
        (a, x), (b, y) = instrs[i], instrs[i + 1]
        if a == load_fast and b == load_fast:
            out[i] = (LOAD_FAST_LOAD_FAST, (x, y))
        elif a == load_fast and b == load_const:
            out[i] = (LOAD_FAST_LOAD_CONST, (x, y))
        elif a == store_fast and b == load_fast:
            out[i] = (STORE_FAST_LOAD_FAST, (x, y))
        elif a == compare and b == if_false:
            out[i] = (COMPARE_OP_POP_JUMP_IF_FALSE, (x, y))
        elif a == compare and b == if_true:
            out[i] = (COMPARE_OP_POP_JUMP_IF_TRUE, (x, y))
    return out


def decode(code: CodeObject) -> Decoded:
    """Return the decoded form of code, decoding and caching it on first use."""
    dec = code._decoded
    if dec is None:
        dec = code._decoded = Decoded(code)
    return dec
