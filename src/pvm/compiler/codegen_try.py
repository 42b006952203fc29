"""Code generation for try/except/finally, except* and with (a mixin of CodeGen)."""

from __future__ import annotations

import ast
from typing import Any

from pvm.bytecode import opcode as op
from pvm.compiler.assemble import (
    JUMP,
    LINE_NOP,
    POP_BLOCK,
    SETUP_CLEANUP,
    SETUP_FINALLY,
    SETUP_WITH,
)
from pvm.compiler.unit import FBlock, ScopeType

# Handler regions are opened by SETUP_* pseudo-instructions and closed by POP_BLOCK;
# the assembler turns them into exception table rows.  A handler entered with lasti
# sees  [..., lasti, exc]  and the canonical cleanup  COPY 3; POP_EXCEPT; RERAISE 1.


class TryMixin:
    """try statements and with statements, as CPython 3.11's compiler_try_* and compiler_with."""

    # -- try ---------------------------------------------------------------------

    def visit_Try(self, node: ast.Try) -> None:
        """Compile try/except/else/finally."""
        self.emit(LINE_NOP)
        if node.finalbody:
            self.try_finally(node)
        else:
            self.try_except(node)

    def try_finally(self, node: Any) -> None:
        """Compile try/finally: the finally body inline on the normal path and in a handler."""

        end = self.new_label()
        exit = self.new_label()
        cleanup = self.new_label()
        self.emit(SETUP_FINALLY, end)
        self.push_fblock(FBlock.FINALLY_TRY, None, end, node.finalbody)
        if node.handlers:
            if isinstance(node, ast.TryStar):
                self.try_star_except(node)
            else:
                self.try_except(node)
        else:
            self.visit_body(node.body)
        self.unset_loc()
        self.emit(POP_BLOCK)
        self.pop_fblock()
        self.visit_body(node.finalbody)
        self.unset_loc()
        self.emit(JUMP, exit)
        self.place(end)
        self.emit(SETUP_CLEANUP, cleanup)
        self.emit(op.PUSH_EXC_INFO)
        self.push_fblock(FBlock.FINALLY_END, end, None)
        self.visit_body(node.finalbody)
        self.pop_fblock()
        self.unset_loc()
        self.emit(op.RERAISE, 0)
        self.place(cleanup)
        self.pop_except_and_reraise()
        self.place(exit)

    def pop_except_and_reraise(self) -> None:
        """Emit COPY 3; POP_EXCEPT; RERAISE 1 (restore the previous exception, re-raise)."""
        self.emit(op.COPY, 3)
        self.emit(op.POP_EXCEPT)
        self.emit(op.RERAISE, 1)

    def try_except(self, node: Any) -> None:
        """Compile try/except/else, as compiler_try_except."""

        except_ = self.new_label()
        end = self.new_label()
        cleanup = self.new_label()
        self.emit(SETUP_FINALLY, except_)
        self.push_fblock(FBlock.TRY_EXCEPT, None, None)
        self.visit_body(node.body)
        self.pop_fblock()
        self.unset_loc()
        self.emit(POP_BLOCK)
        self.visit_body(node.orelse)
        self.unset_loc()
        self.emit(JUMP, end)
        self.place(except_)
        self.emit(SETUP_CLEANUP, cleanup)
        self.emit(op.PUSH_EXC_INFO)
        self.push_fblock(FBlock.EXCEPTION_HANDLER, None, None)
        n = len(node.handlers)
        for i, handler in enumerate(node.handlers):
            self.set_loc(handler)
            if handler.type is None and i < n - 1:
                raise self.error("default 'except:' must be last", handler)
            next_handler = self.new_label()
            if handler.type is not None:
                self.visit_expr(handler.type)
                self.emit(op.CHECK_EXC_MATCH)
                self.emit(op.POP_JUMP_IF_FALSE, next_handler)
            if handler.name:
                cleanup_end = self.new_label()
                self.nameop(handler.name, "store")
                self.emit(SETUP_CLEANUP, cleanup_end)
                self.push_fblock(FBlock.HANDLER_CLEANUP, None, None, handler.name)
                self.visit_body(handler.body)
                self.pop_fblock()
                self.unset_loc()
                self.emit(POP_BLOCK)
                self.emit(POP_BLOCK)
                self.emit(op.POP_EXCEPT)
                self.load_const(None)
                self.nameop(handler.name, "store")
                self.nameop(handler.name, "del")
                self.emit(JUMP, end)
                self.place(cleanup_end)
                self.unset_loc()
                self.load_const(None)
                self.nameop(handler.name, "store")
                self.nameop(handler.name, "del")
                self.emit(op.RERAISE, 1)
            else:
                self.emit(op.POP_TOP)
                self.push_fblock(FBlock.HANDLER_CLEANUP, None, None, None)
                self.visit_body(handler.body)
                self.pop_fblock()
                self.unset_loc()
                self.emit(POP_BLOCK)
                self.emit(op.POP_EXCEPT)
                self.emit(JUMP, end)
            self.place(next_handler)
        self.unset_loc()
        self.pop_fblock()
        self.emit(op.RERAISE, 0)
        self.place(cleanup)
        self.pop_except_and_reraise()
        self.place(end)

    def visit_TryStar(self, node: ast.TryStar) -> None:
        """Compile try/except*."""
        self.emit(LINE_NOP)
        if node.finalbody:
            self.try_finally(node)
        else:
            self.try_star_except(node)

    def try_star_except(self, node: Any) -> None:
        """Compile try/except* with CHECK_EG_MATCH and PREP_RERAISE_STAR, as 3.11."""

        except_ = self.new_label()
        orelse = self.new_label()
        end = self.new_label()
        cleanup = self.new_label()
        reraise_star = self.new_label()
        self.emit(SETUP_FINALLY, except_)
        self.push_fblock(FBlock.TRY_EXCEPT, None, None)
        self.visit_body(node.body)
        self.pop_fblock()
        self.unset_loc()
        self.emit(POP_BLOCK)
        self.emit(JUMP, orelse)
        self.place(except_)
        self.emit(SETUP_CLEANUP, cleanup)
        self.emit(op.PUSH_EXC_INFO)
        self.push_fblock(FBlock.EXCEPTION_GROUP_HANDLER, None, None, "except handler")
        n = len(node.handlers)
        for i, handler in enumerate(node.handlers):
            self.set_loc(handler)
            next_ = self.new_label()
            except_with_error = self.new_label()
            no_match = self.new_label()
            if i == 0:
                self.emit(op.COPY, 1)
                self.emit(op.BUILD_LIST, 0)
                self.emit(op.SWAP, 2)
            if handler.type is not None:
                self.visit_expr(handler.type)
                self.emit(op.CHECK_EG_MATCH)
                self.emit(op.COPY, 1)
                self.emit(op.POP_JUMP_IF_NONE, no_match)
            cleanup_end = self.new_label()
            if handler.name:
                self.nameop(handler.name, "store")
            else:
                self.emit(op.POP_TOP)
            self.emit(SETUP_CLEANUP, cleanup_end)
            self.push_fblock(FBlock.HANDLER_CLEANUP, None, None, handler.name)
            self.visit_body(handler.body)
            self.pop_fblock()
            self.unset_loc()
            self.emit(POP_BLOCK)
            if handler.name:
                self.load_const(None)
                self.nameop(handler.name, "store")
                self.nameop(handler.name, "del")
            self.emit(JUMP, next_)
            self.place(cleanup_end)
            if handler.name:
                self.load_const(None)
                self.nameop(handler.name, "store")
                self.nameop(handler.name, "del")
            self.emit(op.LIST_APPEND, 3)
            self.emit(op.POP_TOP)
            self.emit(JUMP, except_with_error)
            self.place(next_)
            self.emit(JUMP, except_with_error)
            self.place(no_match)
            self.emit(op.POP_TOP)
            self.place(except_with_error)
            if i == n - 1:
                self.emit(op.LIST_APPEND, 1)
                self.emit(JUMP, reraise_star)
        self.unset_loc()
        self.pop_fblock()
        reraise = self.new_label()
        self.place(reraise_star)
        self.emit(op.PREP_RERAISE_STAR)
        self.emit(op.COPY, 1)
        self.emit(op.POP_JUMP_IF_NOT_NONE, reraise)
        self.emit(op.POP_TOP)
        self.emit(POP_BLOCK)
        self.emit(op.POP_EXCEPT)
        self.emit(JUMP, end)
        self.place(reraise)
        self.emit(POP_BLOCK)
        self.emit(op.SWAP, 2)
        self.emit(op.POP_EXCEPT)
        self.emit(op.RERAISE, 0)
        self.place(cleanup)
        self.pop_except_and_reraise()
        self.place(orelse)
        self.visit_body(node.orelse)
        self.place(end)

    # -- with --------------------------------------------------------------------

    def visit_With(self, node: ast.With, pos: int = 0) -> None:
        """Compile with (one item per nesting level)."""

        item = node.items[pos]
        final = self.new_label()
        exit = self.new_label()
        cleanup = self.new_label()
        self.visit_expr(item.context_expr)
        self.set_loc(node)
        self.emit(op.BEFORE_WITH)
        self.emit(SETUP_WITH, final)
        self.push_fblock(FBlock.WITH, None, final, node)
        if item.optional_vars is not None:
            self.visit_expr(item.optional_vars)
        else:
            self.emit(op.POP_TOP)
        if pos + 1 == len(node.items):
            self.visit_body(node.body)
        else:
            self.visit_With(node, pos + 1)
        self.unset_loc()
        self.emit(POP_BLOCK)
        self.pop_fblock()
        self.set_loc(node)
        self.call_exit_with_nones()
        self.emit(op.POP_TOP)
        self.emit(JUMP, exit)
        self.place(final)
        self.emit(SETUP_CLEANUP, cleanup)
        self.emit(op.PUSH_EXC_INFO)
        self.emit(op.WITH_EXCEPT_START)
        self.with_except_finish(cleanup)
        self.place(exit)

    def with_except_finish(self, cleanup: Any) -> None:
        """Re-raise unless __exit__ returned true, then drop the exception state."""
        exit = self.new_label()
        self.emit(op.POP_JUMP_IF_TRUE, exit)
        self.emit(op.RERAISE, 2)
        self.place(cleanup)
        self.pop_except_and_reraise()
        self.place(exit)
        self.emit(op.POP_TOP)
        self.emit(POP_BLOCK)
        self.emit(op.POP_EXCEPT)
        self.emit(op.POP_TOP)
        self.emit(op.POP_TOP)

    def visit_AsyncWith(self, node: ast.AsyncWith, pos: int = 0) -> None:
        """Compile async with: awaited __aenter__ and __aexit__."""

        if self.top_level_await and self.unit.scope_type is ScopeType.MODULE:
            self.unit.scope.is_coroutine = True
        elif self.unit.scope_type is not ScopeType.ASYNC_FUNCTION:
            raise self.error("'async with' outside async function", node)
        item = node.items[pos]
        final = self.new_label()
        exit = self.new_label()
        cleanup = self.new_label()
        self.visit_expr(item.context_expr)
        self.set_loc(node)
        self.emit(op.BEFORE_ASYNC_WITH)
        self.emit(op.GET_AWAITABLE, op.AWAIT_AENTER)
        self.load_const(None)
        self.yield_from_loop()
        self.emit(SETUP_WITH, final)
        self.push_fblock(FBlock.ASYNC_WITH, None, final, node)
        if item.optional_vars is not None:
            self.visit_expr(item.optional_vars)
        else:
            self.emit(op.POP_TOP)
        if pos + 1 == len(node.items):
            self.visit_body(node.body)
        else:
            self.visit_AsyncWith(node, pos + 1)
        self.pop_fblock()
        self.unset_loc()
        self.emit(POP_BLOCK)
        self.set_loc(node)
        self.call_exit_with_nones()
        self.emit(op.GET_AWAITABLE, op.AWAIT_AEXIT)
        self.load_const(None)
        self.yield_from_loop()
        self.emit(op.POP_TOP)
        self.emit(JUMP, exit)
        self.place(final)
        self.emit(SETUP_CLEANUP, cleanup)
        self.emit(op.PUSH_EXC_INFO)
        self.emit(op.WITH_EXCEPT_START)
        self.emit(op.GET_AWAITABLE, op.AWAIT_AEXIT)
        self.load_const(None)
        self.yield_from_loop()
        self.with_except_finish(cleanup)
        self.place(exit)
