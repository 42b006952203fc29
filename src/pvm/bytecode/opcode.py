"""The pvm instruction set: opcode numbers, argument kinds and stack effects.

This module is the single source of truth for the instruction set; docs/bytecode.md
explains what each instruction does. It holds data only: the disassembler lives in
dis.py, the assembler in pvm.compiler.assemble, the handlers in pvm.vm.interpreter.

Encoding: every instruction is one 32-bit little-endian word in ``co_code``:
the low byte is the opcode, the high 24 bits the argument. There is no
EXTENDED_ARG and there are no inline caches. Jump arguments are absolute
instruction indexes (offset // 4); the byte offset of instruction i is 4 * i.
"""

from enum import IntEnum

INSTRUCTION_SIZE = 4
MAX_ARG = (1 << 24) - 1


class ArgKind(IntEnum):
    """How the disassembler resolves an instruction's argument."""

    NONE = 0  # argument unused (always 0)
    INT = 1  # a plain number (counts, flags, depths)
    CONST = 2  # index into co_consts
    NAME = 3  # index into co_names
    LOCAL = 4  # index into co_varnames
    FREE = 5  # index into co_cellvars + co_freevars
    JUMP = 6  # absolute instruction index
    COMPARE = 7  # index into COMPARE_OPS
    BINARY = 8  # index into BINARY_OPS
    FORMAT = 9  # FORMAT_VALUE flags


