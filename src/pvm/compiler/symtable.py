"""Scope analysis: which names are local, global, free or cells in each scope, as CPython's symtable.c."""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable
from typing import Any

# Symbol flags (CPython's DEF_* values).
DEF_GLOBAL = 1
DEF_LOCAL = 2
DEF_PARAM = 4
DEF_NONLOCAL = 8
USE = 16
DEF_FREE = 32
DEF_FREE_CLASS = 64
DEF_IMPORT = 128
DEF_ANNOT = 256
DEF_COMP_ITER = 512
DEF_BOUND = DEF_LOCAL | DEF_PARAM | DEF_IMPORT

# The recursion limit that bounds AST depth; the runtime may point this at the
# guest's limit (sys.getrecursionlimit() of the program being run).
recursion_limit: Callable[[], int] = sys.getrecursionlimit

# Resolved scopes.
LOCAL = 1
GLOBAL_EXPLICIT = 2
GLOBAL_IMPLICIT = 3
FREE = 4
CELL = 5

# Block types.
MODULE = "module"
CLASS = "class"
FUNCTION = "function"
ANNOTATION = "annotation"

COMP_NAMES = {
    ast.ListComp: "<listcomp>",
    ast.SetComp: "<setcomp>",
    ast.DictComp: "<dictcomp>",
    ast.GeneratorExp: "<genexpr>",
}
_COMP_KIND = {
    ast.ListComp: "list comprehension",
    ast.SetComp: "set comprehension",
    ast.DictComp: "dict comprehension",
    ast.GeneratorExp: "generator expression",
}


def mangle(private: str | None, name: str) -> str:
    """Return name with class-private mangling applied, as _Py_Mangle."""
    if private is None or not name.startswith("__"):
        return name
    if name.endswith("__") or "." in name:
        return name
    stripped = private.lstrip("_")
    if not stripped:
        return name
    return "_" + stripped + name


def syntax_error(msg: str, filename: str, node: Any, ranged: bool = False) -> SyntaxError:
    """Build a SyntaxError located at node, with CPython's 1-based byte offsets.

    Compiler errors carry the location in args; symtable errors (ranged) only
    set the attributes, as CPython's PyErr_RangedSyntaxLocationObject does.
    """
    lineno = getattr(node, "lineno", 1) or 1
    col = getattr(node, "col_offset", 0) or 0
    end_lineno = getattr(node, "end_lineno", lineno) or lineno
    end_col = getattr(node, "end_col_offset", col) or col
    text = _source_line(filename, lineno)
    if not ranged:
        return SyntaxError(msg, (filename, lineno, col + 1, text, end_lineno, end_col + 1))
    err = SyntaxError(msg)
    err.filename = filename
    err.lineno = lineno
    err.offset = col + 1
    err.text = text
    err.end_lineno = end_lineno
    err.end_offset = end_col + 1
    return err


def _source_line(filename: str, lineno: int) -> str | None:
    # CPython reads the offending line back from the file named by filename, with
    # universal newlines (PyErr_ProgramTextObject).
    try:
        with open(filename, encoding="utf-8", errors="replace", newline=None) as f:
            for i, line in enumerate(f, 1):
                if i == lineno:
                    return line
    except (OSError, ValueError):
        return None
    return None


class Scope:
    """One block of the symbol table: a module, class, function, lambda or comprehension."""

    def __init__(self, name: str, kind: str, node: Any, parent: Scope | None) -> None:
        self.name = name
        self.kind = kind
        self.node = node
        self.parent = parent
        self.children: list[Scope] = []
        self.symbols: dict[str, int] = {}
        self.scopes: dict[str, int] = {}
        self.params: list[str] = []
        self.directives: dict[str, Any] = {}
        self.is_generator = False
        self.is_coroutine = False
        self.is_comprehension = False
        # Nested scopes inherit "inside a comprehension's iterable" (symtable_enter_block).
        self.comp_iter_expr = parent.comp_iter_expr if parent is not None else 0
        self.comp_iter_target = False
        self.comp_kind = ""
        self.varargs = False
        self.varkeywords = False
        self.has_free = False
        self.child_free = False
        self.needs_class_closure = False
        self.is_lambda = False
        self.nested = parent is not None and (parent.nested or parent.kind == FUNCTION)
        self.private = parent.private if parent is not None else None
        self.cellvars: list[str] = []
        self.freevars: list[str] = []

    def __repr__(self) -> str:
        return f"<Scope {self.kind} {self.name!r}>"

    def scope_of(self, name: str) -> int:
        """Return the resolved scope (LOCAL, CELL, ...) of name, GLOBAL_IMPLICIT if unknown."""
        return self.scopes.get(name, 0)


