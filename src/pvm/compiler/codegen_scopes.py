"""Code generation for lambdas, comprehensions, yield and await (a mixin of CodeGen)."""

from __future__ import annotations

import ast
from typing import Any

from pvm.bytecode import opcode as op
from pvm.compiler import symtable as st
from pvm.compiler.assemble import JUMP, POP_BLOCK, SETUP_FINALLY
from pvm.compiler.unit import FBlock, ScopeType

# A comprehension is a function of one argument, `.0`, the iterator of its first
# `for`, which the enclosing scope evaluates and passes in:
#
#   MAKE_FUNCTION <listcomp>; <iterable>; GET_ITER; CALL 0      (as CPython 3.11)


class ScopeMixin:
    """Expressions that open a new scope or suspend a frame."""

    # -- functions ---------------------------------------------------------------

    def visit_Lambda(self, node: ast.Lambda) -> None:
        """Compile a lambda into a function object."""

        self.check_debug_args(node.args)
        flags = self.default_arguments(node.args)
        unit = self.enter_unit(node, "<lambda>", ScopeType.LAMBDA, node.lineno)
        self.add_const(None)
        unit.argcount = len(node.args.posonlyargs) + len(node.args.args)
        unit.posonlyargcount = len(node.args.posonlyargs)
        unit.kwonlyargcount = len(node.args.kwonlyargs)
        self.visit_expr(node.body)
        self.emit(op.RETURN_VALUE)
        code = self.finish_unit()
        self.exit_unit()
        self.make_closure(code, flags)

    # -- generators and coroutines -----------------------------------------------

    def emit_yield(self) -> None:
        """Yield the top of the stack (wrapped in an async generator)."""
        scope = self.unit.scope
        if scope.is_generator and scope.is_coroutine:
            self.emit(op.ASYNC_GEN_WRAP)
        self.emit(op.YIELD_VALUE, 0)

    def visit_Yield(self, node: ast.Yield) -> None:
        """Compile yield."""
        if self.unit.scope.kind != st.FUNCTION:
            raise self.error("'yield' outside function", node)
        if node.value is not None:
            self.visit_expr(node.value)
        else:
            self.load_const(None)
        self.emit_yield()

    def visit_YieldFrom(self, node: ast.YieldFrom) -> None:
        """Compile yield from."""

        if self.unit.scope.kind != st.FUNCTION:
            raise self.error("'yield' outside function", node)
        if self.unit.scope_type is ScopeType.ASYNC_FUNCTION:
            raise self.error("'yield from' inside async function", node)
        self.visit_expr(node.value)
        self.emit(op.GET_YIELD_FROM_ITER)
        self.load_const(None)
        self.yield_from_loop()

    def visit_Await(self, node: ast.Await) -> None:
        """Compile await."""

        unit = self.unit
        if not (self.top_level_await and unit.scope_type is ScopeType.MODULE):
            if unit.scope.kind != st.FUNCTION:
                raise self.error("'await' outside function", node)
            if unit.scope_type not in (ScopeType.ASYNC_FUNCTION, ScopeType.COMPREHENSION):
                raise self.error("'await' outside async function", node)
        self.visit_expr(node.value)
        self.emit(op.GET_AWAITABLE, op.AWAIT_PLAIN)
        self.load_const(None)
        self.yield_from_loop()

    # -- comprehensions ----------------------------------------------------------

    def visit_ListComp(self, node: Any) -> None:
        """Compile a list comprehension."""
        self.comprehension(node, op.BUILD_LIST, [node.elt])

    def visit_SetComp(self, node: Any) -> None:
        """Compile a set comprehension."""
        self.comprehension(node, op.BUILD_SET, [node.elt])

    def visit_DictComp(self, node: Any) -> None:
        """Compile a dict comprehension."""
        self.comprehension(node, op.BUILD_MAP, [node.key, node.value])

    def visit_GeneratorExp(self, node: Any) -> None:
        """Compile a generator expression."""
        self.comprehension(node, None, [node.elt])

    def comprehension(self, node: Any, build: int | None, elts: list) -> None:
        """Compile a comprehension into its own function and call it on the first iterator."""

        outer_type = self.unit.scope_type
        outermost = node.generators[0]
        unit = self.enter_unit(
            node, st.COMP_NAMES[type(node)], ScopeType.COMPREHENSION, node.lineno
        )
        self.set_loc(node)
        is_async = unit.scope.is_coroutine
        if (
            is_async
            and build is not None
            and outer_type not in (ScopeType.ASYNC_FUNCTION, ScopeType.COMPREHENSION)
            and not (self.top_level_await and outer_type is ScopeType.MODULE)
        ):
            raise self.error("asynchronous comprehension outside of an asynchronous function", node)
        unit.argcount = 1
        if build is not None:
            self.emit(build, 0)
        self.comprehension_generator(node.generators, 0, 0, elts, build)
        if build is not None:
            self.emit(op.RETURN_VALUE)
        code = self.finish_unit()
        self.exit_unit()
        self.make_closure(code, 0)
        self.visit_iterable(outermost.iter)
        self.emit(op.GET_AITER if outermost.is_async else op.GET_ITER)
        self.emit(op.CALL, 0)
        if is_async and build is not None:
            self.emit(op.GET_AWAITABLE, op.AWAIT_PLAIN)
            self.load_const(None)
            self.yield_from_loop()

    def comprehension_generator(
        self, gens: list, index: int, depth: int, elts: list, build: int | None
    ) -> None:
        """Compile the loop for gens[index] and everything inside it."""

        gen = gens[index]
        if index == 0:
            self.emit(op.LOAD_FAST, 0)
        else:
            self.visit_iterable(gen.iter)
            self.emit(op.GET_AITER if gen.is_async else op.GET_ITER)
        start = self.new_label()
        if_cleanup = self.new_label()
        anchor = self.new_label()
        depth += 1
        self.place(start)
        if gen.is_async:
            self.push_fblock(FBlock.ASYNC_COMPREHENSION_GENERATOR, start, None)
            self.emit(SETUP_FINALLY, anchor)
            self.emit(op.GET_ANEXT)
            self.load_const(None)
            self.yield_from_loop()
            self.emit(POP_BLOCK)
        else:
            self.emit(op.FOR_ITER, anchor)
        self.visit_expr(gen.target)
        for cond in gen.ifs:
            self.jump_if(cond, if_cleanup, False)
        if index + 1 < len(gens):
            self.comprehension_generator(gens, index + 1, depth, elts, build)
        else:
            if build is None:
                self.visit_expr(elts[0])
                self.emit_yield()
                self.emit(op.POP_TOP)
            elif build == op.BUILD_LIST:
                self.visit_expr(elts[0])
                self.emit(op.LIST_APPEND, depth + 1)
            elif build == op.BUILD_SET:
                self.visit_expr(elts[0])
                self.emit(op.SET_ADD, depth + 1)
            else:
                self.visit_expr(elts[0])
                self.visit_expr(elts[1])
                self.emit(op.MAP_ADD, depth + 1)
        self.place(if_cleanup)
        self.emit(JUMP, start)
        if gen.is_async:
            self.pop_fblock()
            self.place(anchor)
            self.emit(op.END_ASYNC_FOR)
        else:
            self.place(anchor)
