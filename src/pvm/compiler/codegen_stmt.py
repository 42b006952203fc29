"""Code generation for modules, definitions and statements (a mixin of CodeGen)."""

from __future__ import annotations

import ast
from typing import Any

from pvm.bytecode import opcode as op
from pvm.bytecode.code import CodeObject
from pvm.compiler import symtable as st
from pvm.compiler.assemble import JUMP, LINE_NOP, POP_BLOCK, SETUP_FINALLY
from pvm.compiler.future import is_docstring_body
from pvm.compiler.unit import FBlock, ScopeType


def _find_ann(stmts: list) -> bool:
    """Tell whether a body holds an annotated assignment outside nested scopes."""
    for s in stmts:
        if isinstance(s, ast.AnnAssign):
            return True
        if isinstance(s, (ast.For, ast.AsyncFor, ast.While, ast.If)):
            if _find_ann(s.body) or _find_ann(s.orelse):
                return True
        elif isinstance(s, (ast.With, ast.AsyncWith)):
            if _find_ann(s.body):
                return True
        elif isinstance(s, (ast.Try, ast.TryStar)):
            if _find_ann(s.body) or _find_ann(s.orelse) or _find_ann(s.finalbody):
                return True
            for h in s.handlers:
                if _find_ann(h.body):
                    return True
        elif isinstance(s, ast.Match):
            for case in s.cases:
                if _find_ann(case.body):
                    return True
    return False