class SymbolTable:
    """Build the scopes of a module tree and resolve every name."""

    def __init__(self, filename: str, future_annotations: bool = False) -> None:
        self.filename = filename
        self.future_annotations = future_annotations
        self.by_node: dict[int, Scope] = {}
        self.cur: Scope | None = None
        self.stack: list[Scope] = []
        self.top: Scope | None = None
        self.depth = 0
        # symtable.c allows COMPILER_STACK_FRAME_SCALE (3) AST levels per recursion level.
        self.max_depth = recursion_limit() * 3

    # -- entry point -------------------------------------------------------------

    def build(self, tree: ast.AST) -> Scope:
        """Analyse a Module, Expression or Interactive tree and return its top scope."""
        top = self.enter(ast_name="top", kind=MODULE, node=tree)
        self.top = top
        if isinstance(tree, ast.Expression):
            self.visit(tree.body)
        else:
            for stmt in tree.body:
                self.visit(stmt)
        self.exit()
        analyze(top, self.filename)
        return top

    def lookup(self, node: Any) -> Scope:
        """Return the scope that node (a def, lambda, class or comprehension) opens."""
        return self.by_node[id(node)]

    def error(self, msg: str, node: Any) -> SyntaxError:
        """Return a SyntaxError located at node."""
        return syntax_error(msg, self.filename, node, ranged=True)

    # -- blocks ------------------------------------------------------------------

    def enter(self, ast_name: str, kind: str, node: Any) -> Scope:
        """Open a new scope for node and make it current."""
        scope = Scope(ast_name, kind, node, self.cur)
        if self.cur is not None:
            self.cur.children.append(scope)
        self.by_node[id(node)] = scope
        self.stack.append(scope)
        self.cur = scope
        return scope

    def exit(self) -> None:
        """Close the current scope."""
        self.stack.pop()
        self.cur = self.stack[-1] if self.stack else None

    def add_def(self, name: str, flag: int, node: Any, scope: Scope | None = None) -> None:
        """Record a use or binding of name in the current scope."""
        scope = scope or self.cur
        mangled = mangle(scope.private, name)
        old = scope.symbols.get(mangled, 0)
        if flag & DEF_PARAM and old & DEF_PARAM:
            raise self.error(f"duplicate argument '{name}' in function definition", node)
        if scope.comp_iter_target:
            # An iteration variable: it must not be a walrus target bound in an outer scope.
            if (old | flag) & (DEF_GLOBAL | DEF_NONLOCAL):
                raise self.error(
                    f"comprehension inner loop cannot rebind assignment expression target '{name}'",
                    node,
                )
            flag |= DEF_COMP_ITER
        scope.symbols[mangled] = old | flag
        if flag & DEF_PARAM:
            scope.params.append(mangled)
        elif flag & DEF_GLOBAL:
            top = self.top
            top.symbols[mangled] = top.symbols.get(mangled, 0) | flag

    # -- visitors ----------------------------------------------------------------

    def visit(self, node: Any) -> None:
        """Dispatch on the node's class, refusing trees nested deeper than CPython allows."""
        self.depth += 1
        if self.depth > self.max_depth:
            raise RecursionError("maximum recursion depth exceeded during compilation")
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            self.generic_visit(node)
        else:
            method(node)
        self.depth -= 1

    def generic_visit(self, node: Any) -> None:
        """Visit every child node in field order."""
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST):
                self.visit(value)

    def visit_seq(self, nodes: list) -> None:
        """Visit a list of nodes, skipping None entries."""
        for n in nodes:
            if n is not None:
                self.visit(n)

    def visit_FunctionDef(self, node: Any) -> None:
        """Bind the name, evaluate defaults here and analyse the body in a new scope."""
        self.add_def(node.name, DEF_LOCAL, node)
        self.visit_seq(node.args.defaults)
        self.visit_seq(node.args.kw_defaults)
        self.visit_annotations(node.args, node.returns)
        self.visit_seq(node.decorator_list)
        scope = self.enter(node.name, FUNCTION, node)
        if isinstance(node, ast.AsyncFunctionDef):
            scope.is_coroutine = True
        self.visit_params(node.args)
        for stmt in node.body:
            self.visit(stmt)
        self.exit()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_params(self, args: ast.arguments) -> None:
        """Declare the parameters of the current function scope in CPython's order."""
        for a in args.posonlyargs + args.args + args.kwonlyargs:
            self.add_def(a.arg, DEF_PARAM, a)
        if args.vararg:
            self.add_def(args.vararg.arg, DEF_PARAM, args.vararg)
            self.cur.varargs = True
        if args.kwarg:
            self.add_def(args.kwarg.arg, DEF_PARAM, args.kwarg)
            self.cur.varkeywords = True
        # Keyword-only parameters come after *args in CPython's varnames.
        order = [a.arg for a in args.posonlyargs + args.args]
        order += [a.arg for a in args.kwonlyargs]
        if args.vararg:
            order.append(args.vararg.arg)
        if args.kwarg:
            order.append(args.kwarg.arg)
        self.cur.params = [mangle(self.cur.private, n) for n in order]

    def visit_annotations(self, args: ast.arguments, returns: Any) -> None:
        """Visit argument and return annotations in the enclosing scope (3.11 rules)."""
        for a in args.posonlyargs + args.args:
            if a.annotation is not None:
                self.visit_annotation(a.annotation)
        if args.vararg and args.vararg.annotation is not None:
            self.visit_annotation(args.vararg.annotation)
        for a in args.kwonlyargs:
            if a.annotation is not None:
                self.visit_annotation(a.annotation)
        if args.kwarg and args.kwarg.annotation is not None:
            self.visit_annotation(args.kwarg.annotation)
        if returns is not None:
            self.visit_annotation(returns)

    def visit_annotation(self, node: Any) -> None:
        """Visit one annotation; under future annotations it gets its own unused scope."""
        if self.future_annotations:
            self.enter("_annotation", ANNOTATION, node)
            self.visit(node)
            self.exit()
        else:
            self.visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        """Bind the class name and analyse the body in a class scope."""
        self.add_def(node.name, DEF_LOCAL, node)
        self.visit_seq(node.bases)
        self.visit_seq(node.keywords)
        self.visit_seq(node.decorator_list)
        scope = self.enter(node.name, CLASS, node)
        scope.private = node.name
        for stmt in node.body:
            self.visit(stmt)
        self.exit()

    def visit_Lambda(self, node: ast.Lambda) -> None:
        """Evaluate defaults here and analyse the body in a function scope."""
        self.visit_seq(node.args.defaults)
        self.visit_seq(node.args.kw_defaults)
        scope = self.enter("lambda", FUNCTION, node)
        scope.is_lambda = True
        self.visit_params(node.args)
        self.visit(node.body)
        self.exit()

    def visit_Global(self, node: ast.Global) -> None:
        """Declare names global, with CPython's errors for earlier uses."""
        self.declare(node, DEF_GLOBAL, "global")

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        """Declare names nonlocal, with CPython's errors for earlier uses."""
        self.declare(node, DEF_NONLOCAL, "nonlocal")

    def declare(self, node: Any, flag: int, word: str) -> None:
        """Handle a global or nonlocal statement."""
        cur = self.cur
        for name in node.names:
            mangled = mangle(cur.private, name)
            cur_flags = cur.symbols.get(mangled, 0)
            if cur_flags & (DEF_PARAM | DEF_LOCAL | USE | DEF_ANNOT):
                if cur_flags & DEF_PARAM:
                    msg = f"name '{name}' is parameter and {word}"
                elif cur_flags & USE:
                    msg = f"name '{name}' is used prior to {word} declaration"
                elif cur_flags & DEF_ANNOT:
                    msg = f"annotated name '{name}' can't be {word}"
                else:
                    msg = f"name '{name}' is assigned to before {word} declaration"
                raise self.error(msg, node)
            self.add_def(name, flag, node)
            cur.directives.setdefault(mangled, node)

    def visit_Name(self, node: ast.Name) -> None:
        """Record a load, store or delete of a name."""
        if isinstance(node.ctx, ast.Load):
            if node.id == "__debug__":
                return  # CPython folds it to a constant before its symbol table: no use
            self.add_def(node.id, USE, node)
            if node.id == "super" and self.cur.kind == FUNCTION:
                self.add_def("__class__", USE, node)
        else:
            self.add_def(node.id, DEF_LOCAL, node)

    def visit_Import(self, node: Any) -> None:
        """Bind the imported names (the first component for dotted imports)."""
        for alias in node.names:
            if alias.name == "*":
                if self.cur.kind != MODULE:
                    raise self.error("import * only allowed at module level", alias)
                continue
            name = alias.asname or alias.name.split(".")[0]
            self.add_def(name, DEF_IMPORT, node)

    visit_ImportFrom = visit_Import

    def visit_Try(self, node: Any) -> None:
        """Visit a try statement in symtable.c's order: body, else, handlers, finally."""
        self.visit_seq(node.body)
        self.visit_seq(node.orelse)
        self.visit_seq(node.handlers)
        self.visit_seq(node.finalbody)

    visit_TryStar = visit_Try

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        """Bind the handler's name and visit its parts."""
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self.add_def(node.name, DEF_LOCAL, node)
        for stmt in node.body:
            self.visit(stmt)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        """Bind a simple annotated name; evaluate the annotation where 3.11 does."""
        target = node.target
        if isinstance(target, ast.Name):
            cur = self.cur.symbols.get(mangle(self.cur.private, target.id), 0)
            if cur & (DEF_GLOBAL | DEF_NONLOCAL) and self.cur is not self.top and node.simple:
                word = "global" if cur & DEF_GLOBAL else "nonlocal"
                raise self.error(f"annotated name '{target.id}' can't be {word}", node)
            if node.simple:
                self.add_def(target.id, DEF_ANNOT | DEF_LOCAL, target)
            elif node.value is not None:
                self.add_def(target.id, DEF_LOCAL, target)
        else:
            self.visit(target)
        self.visit_annotation(node.annotation)
        if node.value is not None:
            self.visit(node.value)

    def visit_Yield(self, node: Any) -> None:
        """Mark the scope as a generator; reject yields in comprehensions."""
        self.check_annotation_block("yield expression", node)
        if node.value is not None:
            self.visit(node.value)
        self.cur.is_generator = True
        self.check_comp_yield(node)

    def visit_YieldFrom(self, node: Any) -> None:
        """Mark the scope as a generator; reject yields in comprehensions."""
        self.check_annotation_block("yield expression", node)
        self.visit(node.value)
        self.cur.is_generator = True
        self.check_comp_yield(node)

    def check_annotation_block(self, what: str, node: Any) -> None:
        """Reject yield, await and walrus inside a future-annotations annotation."""
        if self.cur.kind == ANNOTATION:
            raise self.error(f"'{what}' can not be used within an annotation", node)

    def check_comp_yield(self, node: Any) -> None:
        """Raise CPython's error for a yield inside a comprehension."""
        if self.cur.is_comprehension:
            raise self.error(f"'yield' inside {self.cur.comp_kind}", node)

    def visit_Await(self, node: ast.Await) -> None:
        """Mark the scope (a comprehension, or a function for the compiler's check) as a coroutine."""
        self.check_annotation_block("await expression", node)
        self.cur.is_coroutine = True
        self.visit(node.value)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        """Bind the walrus target, in the enclosing function when inside a comprehension."""
        self.check_annotation_block("named expression", node)
        if self.cur.comp_iter_expr > 0:
            raise self.error(
                "assignment expression cannot be used in a comprehension iterable expression", node
            )
        if self.cur.is_comprehension:
            self.extend_namedexpr_scope(node.target)
        self.visit(node.value)
        self.visit(node.target)

    def extend_namedexpr_scope(self, target: ast.Name) -> None:
        """Bind a walrus target from a comprehension in the nearest non-comprehension scope."""
        name = target.id
        for scope in reversed(self.stack):
            if scope.is_comprehension:
                if scope.symbols.get(name, 0) & DEF_COMP_ITER:
                    raise self.error(
                        f"assignment expression cannot rebind comprehension iteration variable '{name}'",
                        target,
                    )
                continue
            if scope.kind == FUNCTION:
                if scope.symbols.get(name, 0) & DEF_GLOBAL:
                    self.add_def(name, DEF_GLOBAL, target)
                else:
                    self.add_def(name, DEF_NONLOCAL, target)
                self.cur.directives.setdefault(name, target)
                self.add_def(name, DEF_LOCAL, target, scope)
                return
            if scope.kind == MODULE:
                self.add_def(name, DEF_GLOBAL, target)
                self.cur.directives.setdefault(name, target)
                self.add_def(name, DEF_GLOBAL, target, scope)
                return
            if scope.kind == CLASS:
                raise self.error(
                    "assignment expression within a comprehension cannot be used in a class body",
                    target,
                )
        raise self.error("unexpected scope for named expression", target)

    def visit_comprehension_node(self, node: Any, elts: list) -> None:
        """Analyse a comprehension: the first iterable here, the rest in its own scope."""
        gens = node.generators
        first = gens[0]
        self.cur.comp_iter_expr += 1
        self.visit(first.iter)
        self.cur.comp_iter_expr -= 1
        is_async = any(g.is_async for g in gens)
        scope = self.enter(COMP_NAMES[type(node)], FUNCTION, node)
        scope.is_comprehension = True
        scope.comp_kind = _COMP_KIND[type(node)]
        if is_async:
            scope.is_coroutine = True
        if isinstance(node, ast.GeneratorExp):
            scope.is_generator = True
        self.add_def(".0", DEF_PARAM, node)
        scope.params = [".0"]
        self.visit_comp_target(first.target)
        for cond in first.ifs:
            self.visit(cond)
        for gen in gens[1:]:
            self.cur.comp_iter_expr += 1
            self.visit(gen.iter)
            self.cur.comp_iter_expr -= 1
            self.visit_comp_target(gen.target)
            for cond in gen.ifs:
                self.visit(cond)
        for e in elts:
            self.visit(e)
        self.exit()
        if scope.is_coroutine and not isinstance(node, ast.GeneratorExp):
            self.cur.is_coroutine = True

    def visit_comp_target(self, target: Any) -> None:
        """Bind a comprehension's loop target, marking names as iteration variables."""
        self.cur.comp_iter_target = True
        try:
            self.visit(target)
        finally:
            self.cur.comp_iter_target = False

    def visit_ListComp(self, node: Any) -> None:
        """Analyse a list comprehension."""
        self.visit_comprehension_node(node, [node.elt])

    visit_SetComp = visit_ListComp
    visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node: ast.DictComp) -> None:
        """Analyse a dict comprehension."""
        self.visit_comprehension_node(node, [node.key, node.value])

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        """Bind a capture pattern's name."""
        if node.pattern is not None:
            self.visit(node.pattern)
        if node.name:
            self.add_def(node.name, DEF_LOCAL, node)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        """Bind a star pattern's name."""
        if node.name:
            self.add_def(node.name, DEF_LOCAL, node)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        """Bind a mapping pattern's rest name."""
        self.visit_seq(node.keys)
        self.visit_seq(node.patterns)
        if node.rest:
            self.add_def(node.rest, DEF_LOCAL, node)