# (name, argument kind).  Numbers are assigned in this order, starting at 1.
_TABLE = [
    ("NOP", ArgKind.NONE),
    ("POP_TOP", ArgKind.NONE),
    ("COPY", ArgKind.INT),
    ("SWAP", ArgKind.INT),
    ("PUSH_NULL", ArgKind.NONE),
    # loads and stores
    ("LOAD_CONST", ArgKind.CONST),
    ("LOAD_FAST", ArgKind.LOCAL),
    ("LOAD_FAST_CHECK", ArgKind.LOCAL),
    ("STORE_FAST", ArgKind.LOCAL),
    ("DELETE_FAST", ArgKind.LOCAL),
    ("LOAD_NAME", ArgKind.NAME),
    ("STORE_NAME", ArgKind.NAME),
    ("DELETE_NAME", ArgKind.NAME),
    ("LOAD_GLOBAL", ArgKind.NAME),
    ("STORE_GLOBAL", ArgKind.NAME),
    ("DELETE_GLOBAL", ArgKind.NAME),
    ("LOAD_DEREF", ArgKind.FREE),
    ("STORE_DEREF", ArgKind.FREE),
    ("DELETE_DEREF", ArgKind.FREE),
    ("LOAD_CLASSDEREF", ArgKind.FREE),
    ("LOAD_CLOSURE", ArgKind.FREE),
    ("LOAD_ATTR", ArgKind.NAME),
    ("STORE_ATTR", ArgKind.NAME),
    ("DELETE_ATTR", ArgKind.NAME),
    ("LOAD_METHOD", ArgKind.NAME),
    ("BINARY_SUBSCR", ArgKind.NONE),
    ("STORE_SUBSCR", ArgKind.NONE),
    ("DELETE_SUBSCR", ArgKind.NONE),
    ("BUILD_SLICE", ArgKind.INT),
    ("LOAD_ASSERTION_ERROR", ArgKind.NONE),
    ("LOAD_BUILD_CLASS", ArgKind.NONE),
    ("SETUP_ANNOTATIONS", ArgKind.NONE),
    ("LOAD_LOCALS", ArgKind.NONE),
    # operators
    ("UNARY_POSITIVE", ArgKind.NONE),
    ("UNARY_NEGATIVE", ArgKind.NONE),
    ("UNARY_NOT", ArgKind.NONE),
    ("UNARY_INVERT", ArgKind.NONE),
    ("BINARY_OP", ArgKind.BINARY),
    ("COMPARE_OP", ArgKind.COMPARE),
    ("IS_OP", ArgKind.INT),
    ("CONTAINS_OP", ArgKind.INT),
    # jumps
    ("JUMP_FORWARD", ArgKind.JUMP),
    ("JUMP_BACKWARD", ArgKind.JUMP),
    ("JUMP_BACKWARD_NO_INTERRUPT", ArgKind.JUMP),
    ("POP_JUMP_IF_FALSE", ArgKind.JUMP),
    ("POP_JUMP_IF_TRUE", ArgKind.JUMP),
    ("POP_JUMP_IF_NONE", ArgKind.JUMP),
    ("POP_JUMP_IF_NOT_NONE", ArgKind.JUMP),
    ("JUMP_IF_FALSE_OR_POP", ArgKind.JUMP),
    ("JUMP_IF_TRUE_OR_POP", ArgKind.JUMP),
    ("GET_ITER", ArgKind.NONE),
    ("FOR_ITER", ArgKind.JUMP),
    # building
    ("BUILD_TUPLE", ArgKind.INT),
    ("BUILD_LIST", ArgKind.INT),
    ("BUILD_SET", ArgKind.INT),
    ("BUILD_MAP", ArgKind.INT),
    ("BUILD_CONST_KEY_MAP", ArgKind.INT),
    ("BUILD_STRING", ArgKind.INT),
    ("LIST_APPEND", ArgKind.INT),
    ("SET_ADD", ArgKind.INT),
    ("MAP_ADD", ArgKind.INT),
    ("LIST_EXTEND", ArgKind.INT),
    ("SET_UPDATE", ArgKind.INT),
    ("DICT_UPDATE", ArgKind.INT),
    ("DICT_MERGE", ArgKind.INT),
    ("LIST_TO_TUPLE", ArgKind.NONE),
    ("UNPACK_SEQUENCE", ArgKind.INT),
    ("UNPACK_EX", ArgKind.INT),
    ("FORMAT_VALUE", ArgKind.FORMAT),
    # calls and functions
    ("CALL", ArgKind.INT),
    ("CALL_KW", ArgKind.INT),
    ("CALL_FUNCTION_EX", ArgKind.INT),
    ("MAKE_FUNCTION", ArgKind.INT),
    ("RETURN_VALUE", ArgKind.NONE),
    # generators and coroutines
    ("YIELD_VALUE", ArgKind.INT),
    ("GET_YIELD_FROM_ITER", ArgKind.NONE),
    ("SEND", ArgKind.JUMP),
    ("GET_AWAITABLE", ArgKind.INT),
    ("GET_AITER", ArgKind.NONE),
    ("GET_ANEXT", ArgKind.NONE),
    ("END_ASYNC_FOR", ArgKind.NONE),
    ("BEFORE_ASYNC_WITH", ArgKind.NONE),
    ("ASYNC_GEN_WRAP", ArgKind.NONE),
    # exceptions and with
    ("RAISE_VARARGS", ArgKind.INT),
    ("RERAISE", ArgKind.INT),
    ("PUSH_EXC_INFO", ArgKind.NONE),
    ("POP_EXCEPT", ArgKind.NONE),
    ("CHECK_EXC_MATCH", ArgKind.NONE),
    ("CHECK_EG_MATCH", ArgKind.NONE),
    ("PREP_RERAISE_STAR", ArgKind.NONE),
    ("BEFORE_WITH", ArgKind.NONE),
    ("WITH_EXCEPT_START", ArgKind.NONE),
    # imports
    ("IMPORT_NAME", ArgKind.NAME),
    ("IMPORT_FROM", ArgKind.NAME),
    ("IMPORT_STAR", ArgKind.NONE),
    # pattern matching
    ("GET_LEN", ArgKind.NONE),
    ("MATCH_MAPPING", ArgKind.NONE),
    ("MATCH_SEQUENCE", ArgKind.NONE),
    ("MATCH_KEYS", ArgKind.NONE),
    ("MATCH_CLASS", ArgKind.INT),
    # interactive mode (added last: the numbers above stay as cached code has them)
    ("PRINT_EXPR", ArgKind.NONE),
]

