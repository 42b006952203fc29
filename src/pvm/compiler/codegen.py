"""Code generation: compilation units, names and scopes; statements and expressions live in mixins."""

from __future__ import annotations

import ast
import math
from typing import Any

from pvm.bytecode import opcode as op
from pvm.bytecode.code import (
    CO_ASYNC_GENERATOR,
    CO_COROUTINE,
    CO_GENERATOR,
    CO_NESTED,
    CO_NEWLOCALS,
    CO_OPTIMIZED,
    CO_VARARGS,
    CO_VARKEYWORDS,
    CodeObject,
    Position,
)
from pvm.compiler import symtable as st
from pvm.compiler.assemble import JUMP_NO_INTERRUPT, LABEL, POP_BLOCK, Label, assemble
from pvm.compiler.codegen_expr import ExprMixin
from pvm.compiler.codegen_match import MatchMixin
from pvm.compiler.codegen_scopes import ScopeMixin
from pvm.compiler.codegen_stmt import StmtMixin
from pvm.compiler.codegen_try import TryMixin
from pvm.compiler.unit import FBlock, ScopeType, Unit

CO_FUTURE_ANNOTATIONS = 0x1000000
# Compiler flags that are passed through to co_flags (PyCF_MASK).
PYCF_MASK = 0x20000 | 0x40000 | 0x80000 | 0x100000 | 0x200000 | 0x400000 | 0x800000 | 0x1000000
PYCF_ALLOW_TOP_LEVEL_AWAIT = 0x2000


def _const_key(value: Any) -> Any:
    """Return a key that tells apart constants that compare equal but differ (0, 0.0, -0.0, True)."""
    t = type(value)
    if t is float:
        if value == 0.0 or math.isnan(value):
            return (t, repr(value), math.copysign(1.0, value))
        return (t, value)
    if t is complex:
        return (t, _const_key(value.real), _const_key(value.imag))
    if t is tuple:
        return (t, tuple(_const_key(v) for v in value))
    if t is frozenset:
        return (t, frozenset(_const_key(v) for v in value))
    if t is CodeObject:
        # Equal code (a finally body compiled twice) is shared, as CPython's const merging.
        return (
            t,
            value.co_name,
            value.co_qualname,
            value.co_firstlineno,
            value.co_flags,
            value.co_argcount,
            value.co_posonlyargcount,
            value.co_kwonlyargcount,
            value.co_code,
            tuple(_const_key(c) for c in value.co_consts),
            value.co_names,
            value.co_varnames,
            value.co_freevars,
            value.co_cellvars,
            value.co_linetable,
            value.co_exceptiontable,
        )
    return (t, value)


