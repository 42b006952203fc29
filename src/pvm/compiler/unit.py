"""The code generator's per-code-object state and its small vocabularies (scope and block kinds)."""

from __future__ import annotations

from enum import Enum

from pvm.bytecode.code import Position
from pvm.compiler import symtable as st


class ScopeType(Enum):
    """The kind of code a unit compiles (CPython's COMPILER_SCOPE_*)."""

    MODULE = 0
    CLASS = 1
    FUNCTION = 2
    ASYNC_FUNCTION = 3
    LAMBDA = 4
    COMPREHENSION = 5


class Unit:
    """The code generator's state for one code object being compiled."""

    def __init__(
        self, scope: st.Scope, name: str, scope_type: ScopeType, firstlineno: int, filename: str
    ) -> None:
        self.scope = scope
        self.name = name
        self.scope_type = scope_type
        self.firstlineno = firstlineno
        self.filename = filename
        self.qualname = name
        self.instrs: list[list] = []
        self.consts: list = []
        self.const_index: dict = {}
        self.names: list[str] = []
        self.name_index: dict[str, int] = {}
        self.varnames: list[str] = list(scope.params) if scope.kind == st.FUNCTION else []
        self.var_index: dict[str, int] = {n: i for i, n in enumerate(self.varnames)}
        self.cellvars = list(scope.cellvars)
        self.freevars = list(scope.freevars)
        # A class's own __class__ cell and an outer __class__ can both exist: cells and
        # frees are looked up separately, by the name's resolved scope.
        self.cell_index = {n: i for i, n in enumerate(self.cellvars)}
        self.free_index = {n: len(self.cellvars) + i for i, n in enumerate(self.freevars)}
        self.fblocks: list[tuple] = []
        self.private = scope.private
        self.argcount = 0
        self.posonlyargcount = 0
        self.kwonlyargcount = 0
        self.nparams = len(self.varnames)
        self.optimized = scope.kind == st.FUNCTION
        self.flags = 0
        self.saved_loc: Position | None = None


class FBlock(Enum):
    """Kinds of frame blocks the unwinder knows about (CPython's fblocktype)."""

    WHILE_LOOP = 0
    FOR_LOOP = 1
    TRY_EXCEPT = 2
    FINALLY_TRY = 3
    FINALLY_END = 4
    WITH = 5
    ASYNC_WITH = 6
    HANDLER_CLEANUP = 7
    POP_VALUE = 8
    EXCEPTION_HANDLER = 9
    EXCEPTION_GROUP_HANDLER = 10
    ASYNC_COMPREHENSION_GENERATOR = 11