opname: list[str] = ["<0>"] * 256
opmap: dict[str, int] = {}
argkind: list[ArgKind] = [ArgKind.NONE] * 256

for _number, (_name, _kind) in enumerate(_TABLE, start=1):
    opname[_number] = _name
    opmap[_name] = _number
    argkind[_number] = _kind
    globals()[_name] = _number

del _number, _name, _kind

HAVE_ARGUMENT = frozenset(op for op in opmap.values() if argkind[op] is not ArgKind.NONE)
JUMPS = frozenset(op for op in opmap.values() if argkind[op] is ArgKind.JUMP)
# Instructions after which control never falls through to the next one.
UNCONDITIONAL = frozenset(
    opmap[n]
    for n in (
        "JUMP_FORWARD",
        "JUMP_BACKWARD",
        "JUMP_BACKWARD_NO_INTERRUPT",
        "RETURN_VALUE",
        "RAISE_VARARGS",
        "RERAISE",
    )
)

# BINARY_OP arguments: the same numbering as CPython 3.11's NB_* constants.
BINARY_OPS = [
    "+", "&", "//", "<<", "@", "*", "%", "|", "**", ">>", "-", "/", "^",
    "+=", "&=", "//=", "<<=", "@=", "*=", "%=", "|=", "**=", ">>=", "-=", "/=", "^=",
]  # fmt: skip
NB_INPLACE = 13  # BINARY_OPS[i + NB_INPLACE] is the in-place form of BINARY_OPS[i]

COMPARE_OPS = ["<", "<=", "==", "!=", ">", ">="]

# FORMAT_VALUE flags
FVC_MASK = 0x3
FVC_NONE, FVC_STR, FVC_REPR, FVC_ASCII = 0, 1, 2, 3
FVS_HAVE_SPEC = 0x4

# MAKE_FUNCTION flags, in the order their operands are pushed (code object last)
MF_DEFAULTS = 0x01
MF_KWDEFAULTS = 0x02
MF_ANNOTATIONS = 0x04
MF_CLOSURE = 0x08

# GET_AWAITABLE arguments: where the await is, for error messages
AWAIT_PLAIN, AWAIT_AENTER, AWAIT_AEXIT = 0, 1, 2


def stack_effect(op: int, arg: int, jump: bool | None = None) -> int:
    """Return the net change in stack depth caused by one instruction.

    For instructions that branch, ``jump`` selects the effect when the branch is
    taken (True), not taken (False), or the maximum of both (None).
    """
    name = opname[op]
    if name in _FIXED:
        return _FIXED[name]
    if name in _BRANCH:
        taken, not_taken = _BRANCH[name]
        if jump is None:
            return max(taken, not_taken)
        return taken if jump else not_taken
    fn = _VARIABLE.get(name)
    if fn is None:
        raise ValueError(f"no stack effect for opcode {op} ({name})")
    return fn(arg)