class CodeGen(StmtMixin, TryMixin, ExprMixin, ScopeMixin, MatchMixin):
    """Compile an AST into pvm CodeObjects, one Unit per scope."""

    def __init__(
        self, filename: str, table: st.SymbolTable, optimize: int, flags: int, interactive: bool
    ) -> None:
        self.filename = filename
        self.table = table
        self.optimize = optimize
        self.flags = flags
        self.future_annotations = bool(flags & CO_FUTURE_ANNOTATIONS)
        self.interactive = interactive
        self.top_level_await = bool(flags & PYCF_ALLOW_TOP_LEVEL_AWAIT)
        self.unit: Unit = None  # type: ignore[assignment]
        self.stack: list[Unit] = []
        self.loc = Position(1, 1, 0, 0)
        self.future_lineno = 0

    # -- errors ------------------------------------------------------------------

    def error(self, msg: str, node: Any = None) -> SyntaxError:
        """Return a SyntaxError at node (or at the current location)."""
        if node is None:
            node = _LocNode(self.loc)
        return st.syntax_error(msg, self.filename, node)

    def warn(self, msg: str, node: Any) -> None:
        """Issue a SyntaxWarning at node (or the current location), as CPython's compiler does."""
        import warnings

        lineno = getattr(node, "lineno", 1) if node is not None else (self.loc.lineno or 1)
        try:
            warnings.warn_explicit(msg, SyntaxWarning, self.filename, lineno)
        except SyntaxWarning:
            # -W error: CPython reports the warning as a SyntaxError at the same place.
            raise self.error(msg, node) from None

    # -- units -------------------------------------------------------------------

    def enter_unit(self, node: Any, name: str, scope_type: ScopeType, firstlineno: int) -> Unit:
        """Start compiling a new code object for node's scope."""
        scope = self.table.lookup(node)
        unit = Unit(scope, name, scope_type, firstlineno, self.filename)
        if self.unit is not None:
            self.unit.saved_loc = self.loc
            self.stack.append(self.unit)
        self.unit = unit
        # As compiler_enter_scope: a new unit starts at (firstlineno, col 0).
        self.loc = Position(firstlineno, firstlineno, 0, 0)
        if scope_type is ScopeType.CLASS:
            unit.private = node.name
        self.set_qualname(unit)
        return unit

    def exit_unit(self) -> None:
        """Return to the enclosing unit and its current location."""
        self.unit = self.stack.pop() if self.stack else None  # type: ignore[assignment]
        if self.unit is not None:
            self.loc = self.unit.saved_loc

    def set_qualname(self, unit: Unit) -> None:
        """Compute co_qualname as CPython's compiler_set_qualname does."""
        if not self.stack:
            return
        parent = self.unit if self.unit is not unit else self.stack[-1]
        if parent.scope_type is ScopeType.MODULE:
            return
        force_global = False
        if unit.scope_type in (ScopeType.FUNCTION, ScopeType.ASYNC_FUNCTION, ScopeType.CLASS):
            mangled = st.mangle(parent.private, unit.name)
            if parent.scope.scope_of(mangled) == st.GLOBAL_EXPLICIT:
                force_global = True
        if force_global:
            return
        if parent.scope_type in (ScopeType.FUNCTION, ScopeType.ASYNC_FUNCTION, ScopeType.LAMBDA):
            base = parent.qualname + ".<locals>"
        else:
            base = parent.qualname
        unit.qualname = base + "." + unit.name

    def finish_unit(self, add_none: bool = True) -> CodeObject:
        """Add the implicit return, compute flags and assemble the current unit."""
        unit = self.unit
        last = unit.instrs[-1][0] if unit.instrs else None
        if last != op.RETURN_VALUE:
            # Artificial: takes the line of what runs before it (or the def line).
            self.loc = Position(None, None, None, None)
            if add_none:
                self.load_const(None)
            self.emit(op.RETURN_VALUE)
        unit.flags = self.code_flags(unit)
        return assemble(unit)

    def code_flags(self, unit: Unit) -> int:
        """Return co_flags for a unit, as CPython's compute_code_flags."""
        scope = unit.scope
        flags = 0
        if scope.kind == st.FUNCTION:
            flags |= CO_NEWLOCALS | CO_OPTIMIZED
            if scope.nested:
                flags |= CO_NESTED
            if scope.is_generator and not scope.is_coroutine:
                flags |= CO_GENERATOR
            if not scope.is_generator and scope.is_coroutine:
                flags |= CO_COROUTINE
            if scope.is_generator and scope.is_coroutine:
                flags |= CO_ASYNC_GENERATOR
            if scope.varargs:
                flags |= CO_VARARGS
            if scope.varkeywords:
                flags |= CO_VARKEYWORDS
        flags |= self.flags & PYCF_MASK
        if (
            self.top_level_await
            and scope.kind == st.MODULE
            and scope.is_coroutine
            and not scope.is_generator
        ):
            flags |= CO_COROUTINE
        return flags

    # -- emission ----------------------------------------------------------------

    def emit(self, opc: int, arg: Any = 0) -> None:
        """Append one instruction at the current location."""
        instrs = self.unit.instrs
        if opc == op.BUILD_TUPLE and 0 < arg <= len(instrs):
            # LOAD_CONST a; LOAD_CONST b; BUILD_TUPLE 2 -> LOAD_CONST (a, b), as CPython's
            # fold_tuple_on_constants (the loads cannot be jump targets: labels sit in instrs).
            tail = instrs[-arg:]
            if all(ins[0] == op.LOAD_CONST for ins in tail):
                consts = self.unit.consts
                value = tuple(consts[ins[1]] for ins in tail)
                del instrs[-arg:]
                self.load_const(value)
                return
        instrs.append([opc, arg, self.loc])

    def new_label(self) -> Label:
        """Make a jump target."""
        return Label()

    def place(self, label: Label) -> None:
        """Put label at the current end of the code."""
        self.unit.instrs.append([LABEL, label, None])

    def set_loc(self, node: Any) -> None:
        """Make node's position the current one (kept as is if node has none, e.g. a hand-built AST)."""
        try:
            self.loc = Position(node.lineno, node.end_lineno, node.col_offset, node.end_col_offset)
        except AttributeError:
            lineno = getattr(node, "lineno", None)
            if lineno is not None:
                self.loc = Position(
                    lineno,
                    getattr(node, "end_lineno", None),
                    getattr(node, "col_offset", None),
                    getattr(node, "end_col_offset", None),
                )

    def unset_loc(self) -> None:
        """Mark the following instructions artificial (they inherit a neighbour's line)."""
        self.loc = Position(None, None, None, None)

    def add_const(self, value: Any) -> int:
        """Return the co_consts index of value, adding it if needed."""
        unit = self.unit
        key = _const_key(value)
        idx = unit.const_index.get(key)
        if idx is None:
            idx = len(unit.consts)
            unit.consts.append(value)
            unit.const_index[key] = idx
        return idx

    def load_const(self, value: Any) -> None:
        """Emit LOAD_CONST value."""
        self.emit(op.LOAD_CONST, self.add_const(value))

    def add_name(self, name: str) -> int:
        """Return the co_names index of name, adding it if needed."""
        unit = self.unit
        idx = unit.name_index.get(name)
        if idx is None:
            idx = len(unit.names)
            unit.names.append(name)
            unit.name_index[name] = idx
        return idx

    def emit_name(self, opc: int, name: str) -> None:
        """Emit an instruction with a (mangled) co_names argument."""
        self.emit(opc, self.add_name(st.mangle(self.unit.private, name)))

    def add_varname(self, name: str) -> int:
        """Return the co_varnames index of name, adding it if needed."""
        unit = self.unit
        idx = unit.var_index.get(name)
        if idx is None:
            idx = len(unit.varnames)
            unit.varnames.append(name)
            unit.var_index[name] = idx
        return idx

    # -- names -------------------------------------------------------------------

    def nameop(self, name: str, ctx: str, node: Any = None) -> None:
        """Load ('load'), store ('store') or delete ('del') a variable, as compiler_nameop."""
        unit = self.unit
        if name == "__debug__" and ctx != "load":
            raise self.error(
                "cannot assign to __debug__" if ctx == "store" else "cannot delete __debug__", node
            )
        mangled = st.mangle(unit.private, name)
        scope = unit.scope.scope_of(mangled)
        kind = unit.scope.kind
        if scope == st.FREE or scope == st.CELL:
            idx = unit.free_index[mangled] if scope == st.FREE else unit.cell_index[mangled]
            if ctx == "load":
                self.emit(op.LOAD_CLASSDEREF if kind == st.CLASS else op.LOAD_DEREF, idx)
            elif ctx == "store":
                self.emit(op.STORE_DEREF, idx)
            else:
                self.emit(op.DELETE_DEREF, idx)
            return
        if scope == st.LOCAL and kind == st.FUNCTION:
            idx = self.add_varname(mangled)
            self.emit(
                {"load": op.LOAD_FAST, "store": op.STORE_FAST, "del": op.DELETE_FAST}[ctx], idx
            )
            return
        if scope == st.GLOBAL_EXPLICIT or (scope == st.GLOBAL_IMPLICIT and kind == st.FUNCTION):
            opc = {"load": op.LOAD_GLOBAL, "store": op.STORE_GLOBAL, "del": op.DELETE_GLOBAL}[ctx]
        else:
            opc = {"load": op.LOAD_NAME, "store": op.STORE_NAME, "del": op.DELETE_NAME}[ctx]
        self.emit(opc, self.add_name(mangled))

    # -- fblocks and unwinding ---------------------------------------------------

    def push_fblock(
        self, kind: FBlock, block: Label | None, exit: Label | None, datum: Any = None
    ) -> None:
        """Enter a frame block (loop, try, with ...)."""
        if len(self.unit.fblocks) >= 20:
            raise self.error("too many statically nested blocks")
        self.unit.fblocks.append((kind, block, exit, datum))

    def pop_fblock(self) -> None:
        """Leave the innermost frame block."""
        self.unit.fblocks.pop()

    def unwind_fblock(self, info: tuple, preserve_tos: bool) -> None:
        """Emit the code that leaves one frame block early, as compiler_unwind_fblock."""
        kind, _block, _exit, datum = info
        if kind in (FBlock.WHILE_LOOP, FBlock.EXCEPTION_HANDLER, FBlock.EXCEPTION_GROUP_HANDLER,
                    FBlock.ASYNC_COMPREHENSION_GENERATOR):  # fmt: skip
            return
        if kind is FBlock.FOR_LOOP:
            if preserve_tos:
                self.emit(op.SWAP, 2)
            self.emit(op.POP_TOP)
        elif kind is FBlock.TRY_EXCEPT:
            self.emit(POP_BLOCK)
        elif kind is FBlock.FINALLY_TRY:
            self.emit(POP_BLOCK)
            if preserve_tos:
                self.push_fblock(FBlock.POP_VALUE, None, None)
            self.visit_body(datum)
            if preserve_tos:
                self.pop_fblock()
            self.unset_loc()
        elif kind is FBlock.FINALLY_END:
            if preserve_tos:
                self.emit(op.SWAP, 2)
            self.emit(op.POP_TOP)
            if preserve_tos:
                self.emit(op.SWAP, 2)
            self.emit(POP_BLOCK)
            self.emit(op.POP_EXCEPT)
        elif kind in (FBlock.WITH, FBlock.ASYNC_WITH):
            self.set_loc(datum)
            self.emit(POP_BLOCK)
            if preserve_tos:
                self.emit(op.SWAP, 2)
            self.call_exit_with_nones()
            if kind is FBlock.ASYNC_WITH:
                self.emit(op.GET_AWAITABLE, op.AWAIT_AEXIT)
                self.load_const(None)
                self.yield_from_loop()
            self.emit(op.POP_TOP)
            self.unset_loc()
        elif kind is FBlock.HANDLER_CLEANUP:
            if datum:
                self.emit(POP_BLOCK)
            if preserve_tos:
                self.emit(op.SWAP, 2)
            self.emit(POP_BLOCK)
            self.emit(op.POP_EXCEPT)
            if datum:
                self.load_const(None)
                self.nameop(datum, "store")
                self.nameop(datum, "del")
        elif kind is FBlock.POP_VALUE:
            if preserve_tos:
                self.emit(op.SWAP, 2)
            self.emit(op.POP_TOP)

    def unwind_fblock_stack(self, preserve_tos: bool, want_loop: bool) -> tuple | None:
        """Unwind frame blocks down to the innermost loop (or all), returning that loop."""
        fblocks = self.unit.fblocks
        if not fblocks:
            return None
        top = fblocks[-1]
        if top[0] is FBlock.EXCEPTION_GROUP_HANDLER:
            raise self.error("'break', 'continue' and 'return' cannot appear in an except* block")
        if want_loop and top[0] in (FBlock.WHILE_LOOP, FBlock.FOR_LOOP):
            return top
        fblocks.pop()
        try:
            self.unwind_fblock(top, preserve_tos)
            loop = self.unwind_fblock_stack(preserve_tos, want_loop)
        finally:
            fblocks.append(top)
        return loop

    def call_exit_with_nones(self) -> None:
        """Call the __exit__ below the top of the stack with three Nones."""
        self.load_const(None)
        self.load_const(None)
        self.load_const(None)
        self.emit(op.CALL, 2)

    def yield_from_loop(self) -> None:
        """Emit the SEND / YIELD_VALUE 1 delegation loop (await, yield from)."""
        start = self.new_label()
        exit = self.new_label()
        self.place(start)
        self.emit(op.SEND, exit)
        self.emit(op.YIELD_VALUE, 1)
        self.emit(JUMP_NO_INTERRUPT, start)
        self.place(exit)

    # -- functions and closures --------------------------------------------------

    def make_closure(self, code: CodeObject, flags: int) -> None:
        """Emit MAKE_FUNCTION for code, loading the cells it closes over."""
        if code.co_freevars:
            unit = self.unit
            for name in code.co_freevars:
                if unit.scope_type is ScopeType.CLASS and name == "__class__":
                    idx = unit.cell_index["__class__"]
                elif unit.scope.scope_of(name) == st.CELL:
                    idx = unit.cell_index[name]
                else:
                    idx = unit.free_index[name]
                self.emit(op.LOAD_CLOSURE, idx)
            self.emit(op.BUILD_TUPLE, len(code.co_freevars))
            flags |= op.MF_CLOSURE
        self.load_const(code)
        self.emit(op.MAKE_FUNCTION, flags)


class _LocNode:
    """A stand-in node carrying a Position, for errors at the current location."""

    def __init__(self, pos: Position) -> None:
        self.lineno = pos.lineno or 1
        self.end_lineno = pos.end_lineno or self.lineno
        self.col_offset = pos.col_offset or 0
        self.end_col_offset = pos.end_col_offset or self.col_offset


def compile_tree(tree: ast.AST, filename: str, mode: str, flags: int, optimize: int) -> CodeObject:
    """Run scope analysis and code generation over a parsed tree."""
    from pvm.compiler.future import check_future

    future_flags, future_lineno = check_future(tree, filename)
    flags |= future_flags
    table = st.SymbolTable(filename, bool(flags & CO_FUTURE_ANNOTATIONS))
    table.build(tree)
    gen = CodeGen(filename, table, optimize, flags, mode == "single")
    gen.future_lineno = future_lineno
    return gen.compile_module(tree, mode)