# -- resolution (analyze_block in symtable.c) -----------------------------------


def analyze(top: Scope, filename: str) -> None:
    """Resolve the scope of every name in top and its children."""
    _analyze_block(top, None, {}, {}, filename)


def _analyze_name(scope: Scope, name: str, flags: int, bound, local, free, glob, filename) -> None:
    if flags & DEF_GLOBAL:
        if flags & DEF_NONLOCAL:
            raise syntax_error(
                f"name '{name}' is nonlocal and global", filename, scope.directives.get(name), True
            )
        scope.scopes[name] = GLOBAL_EXPLICIT
        glob[name] = True
        bound.pop(name, None) if bound is not None else None
        return
    if flags & DEF_NONLOCAL:
        if bound is None:
            raise syntax_error(
                "nonlocal declaration not allowed at module level",
                filename,
                scope.directives.get(name),
                True,
            )
        if name not in bound:
            raise syntax_error(
                f"no binding for nonlocal '{name}' found",
                filename,
                scope.directives.get(name),
                True,
            )
        scope.scopes[name] = FREE
        scope.has_free = True
        free[name] = True
        return
    if flags & DEF_BOUND:
        scope.scopes[name] = LOCAL
        local[name] = True
        glob.pop(name, None)
        return
    if bound is not None and name in bound:
        scope.scopes[name] = FREE
        scope.has_free = True
        free[name] = True
        return
    if glob is not None and name in glob:
        scope.scopes[name] = GLOBAL_IMPLICIT
        return
    if scope.nested:
        scope.has_free = True
    scope.scopes[name] = GLOBAL_IMPLICIT