class StmtMixin:
    """Statements: visit_<Stmt> methods and the module / function / class units."""

    # -- modules -----------------------------------------------------------------

    def compile_module(self, tree: ast.AST, mode: str) -> CodeObject:
        """Compile the top-level tree in exec, eval or single mode."""

        self.enter_unit(tree, "<module>", ScopeType.MODULE, 1)
        if isinstance(tree, ast.Expression):
            self.visit_expr(tree.body)
            self.emit(op.RETURN_VALUE)
            return self.finish_unit()
        body = tree.body
        if isinstance(tree, ast.Interactive):
            if _find_ann(body):
                self.emit(op.SETUP_ANNOTATIONS)
            self.visit_body(body)
        else:
            self.compile_body(body)
        return self.finish_unit()

    def compile_body(self, stmts: list) -> None:
        """Compile a module or class body: annotations setup, docstring, statements."""

        if self.unit.scope_type is ScopeType.MODULE and stmts:
            self.set_loc(stmts[0])
        if _find_ann(stmts):
            self.emit(op.SETUP_ANNOTATIONS)
        if not stmts:
            return
        i = 0
        if self.optimize < 2 and is_docstring_body(stmts):
            i = 1
            self.set_loc(stmts[0])
            self.visit_expr(stmts[0].value)
            self.unset_loc()
            self.nameop("__doc__", "store")
        for s in stmts[i:]:
            self.visit_stmt(s)

    def visit_body(self, stmts: list) -> None:
        """Compile a list of statements."""
        for s in stmts:
            self.visit_stmt(s)

    def visit_stmt(self, node: Any) -> None:
        """Compile one statement at its own location."""
        self.set_loc(node)
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            raise NotImplementedError(
                f"pvm compiler: statement {type(node).__name__} is not supported"
            )
        method(node)

    # -- definitions -------------------------------------------------------------

    def visit_FunctionDef(self, node: Any) -> None:
        """Compile a def: decorators, defaults, annotations, the body as a new code object."""

        is_async = isinstance(node, ast.AsyncFunctionDef)
        self.check_debug_args(node.args)
        for deco in node.decorator_list:
            self.visit_expr(deco)
        firstlineno = node.decorator_list[0].lineno if node.decorator_list else node.lineno
        self.set_loc(node)
        flags = self.default_arguments(node.args)
        if self.visit_annotations(node.args, node.returns):
            flags |= op.MF_ANNOTATIONS
        scope_type = ScopeType.ASYNC_FUNCTION if is_async else ScopeType.FUNCTION
        unit = self.enter_unit(node, node.name, scope_type, firstlineno)
        docstring = None
        body = node.body
        if self.optimize < 2 and is_docstring_body(body):
            docstring = body[0].value.value
        self.add_const(docstring)
        unit.argcount = len(node.args.posonlyargs) + len(node.args.args)
        unit.posonlyargcount = len(node.args.posonlyargs)
        unit.kwonlyargcount = len(node.args.kwonlyargs)
        for s in body[1 if docstring is not None else 0 :]:
            self.visit_stmt(s)
        code = self.finish_unit()
        self.exit_unit()
        self.set_loc(node)
        self.make_closure(code, flags)
        self.apply_decorators(node)
        self.nameop(node.name, "store")

    visit_AsyncFunctionDef = visit_FunctionDef

    def apply_decorators(self, node: Any) -> None:
        """Call each decorator on the definition, innermost first, at the decorator's position."""
        for deco in reversed(node.decorator_list):
            self.set_loc(deco)
            self.emit(op.CALL, 0)
        self.set_loc(node)

    def check_debug_args(self, args: ast.arguments) -> None:
        """Reject a parameter named __debug__."""
        params = args.posonlyargs + args.args + args.kwonlyargs
        if args.vararg:
            params.append(args.vararg)
        if args.kwarg:
            params.append(args.kwarg)
        for a in params:
            if a.arg == "__debug__":
                raise self.error("cannot assign to __debug__")

    def default_arguments(self, args: ast.arguments) -> int:
        """Push the defaults tuple and kw-only defaults dict; return MAKE_FUNCTION flags."""
        flags = 0
        if args.defaults:
            self.build_tuple_of(args.defaults)
            flags |= op.MF_DEFAULTS
        keys = []
        for arg, default in zip(args.kwonlyargs, args.kw_defaults):
            if default is not None:
                keys.append(st.mangle(self.unit.private, arg.arg))
                self.visit_expr(default)
        if keys:
            self.load_const(tuple(keys))
            self.emit(op.BUILD_CONST_KEY_MAP, len(keys))
            flags |= op.MF_KWDEFAULTS
        return flags

    def visit_annotations(self, args: ast.arguments, returns: Any) -> bool:
        """Push the annotations tuple (name, value, ...) if there are any."""
        items: list = []
        for a in args.posonlyargs + args.args:
            items.append((a.arg, a.annotation))
        if args.vararg:
            items.append((args.vararg.arg, args.vararg.annotation))
        for a in args.kwonlyargs:
            items.append((a.arg, a.annotation))
        if args.kwarg:
            items.append((args.kwarg.arg, args.kwarg.annotation))
        items.append(("return", returns))
        n = 0
        for name, ann in items:
            if ann is None:
                continue
            self.load_const(st.mangle(self.unit.private, name))
            if isinstance(ann, ast.Starred) and not self.future_annotations:
                # *args: *Ts evaluates as [value] = [*Ts], as 3.11 does.
                self.visit_expr(ann.value)
                self.emit(op.UNPACK_SEQUENCE, 1)
            else:
                self.visit_annexpr(ann)
            n += 1
        if n:
            self.emit(op.BUILD_TUPLE, 2 * n)
            return True
        return False

    def visit_annexpr(self, node: Any) -> None:
        """Evaluate an annotation, or push its source text under future annotations."""
        if self.future_annotations:
            self.load_const(ast.unparse(node))
        else:
            self.visit_expr(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        """Compile a class: the body as a function run by __build_class__."""

        for deco in node.decorator_list:
            self.visit_expr(deco)
        firstlineno = node.decorator_list[0].lineno if node.decorator_list else node.lineno
        self.set_loc(node)
        unit = self.enter_unit(node, node.name, ScopeType.CLASS, firstlineno)
        self.nameop("__name__", "load")
        self.nameop("__module__", "store")
        self.load_const(unit.qualname)
        self.nameop("__qualname__", "store")
        self.compile_body(node.body)
        self.unset_loc()
        if unit.scope.needs_class_closure:
            self.emit(op.LOAD_CLOSURE, unit.cell_index["__class__"])
            self.emit(op.COPY, 1)
            self.nameop("__classcell__", "store")
        else:
            self.load_const(None)
        self.emit(op.RETURN_VALUE)
        code = self.finish_unit()
        self.exit_unit()
        self.set_loc(node)
        self.emit(op.PUSH_NULL)
        self.emit(op.LOAD_BUILD_CLASS)
        self.make_closure(code, 0)
        self.load_const(node.name)
        self.call_helper(2, node.bases, node.keywords)
        self.apply_decorators(node)
        self.nameop(node.name, "store")

    # -- simple statements -------------------------------------------------------

    def visit_Return(self, node: ast.Return) -> None:
        """Compile return, running finally blocks and __exit__s on the way out."""

        value = node.value
        preserve_tos = value is not None and not isinstance(value, ast.Constant)
        scope = self.unit.scope
        if scope.kind != st.FUNCTION:
            raise self.error("'return' outside function", node)
        if value is not None and scope.is_coroutine and scope.is_generator:
            raise self.error("'return' with value in async generator", node)
        if preserve_tos:
            self.visit_expr(value)
        elif value is not None:
            self.set_loc(value)
            self.emit(LINE_NOP)
        if value is None or value.lineno != node.lineno:
            self.set_loc(node)
            self.emit(LINE_NOP)
        self.unwind_fblock_stack(preserve_tos, False)
        self.set_loc(node)
        if value is None:
            self.load_const(None)
        elif not preserve_tos:
            self.load_const(value.value)
        self.emit(op.RETURN_VALUE)

    def visit_Expr(self, node: ast.Expr) -> None:
        """Compile an expression statement (printed through sys.displayhook in single mode)."""
        value = node.value
        if self.interactive and len(self.stack) == 0:
            self.visit_expr(value)
            self.emit(op.PRINT_EXPR)
            return
        if isinstance(value, ast.Constant):
            self.emit(LINE_NOP)
            return
        self.visit_expr(value)
        # Artificial, as in CPython: it takes the line of the expression's last instruction.
        self.unset_loc()
        self.emit(op.POP_TOP)

    def visit_Pass(self, node: ast.Pass) -> None:
        """Emit nothing but the statement's line (for an implicit return after it)."""
        self.emit(LINE_NOP)

    def visit_Global(self, node: Any) -> None:
        """Handled by scope analysis."""

    visit_Nonlocal = visit_Global

    def visit_Break(self, node: ast.Break) -> None:
        """Leave the innermost loop, unwinding the blocks in between."""
        self.emit(LINE_NOP)
        loop = self.unwind_fblock_stack(False, True)
        if loop is None:
            raise self.error("'break' outside loop", node)
        self.unwind_fblock(loop, False)
        self.emit(JUMP, loop[2])

    def visit_Continue(self, node: ast.Continue) -> None:
        """Jump back to the innermost loop's start, unwinding the blocks in between."""
        self.emit(LINE_NOP)
        loop = self.unwind_fblock_stack(False, True)
        if loop is None:
            raise self.error("'continue' not properly in loop", node)
        self.emit(JUMP, loop[1])

    def visit_Assign(self, node: ast.Assign) -> None:
        """Compile a (chained) assignment."""
        targets = node.targets
        if (
            len(targets) == 1
            and isinstance(targets[0], (ast.Tuple, ast.List))
            and isinstance(node.value, (ast.Tuple, ast.List))
            and 2 <= len(targets[0].elts) == len(node.value.elts) <= 3
            and not any(isinstance(e, ast.Starred) for e in targets[0].elts + node.value.elts)
        ):
            # a, b = b, a: no tuple is built (CPython's optimizer does the same).
            for e in node.value.elts:
                self.visit_expr(e)
            self.set_loc(targets[0])
            self.emit(op.SWAP, len(node.value.elts))
            for e in targets[0].elts:
                self.visit_expr(e)
            return
        self.visit_expr(node.value)
        for i, target in enumerate(targets):
            if i < len(targets) - 1:
                self.emit(op.COPY, 1)
            self.visit_expr(target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        """Compile x op= y for names, attributes and subscripts."""
        target = node.target
        if isinstance(target, ast.Attribute):
            self.set_loc(target)
            self.visit_expr(target.value)
            self.emit(op.COPY, 1)
            self.match_attr_start(target)
            self.emit_name(op.LOAD_ATTR, target.attr)
        elif isinstance(target, ast.Subscript):
            self.set_loc(target)
            self.visit_expr(target.value)
            self.visit_expr(target.slice)
            self.emit(op.COPY, 2)
            self.emit(op.COPY, 2)
            self.emit(op.BINARY_SUBSCR)
        elif isinstance(target, ast.Name):
            self.set_loc(target)
            self.nameop(target.id, "load", target)
        else:
            raise self.error("illegal expression for augmented assignment", target)
        self.set_loc(node)
        self.visit_expr(node.value)
        self.emit(op.BINARY_OP, self.binop_index(node.op) + op.NB_INPLACE)
        self.set_loc(target)
        if isinstance(target, ast.Attribute):
            self.match_attr_start(target)
            self.emit(op.SWAP, 2)
            self.emit_name(op.STORE_ATTR, target.attr)
        elif isinstance(target, ast.Subscript):
            self.emit(op.SWAP, 3)
            self.emit(op.SWAP, 2)
            self.emit(op.STORE_SUBSCR)
        else:
            self.nameop(target.id, "store", target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        """Compile an annotated assignment, recording simple names in __annotations__."""

        target = node.target
        if node.value is not None:
            self.visit_expr(node.value)
            self.visit_expr(target)
        module_or_class = self.unit.scope_type in (ScopeType.MODULE, ScopeType.CLASS)
        # With a value, CPython finds __debug__ while compiling the target (its location);
        # without one, while compiling the statement (the whole statement's location).
        where = target if node.value is not None else node
        if isinstance(target, ast.Name):
            if target.id == "__debug__":
                raise self.error("cannot assign to __debug__", where)
            if node.simple and module_or_class:
                self.set_loc(node)
                self.visit_annexpr(node.annotation)
                self.emit_name(op.LOAD_NAME, "__annotations__")
                self.load_const(st.mangle(self.unit.private, target.id))
                self.emit(op.STORE_SUBSCR)
        elif isinstance(target, ast.Attribute):
            if target.attr == "__debug__":
                raise self.error("cannot assign to __debug__", where)
            if node.value is None:
                self.check_ann_expr(target.value)
        elif isinstance(target, ast.Subscript) and node.value is None:
            self.check_ann_expr(target.value)
            self.check_ann_subscr(target.slice)
        if not node.simple and not self.future_annotations and module_or_class:
            self.check_ann_expr(node.annotation)

    def check_ann_expr(self, node: Any) -> None:
        """Evaluate and discard an expression (annotation targets are checked at run time)."""
        self.visit_expr(node)
        self.emit(op.POP_TOP)

    def check_ann_subscr(self, node: Any) -> None:
        """Evaluate the parts of an annotated subscript target."""
        if isinstance(node, ast.Slice):
            for part in (node.lower, node.upper, node.step):
                if part is not None:
                    self.check_ann_expr(part)
        elif isinstance(node, ast.Tuple):
            for e in node.elts:
                self.check_ann_subscr(e)
        else:
            self.check_ann_expr(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        """Compile del of each target."""
        for target in node.targets:
            self.visit_expr(target)

    def visit_Raise(self, node: ast.Raise) -> None:
        """Compile raise [exc [from cause]]."""
        n = 0
        if node.exc is not None:
            self.visit_expr(node.exc)
            n += 1
            if node.cause is not None:
                self.visit_expr(node.cause)
                n += 1
        self.set_loc(node)
        self.emit(op.RAISE_VARARGS, n)

    def visit_Assert(self, node: ast.Assert) -> None:
        """Compile assert unless optimizing; warn on an always-true tuple test."""
        test = node.test
        if (isinstance(test, ast.Tuple) and test.elts) or (
            isinstance(test, ast.Constant) and isinstance(test.value, tuple) and test.value
        ):
            self.warn("assertion is always true, perhaps remove parentheses?", node)
        if self.optimize > 0:
            return
        end = self.new_label()
        self.jump_if(test, end, True)
        self.emit(op.LOAD_ASSERTION_ERROR)
        if node.msg is not None:
            self.visit_expr(node.msg)
            self.emit(op.CALL, 0)
        self.emit(op.RAISE_VARARGS, 1)
        self.place(end)

    def visit_Import(self, node: ast.Import) -> None:
        """Compile import a.b.c [as d]."""
        for alias in node.names:
            self.load_const(0)
            self.load_const(None)
            self.emit_name(op.IMPORT_NAME, alias.name)
            if alias.asname:
                parts = alias.name.split(".")
                if len(parts) > 1:
                    for i, attr in enumerate(parts[1:]):
                        self.emit_name(op.IMPORT_FROM, attr)
                        if i < len(parts) - 2:
                            self.emit(op.SWAP, 2)
                            self.emit(op.POP_TOP)
                    self.nameop(alias.asname, "store")
                    self.emit(op.POP_TOP)
                else:
                    self.nameop(alias.asname, "store")
            else:
                self.nameop(alias.name.split(".")[0], "store")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        """Compile from module import names (relative, star)."""
        self.load_const(node.level)
        names = tuple(a.name for a in node.names)
        if node.lineno > self.future_lineno and node.module == "__future__" and node.level == 0:
            raise self.error(
                "from __future__ imports must occur at the beginning of the file", node
            )
        self.load_const(names)
        self.emit_name(op.IMPORT_NAME, node.module or "")
        for i, alias in enumerate(node.names):
            if i == 0 and alias.name == "*":
                self.emit(op.IMPORT_STAR)
                return
            self.emit_name(op.IMPORT_FROM, alias.name)
            self.nameop(alias.asname or alias.name, "store")
        self.emit(op.POP_TOP)

    # -- control flow ------------------------------------------------------------

    def visit_If(self, node: ast.If) -> None:
        """Compile if/elif/else."""
        end = self.new_label()
        nxt = self.new_label() if node.orelse else end
        self.jump_if(node.test, nxt, False)
        self.visit_body(node.body)
        if node.orelse:
            self.unset_loc()
            self.emit(JUMP, end)
            self.place(nxt)
            self.visit_body(node.orelse)
        self.place(end)

    def visit_While(self, node: ast.While) -> None:
        """Compile a while loop (test at the top, so the back edge is JUMP_BACKWARD)."""

        loop = self.new_label()
        end = self.new_label()
        anchor = self.new_label()
        self.place(loop)
        self.push_fblock(FBlock.WHILE_LOOP, loop, end)
        self.jump_if(node.test, anchor, False)
        self.visit_body(node.body)
        self.compile_for_warnings_only(node)
        self.unset_loc()
        self.emit(JUMP, loop)
        self.pop_fblock()
        self.place(anchor)
        self.visit_body(node.orelse)
        self.place(end)

    def compile_for_warnings_only(self, node: ast.While) -> None:
        """Compile a while loop's test again and drop the code, to warn as CPython 3.11 does.

        CPython tests at the bottom of the loop too, so it compiles the test twice and
        python3 prints its SyntaxWarnings twice (`while x is 1:`); pvm jumps back to the
        top and needs the second copy only for those.
        """
        unit = self.unit
        n_instrs, n_consts = len(unit.instrs), len(unit.consts)
        self.set_loc(node)
        self.jump_if(node.test, self.new_label(), True)
        del unit.instrs[n_instrs:]
        del unit.consts[n_consts:]
        unit.const_index = {k: i for k, i in unit.const_index.items() if i < n_consts}

    def visit_For(self, node: ast.For) -> None:
        """Compile a for loop over an iterator."""

        start = self.new_label()
        cleanup = self.new_label()
        end = self.new_label()
        self.push_fblock(FBlock.FOR_LOOP, start, end)
        self.visit_iterable(node.iter)
        self.emit(op.GET_ITER)
        self.place(start)
        self.emit(op.FOR_ITER, cleanup)
        self.visit_expr(node.target)
        self.visit_body(node.body)
        self.unset_loc()
        self.emit(JUMP, start)
        self.place(cleanup)
        self.pop_fblock()
        self.visit_body(node.orelse)
        self.place(end)

    def visit_AsyncFor(self, node: ast.AsyncFor) -> None:
        """Compile async for: __anext__ awaited under a StopAsyncIteration handler."""

        if self.top_level_await and self.unit.scope_type is ScopeType.MODULE:
            self.unit.scope.is_coroutine = True
        elif self.unit.scope_type is not ScopeType.ASYNC_FUNCTION:
            raise self.error("'async for' outside async function", node)
        start = self.new_label()
        except_ = self.new_label()
        end = self.new_label()
        self.visit_expr(node.iter)
        self.emit(op.GET_AITER)
        self.place(start)
        self.push_fblock(FBlock.FOR_LOOP, start, end)
        self.emit(SETUP_FINALLY, except_)
        self.emit(op.GET_ANEXT)
        self.load_const(None)
        self.yield_from_loop()
        self.emit(POP_BLOCK)
        self.visit_expr(node.target)
        self.visit_body(node.body)
        self.unset_loc()
        self.emit(JUMP, start)
        self.pop_fblock()
        self.place(except_)
        self.set_loc(node.iter)
        self.emit(op.END_ASYNC_FOR)
        self.visit_body(node.orelse)
        self.place(end)