_FIXED = {
    "NOP": 0,
    "POP_TOP": -1,
    "COPY": 1,
    "SWAP": 0,
    "PUSH_NULL": 1,
    "LOAD_CONST": 1,
    "LOAD_FAST": 1,
    "LOAD_FAST_CHECK": 1,
    "STORE_FAST": -1,
    "DELETE_FAST": 0,
    "LOAD_NAME": 1,
    "STORE_NAME": -1,
    "DELETE_NAME": 0,
    "LOAD_GLOBAL": 1,
    "STORE_GLOBAL": -1,
    "DELETE_GLOBAL": 0,
    "LOAD_DEREF": 1,
    "STORE_DEREF": -1,
    "DELETE_DEREF": 0,
    "LOAD_CLASSDEREF": 1,
    "LOAD_CLOSURE": 1,
    "LOAD_ATTR": 0,
    "STORE_ATTR": -2,
    "DELETE_ATTR": -1,
    "LOAD_METHOD": 1,
    "BINARY_SUBSCR": -1,
    "STORE_SUBSCR": -3,
    "DELETE_SUBSCR": -2,
    "LOAD_ASSERTION_ERROR": 1,
    "LOAD_BUILD_CLASS": 1,
    "SETUP_ANNOTATIONS": 0,
    "LOAD_LOCALS": 1,
    "UNARY_POSITIVE": 0,
    "UNARY_NEGATIVE": 0,
    "UNARY_NOT": 0,
    "UNARY_INVERT": 0,
    "BINARY_OP": -1,
    "COMPARE_OP": -1,
    "IS_OP": -1,
    "CONTAINS_OP": -1,
    "JUMP_FORWARD": 0,
    "JUMP_BACKWARD": 0,
    "JUMP_BACKWARD_NO_INTERRUPT": 0,
    "GET_ITER": 0,
    "LIST_APPEND": -1,
    "SET_ADD": -1,
    "MAP_ADD": -2,
    "LIST_EXTEND": -1,
    "SET_UPDATE": -1,
    "DICT_UPDATE": -1,
    "DICT_MERGE": -1,
    "LIST_TO_TUPLE": 0,
    "RETURN_VALUE": -1,
    "YIELD_VALUE": 0,
    "GET_YIELD_FROM_ITER": 0,
    "GET_AWAITABLE": 0,
    "GET_AITER": 0,
    "GET_ANEXT": 1,
    "END_ASYNC_FOR": -2,
    "BEFORE_ASYNC_WITH": 1,
    "ASYNC_GEN_WRAP": 0,
    "RERAISE": -1,
    "PUSH_EXC_INFO": 1,
    "POP_EXCEPT": -1,
    "CHECK_EXC_MATCH": 0,
    "CHECK_EG_MATCH": 0,
    "PREP_RERAISE_STAR": -1,
    "BEFORE_WITH": 1,
    "WITH_EXCEPT_START": 1,
    "IMPORT_NAME": -1,
    "IMPORT_FROM": 1,
    "IMPORT_STAR": -1,
    "GET_LEN": 1,
    "MATCH_MAPPING": 1,
    "MATCH_SEQUENCE": 1,
    "MATCH_KEYS": 1,
    "MATCH_CLASS": -2,
    "PRINT_EXPR": -1,
}

# (effect when the branch is taken, effect when it is not)
_BRANCH = {
    "POP_JUMP_IF_FALSE": (-1, -1),
    "POP_JUMP_IF_TRUE": (-1, -1),
    "POP_JUMP_IF_NONE": (-1, -1),
    "POP_JUMP_IF_NOT_NONE": (-1, -1),
    "JUMP_IF_FALSE_OR_POP": (0, -1),
    "JUMP_IF_TRUE_OR_POP": (0, -1),
    "FOR_ITER": (-1, 1),
    "SEND": (-1, 0),
}


def _make_function_effect(flags: int) -> int:
    return -bin(flags & 0xF).count("1")


_VARIABLE = {
    "BUILD_SLICE": lambda n: 1 - n,
    "BUILD_TUPLE": lambda n: 1 - n,
    "BUILD_LIST": lambda n: 1 - n,
    "BUILD_SET": lambda n: 1 - n,
    "BUILD_MAP": lambda n: 1 - 2 * n,
    "BUILD_CONST_KEY_MAP": lambda n: -n,
    "BUILD_STRING": lambda n: 1 - n,
    "UNPACK_SEQUENCE": lambda n: n - 1,
    "UNPACK_EX": lambda n: (n & 0xFF) + (n >> 8),
    "FORMAT_VALUE": lambda f: -1 if f & FVS_HAVE_SPEC else 0,
    "CALL": lambda n: -n - 1,
    "CALL_KW": lambda n: -n - 2,
    "CALL_FUNCTION_EX": lambda f: -2 - (f & 1),
    "MAKE_FUNCTION": _make_function_effect,
    "RAISE_VARARGS": lambda n: -n,
}