def _analyze_block(scope: Scope, bound, free: dict, glob: dict, filename: str) -> None:
    local: dict = {}
    newglobal: dict = {}
    newfree: dict = {}
    newbound: dict = {}
    if scope.kind == CLASS:
        newglobal.update(glob)
        if bound is not None:
            newbound.update(bound)
    # Work on a copy: names bound here must not leak into the caller's bound set.
    bound_here = dict(bound) if bound is not None else None
    glob_here = glob
    for name, flags in list(scope.symbols.items()):
        _analyze_name(scope, name, flags, bound_here, local, free, glob_here, filename)
    if scope.kind != CLASS:
        if scope.kind == FUNCTION:
            newbound.update(local)
        if bound_here is not None:
            newbound.update(bound_here)
        newglobal.update(glob_here)
    else:
        newbound["__class__"] = True
    allfree: dict = {}
    for child in scope.children:
        child_free: dict = {}
        _analyze_block(child, dict(newbound), child_free, dict(newglobal), filename)
        allfree.update(child_free)
        if child.has_free or child.child_free:
            scope.child_free = True
    newfree.update(allfree)
    if scope.kind == FUNCTION:
        for name in list(scope.scopes):
            if scope.scopes[name] == LOCAL and name in newfree:
                scope.scopes[name] = CELL
                del newfree[name]
    elif scope.kind == CLASS and "__class__" in newfree:
        del newfree["__class__"]
        scope.needs_class_closure = True
    # update_symbols: record free variables passing through this scope.
    for name in sorted(newfree):
        if name in scope.symbols:
            if scope.kind == CLASS and scope.symbols[name] & (DEF_BOUND | DEF_GLOBAL):
                scope.symbols[name] |= DEF_FREE_CLASS
            continue
        if bound_here is not None and name not in bound_here:
            continue
        scope.symbols[name] = DEF_FREE
        scope.scopes[name] = FREE
    free.update(newfree)
    # As CPython's localsplus layout: parameters that are cells first, in parameter
    # order, then the other cells sorted by name.
    params = scope.params if scope.kind == FUNCTION else []
    cells = [n for n in params if scope.scopes.get(n) == CELL]
    cells += sorted(n for n, s in scope.scopes.items() if s == CELL and n not in cells)
    if scope.needs_class_closure:
        cells = ["__class__"] + cells
    scope.cellvars = cells
    scope.freevars = sorted(
        n
        for n, s in scope.scopes.items()
        if s == FREE or (scope.symbols.get(n, 0) & DEF_FREE_CLASS)
    )
