"""Code generation for expressions, calls, comprehensions and lambdas (a mixin of CodeGen)."""

from __future__ import annotations

import ast
from typing import Any

from pvm.bytecode import opcode as op
from pvm.bytecode.code import Position
from pvm.compiler import symtable as st
from pvm.compiler.assemble import JUMP, LINE_NOP
from pvm.compiler.fold import fold_constant, fold_iterable, format_to_joinedstr

STACK_USE_GUIDELINE = 30

_BINOPS = {
    ast.Add: 0, ast.BitAnd: 1, ast.FloorDiv: 2, ast.LShift: 3, ast.MatMult: 4, ast.Mult: 5,
    ast.Mod: 6, ast.BitOr: 7, ast.Pow: 8, ast.RShift: 9, ast.Sub: 10, ast.Div: 11, ast.BitXor: 12,
}  # fmt: skip
_UNARY = {
    ast.UAdd: op.UNARY_POSITIVE,
    ast.USub: op.UNARY_NEGATIVE,
    ast.Not: op.UNARY_NOT,
    ast.Invert: op.UNARY_INVERT,
}
_COMPARE = {ast.Lt: 0, ast.LtE: 1, ast.Eq: 2, ast.NotEq: 3, ast.Gt: 4, ast.GtE: 5}
_CONVERSION = {-1: op.FVC_NONE, 115: op.FVC_STR, 114: op.FVC_REPR, 97: op.FVC_ASCII}


_LITERAL_TYPES = {
    ast.Tuple: "tuple", ast.List: "list", ast.ListComp: "list", ast.Dict: "dict",
    ast.DictComp: "dict", ast.Set: "set", ast.SetComp: "set", ast.GeneratorExp: "generator",
    ast.Lambda: "function", ast.JoinedStr: "str", ast.FormattedValue: "str",
}  # fmt: skip
_NOT_CALLABLE = (
    ast.Constant, ast.Tuple, ast.List, ast.ListComp, ast.Dict, ast.DictComp, ast.Set,
    ast.SetComp, ast.GeneratorExp, ast.JoinedStr, ast.FormattedValue,
)  # fmt: skip
_NOT_SUBSCRIPTABLE = (ast.Set, ast.SetComp, ast.GeneratorExp, ast.Lambda)
_UNSUBSCRIPTABLE = (int, float, complex, set, frozenset, bool)
_INDEXABLE_LITERALS = (ast.Tuple, ast.List, ast.ListComp, ast.JoinedStr, ast.FormattedValue)


_INVERTED = {ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In}


def _inverted_compare(node: ast.UnaryOp) -> ast.Compare | None:
    """Return `a is not b` for `not (a is b)` (and is not, in, not in), else None.

    As ast_opt.c's fold_unaryop: the comparison takes the place of the `not`, so its
    warnings name the inverted operator and its position is the comparison's.
    """
    operand = node.operand
    if (
        type(node.op) is not ast.Not
        or type(operand) is not ast.Compare
        or len(operand.ops) != 1
        or type(operand.ops[0]) not in _INVERTED
    ):
        return None
    inverted = ast.Compare(operand.left, [_INVERTED[type(operand.ops[0])]()], operand.comparators)
    return ast.copy_location(inverted, operand)


def _const(node: Any, optimize: int) -> tuple | None:
    """Return (value,) for a constant or foldable node, else None."""
    if type(node) is ast.Constant:
        return (node.value,)
    return fold_constant(node, optimize)


class ExprMixin:
    """Expressions: visit_<Expr> methods, conditional jumps and calls."""

    def visit_expr(self, node: Any) -> None:
        """Compile one expression, restoring the enclosing location afterwards."""
        saved = self.loc
        self.set_loc(node)
        folded = fold_constant(node, self.optimize)
        if folded is not None:
            self.load_const(folded[0])
        else:
            method = getattr(self, "visit_" + type(node).__name__, None)
            if method is None:
                raise NotImplementedError(
                    f"pvm compiler: expression {type(node).__name__} is not supported"
                )
            method(node)
        self.loc = saved

    def binop_index(self, opnode: Any) -> int:
        """Return the BINARY_OP argument for an ast operator."""
        return _BINOPS[type(opnode)]

    # -- simple expressions ------------------------------------------------------

    def visit_Constant(self, node: ast.Constant) -> None:
        """Load a constant."""
        self.load_const(node.value)

    def visit_Name(self, node: ast.Name) -> None:
        """Load, store or delete a variable."""
        ctx = node.ctx
        self.nameop(
            node.id,
            "load"
            if isinstance(ctx, ast.Load)
            else "store"
            if isinstance(ctx, ast.Store)
            else "del",
            node,
        )

    def visit_Attribute(self, node: ast.Attribute) -> None:
        """Load, store or delete an attribute."""
        ctx = node.ctx
        if not isinstance(ctx, ast.Load) and node.attr == "__debug__":
            raise self.error(
                "cannot assign to __debug__"
                if isinstance(ctx, ast.Store)
                else "cannot delete __debug__",
                node,
            )
        self.visit_expr(node.value)
        self.match_attr_start(node)
        if isinstance(ctx, ast.Load):
            self.emit_name(op.LOAD_ATTR, node.attr)
        elif isinstance(ctx, ast.Store):
            self.emit_name(op.STORE_ATTR, node.attr)
        else:
            self.emit_name(op.DELETE_ATTR, node.attr)

    def match_attr_start(self, attr: ast.Attribute) -> None:
        """Start the current location at the attribute name when it sits on a later line (3.11)."""
        loc = self.loc
        if loc.lineno == attr.end_lineno or attr.end_lineno is None or attr.end_col_offset is None:
            return
        lineno = attr.end_lineno
        col = attr.end_col_offset - len(attr.attr.encode("utf-8"))
        end_lineno = max(lineno, loc.end_lineno or lineno)
        end_col = loc.end_col_offset
        if lineno == end_lineno and end_col is not None:
            end_col = max(col, end_col)
        self.loc = Position(lineno, end_lineno, col, end_col)

    def infer_type(self, node: Any) -> str | None:
        """Return the type name a literal expression certainly has (CPython's infer_type)."""
        folded = _const(node, self.optimize)
        if folded is not None:
            return type(folded[0]).__name__
        return _LITERAL_TYPES.get(type(node))

    def check_caller(self, func: Any) -> None:
        """Warn when a literal is called, as CPython's check_caller."""
        if isinstance(func, _NOT_CALLABLE) or _const(func, self.optimize) is not None:
            self.warn(
                f"'{self.infer_type(func)}' object is not callable; perhaps you missed a comma?",
                None,
            )

    def check_subscript(self, node: ast.Subscript) -> None:
        """Warn when a literal is subscripted wrongly, as CPython's check_subscripter/check_index."""
        value = node.value
        folded = _const(value, self.optimize)
        if (
            folded is not None
            and (folded[0] is None or folded[0] is Ellipsis or type(folded[0]) in _UNSUBSCRIPTABLE)
        ) or isinstance(value, _NOT_SUBSCRIPTABLE):
            self.warn(
                f"'{self.infer_type(value)}' object is not subscriptable; perhaps you missed a comma?",
                None,
            )
        index_type = self.infer_type(node.slice)
        if index_type is None or index_type in ("int", "bool", "slice"):
            return
        if (folded is not None and type(folded[0]) in (str, bytes, tuple)) or isinstance(
            value, _INDEXABLE_LITERALS
        ):
            self.warn(
                f"{self.infer_type(value)} indices must be integers or slices, not {index_type}; "
                "perhaps you missed a comma?",
                None,
            )

    def visit_Subscript(self, node: ast.Subscript) -> None:
        """Load, store or delete a subscript."""
        ctx = node.ctx
        if isinstance(ctx, ast.Load):
            self.check_subscript(node)
        self.visit_expr(node.value)
        self.visit_expr(node.slice)
        if isinstance(ctx, ast.Load):
            self.emit(op.BINARY_SUBSCR)
        elif isinstance(ctx, ast.Store):
            self.emit(op.STORE_SUBSCR)
        else:
            self.emit(op.DELETE_SUBSCR)

    def visit_Slice(self, node: ast.Slice) -> None:
        """Build a slice object."""
        n = 2
        for part in (node.lower, node.upper):
            if part is None:
                self.load_const(None)
            else:
                self.visit_expr(part)
        if node.step is not None:
            self.visit_expr(node.step)
            n = 3
        self.emit(op.BUILD_SLICE, n)

    def visit_Starred(self, node: ast.Starred) -> None:
        """Reject a starred expression outside the places that unpack it."""
        if isinstance(node.ctx, ast.Store):
            raise self.error("starred assignment target must be in a list or tuple", node)
        raise self.error("can't use starred expression here", node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        """Compile a binary operator."""
        if (
            isinstance(node.op, ast.Mod)
            and isinstance(node.right, ast.Tuple)
            and not any(isinstance(e, ast.Starred) for e in node.right.elts)
        ):
            fmt = _const(node.left, self.optimize)
            if fmt is not None and type(fmt[0]) is str:
                joined = format_to_joinedstr(node, fmt[0])
                if joined is not None:
                    self.visit_JoinedStr(joined)
                    return
        self.visit_expr(node.left)
        self.visit_expr(node.right)
        self.emit(op.BINARY_OP, _BINOPS[type(node.op)])

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        """Compile a unary operator."""
        inverted = _inverted_compare(node)
        if inverted is not None:
            self.visit_expr(inverted)
            return
        self.visit_expr(node.operand)
        self.emit(_UNARY[type(node.op)])

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        """Compile and/or with short-circuit jumps."""
        end = self.new_label()
        jump = op.JUMP_IF_FALSE_OR_POP if isinstance(node.op, ast.And) else op.JUMP_IF_TRUE_OR_POP
        for value in node.values[:-1]:
            self.visit_expr(value)
            self.emit(jump, end)
        self.visit_expr(node.values[-1])
        self.place(end)

    def emit_compare(self, cmp: Any) -> None:
        """Emit the instruction for one comparison operator."""
        t = type(cmp)
        if t is ast.Is:
            self.emit(op.IS_OP, 0)
        elif t is ast.IsNot:
            self.emit(op.IS_OP, 1)
        elif t is ast.In:
            self.emit(op.CONTAINS_OP, 0)
        elif t is ast.NotIn:
            self.emit(op.CONTAINS_OP, 1)
        else:
            self.emit(op.COMPARE_OP, _COMPARE[t])

    def visit_comparator(self, cmp: Any, node: Any) -> None:
        """Compile the right operand of a comparison; `in [...]` needs no new list."""
        if isinstance(cmp, (ast.In, ast.NotIn)):
            self.visit_iterable(node)
        else:
            self.visit_expr(node)

    def visit_iterable(self, node: Any) -> None:
        """Compile an iterable that is only iterated (for, comprehension, `in`).

        As ast_opt.c: a display of constants becomes a constant tuple or frozenset,
        and any other list display a tuple.
        """
        folded = fold_iterable(node, self.optimize)
        if folded is not None:
            saved = self.loc
            self.set_loc(node)
            self.load_const(folded[0])
            self.loc = saved
        elif isinstance(node, ast.List) and isinstance(node.ctx, ast.Load):
            saved = self.loc
            self.set_loc(node)
            self.starunpack_helper(
                node.elts, 0, op.BUILD_LIST, op.LIST_APPEND, op.LIST_EXTEND, True
            )
            self.loc = saved
        else:
            self.visit_expr(node)

    def check_compare(self, node: ast.Compare) -> None:
        """Warn about `is` with a literal (once per comparison), as CPython's compiler does."""
        left = self.is_literal(node.left)
        for cmp, right_node in zip(node.ops, node.comparators):
            right = self.is_literal(right_node)
            if isinstance(cmp, (ast.Is, ast.IsNot)) and (left or right):
                if isinstance(cmp, ast.Is):
                    self.warn('"is" with a literal. Did you mean "=="?', node)
                else:
                    self.warn('"is not" with a literal. Did you mean "!="?', node)
                return
            left = right

    def is_literal(self, node: Any) -> bool:
        """Tell whether node is a constant other than None, True, False or Ellipsis."""
        folded = _const(node, self.optimize)
        if folded is None:
            return False
        value = folded[0]
        return not (value is None or value is Ellipsis or value is True or value is False)

    def visit_Compare(self, node: ast.Compare) -> None:
        """Compile a (chained) comparison."""
        self.check_compare(node)
        self.visit_expr(node.left)
        n = len(node.ops) - 1
        if n == 0:
            self.visit_comparator(node.ops[0], node.comparators[0])
            self.emit_compare(node.ops[0])
            return
        cleanup = self.new_label()
        for i in range(n):
            self.visit_comparator(node.ops[i], node.comparators[i])
            self.emit(op.SWAP, 2)
            self.emit(op.COPY, 2)
            self.emit_compare(node.ops[i])
            self.emit(op.JUMP_IF_FALSE_OR_POP, cleanup)
        self.visit_comparator(node.ops[n], node.comparators[n])
        self.emit_compare(node.ops[n])
        end = self.new_label()
        self.emit(JUMP, end)
        self.place(cleanup)
        self.emit(op.SWAP, 2)
        self.emit(op.POP_TOP)
        self.place(end)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        """Compile a conditional expression."""
        end = self.new_label()
        nxt = self.new_label()
        self.jump_if(node.test, nxt, False)
        self.visit_expr(node.body)
        self.emit(JUMP, end)
        self.place(nxt)
        self.visit_expr(node.orelse)
        self.place(end)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        """Compile an assignment expression."""
        self.visit_expr(node.value)
        self.emit(op.COPY, 1)
        self.visit_expr(node.target)

    # -- conditional jumps -------------------------------------------------------

    def jump_if(self, node: Any, label: Any, cond: bool) -> None:
        """Jump to label if the truth of node equals cond, as compiler_jump_if.

        As in CPython 3.11, a comparison leaves the current location at itself, so the
        code that follows (e.g. an assert's raise) reports the comparison's position.
        """
        self._jump_if(node, label, cond)

    def _jump_if(self, node: Any, label: Any, cond: bool) -> None:
        folded = fold_constant(node, self.optimize)
        if folded is not None or isinstance(node, ast.Constant):
            value = folded[0] if folded is not None else node.value
            if bool(value) == cond:
                self.emit(JUMP, label)
            else:
                self.emit(LINE_NOP)
            return
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inverted = _inverted_compare(node)
            if inverted is not None:
                self.jump_if(inverted, label, cond)
            else:
                self.jump_if(node.operand, label, not cond)
            return
        if isinstance(node, ast.BoolOp):
            cond2 = isinstance(node.op, ast.Or)
            next2 = label
            if cond2 != cond:
                next2 = self.new_label()
            for value in node.values[:-1]:
                self.jump_if(value, next2, cond2)
            self.jump_if(node.values[-1], label, cond)
            if next2 is not label:
                self.place(next2)
            return
        if isinstance(node, ast.IfExp):
            end = self.new_label()
            next2 = self.new_label()
            self.jump_if(node.test, next2, False)
            self.jump_if(node.body, label, cond)
            self.emit(JUMP, end)
            self.place(next2)
            self.jump_if(node.orelse, label, cond)
            self.place(end)
            return
        if isinstance(node, ast.Compare):
            self.set_loc(node)
        if isinstance(node, ast.Compare) and len(node.ops) > 1:
            self.check_compare(node)
            n = len(node.ops) - 1
            cleanup = self.new_label()
            self.visit_expr(node.left)
            for i in range(n):
                self.visit_comparator(node.ops[i], node.comparators[i])
                self.emit(op.SWAP, 2)
                self.emit(op.COPY, 2)
                self.emit_compare(node.ops[i])
                self.emit(op.POP_JUMP_IF_FALSE, cleanup)
            self.visit_comparator(node.ops[n], node.comparators[n])
            self.emit_compare(node.ops[n])
            self.emit(op.POP_JUMP_IF_TRUE if cond else op.POP_JUMP_IF_FALSE, label)
            end = self.new_label()
            self.emit(JUMP, end)
            self.place(cleanup)
            self.emit(op.POP_TOP)
            if not cond:
                self.emit(JUMP, label)
            self.place(end)
            return
        if (
            isinstance(node, ast.Compare)
            and isinstance(node.ops[0], (ast.Is, ast.IsNot))
            and isinstance(node.comparators[0], ast.Constant)
            and node.comparators[0].value is None
        ):
            # `x is None` / `x is not None` as one jump, as CPython's peephole pass does.
            self.check_compare(node)
            self.visit_expr(node.left)
            is_test = isinstance(node.ops[0], ast.Is)
            self.emit(op.POP_JUMP_IF_NONE if is_test == cond else op.POP_JUMP_IF_NOT_NONE, label)
            return
        self.visit_expr(node)
        self.emit(op.POP_JUMP_IF_TRUE if cond else op.POP_JUMP_IF_FALSE, label)

    # -- containers --------------------------------------------------------------

    def build_tuple_of(self, elts: list) -> None:
        """Push a tuple of the given expressions (a constant when they all are)."""
        values = [_const(e, self.optimize) for e in elts]
        if all(v is not None for v in values):
            self.load_const(tuple(v[0] for v in values))
            return
        for e in elts:
            self.visit_expr(e)
        self.emit(op.BUILD_TUPLE, len(elts))

    def starunpack_helper(
        self, elts: list, pushed: int, build: int, add: int, extend: int, tuple_: bool
    ) -> None:
        """Build a list/set/tuple from elements, some of which may be starred."""
        n = len(elts)
        consts = [_const(e, self.optimize) for e in elts] if n > 2 else None
        if consts and all(c is not None for c in consts):
            folded: Any = tuple(c[0] for c in consts)
            if tuple_ and not pushed:
                self.load_const(folded)
            else:
                if add == op.SET_ADD:
                    folded = frozenset(folded)
                self.emit(build, pushed)
                self.load_const(folded)
                self.emit(extend, 1)
                if tuple_:
                    self.emit(op.LIST_TO_TUPLE)
            return
        big = n + pushed > STACK_USE_GUIDELINE
        seen_star = any(isinstance(e, ast.Starred) for e in elts)
        if not seen_star and not big:
            for e in elts:
                self.visit_expr(e)
            self.emit(op.BUILD_TUPLE if tuple_ else build, n + pushed)
            return
        built = False
        if big:
            self.emit(build, pushed)
            built = True
        for i, e in enumerate(elts):
            if isinstance(e, ast.Starred):
                if not built:
                    self.emit(build, i + pushed)
                    built = True
                self.visit_expr(e.value)
                self.emit(extend, 1)
            else:
                self.visit_expr(e)
                if built:
                    self.emit(add, 1)
        if tuple_:
            self.emit(op.LIST_TO_TUPLE)

    def unpack_helper(self, elts: list) -> None:
        """Emit UNPACK_SEQUENCE or UNPACK_EX for an assignment target list."""
        n = len(elts)
        seen_star = False
        for i, e in enumerate(elts):
            if isinstance(e, ast.Starred):
                if seen_star:
                    raise self.error("multiple starred expressions in assignment")
                if i >= (1 << 8) or n - i - 1 >= (1 << 16):
                    raise self.error("too many expressions in star-unpacking assignment")
                self.emit(op.UNPACK_EX, i + ((n - i - 1) << 8))
                seen_star = True
        if not seen_star:
            self.emit(op.UNPACK_SEQUENCE, n)

    def assignment_helper(self, elts: list) -> None:
        """Unpack the top of the stack into each target."""
        self.unpack_helper(elts)
        for e in elts:
            self.visit_expr(e.value if isinstance(e, ast.Starred) else e)

    def visit_List(self, node: ast.List) -> None:
        """Build a list, or unpack into a target list."""
        if isinstance(node.ctx, ast.Store):
            self.assignment_helper(node.elts)
        elif isinstance(node.ctx, ast.Load):
            self.starunpack_helper(
                node.elts, 0, op.BUILD_LIST, op.LIST_APPEND, op.LIST_EXTEND, False
            )
        else:
            for e in node.elts:
                self.visit_expr(e)

    def visit_Tuple(self, node: ast.Tuple) -> None:
        """Build a tuple, or unpack into a target tuple."""
        if isinstance(node.ctx, ast.Store):
            self.assignment_helper(node.elts)
        elif isinstance(node.ctx, ast.Load):
            self.starunpack_helper(
                node.elts, 0, op.BUILD_LIST, op.LIST_APPEND, op.LIST_EXTEND, True
            )
        else:
            for e in node.elts:
                self.visit_expr(e)

    def visit_Set(self, node: ast.Set) -> None:
        """Build a set."""
        self.starunpack_helper(node.elts, 0, op.BUILD_SET, op.SET_ADD, op.SET_UPDATE, False)

    def visit_Dict(self, node: ast.Dict) -> None:
        """Build a dict, merging ** entries."""
        n = len(node.values)
        elements = 0
        have_dict = False
        for i in range(n):
            if node.keys[i] is None:
                if elements:
                    self.subdict(node, i - elements, i)
                    if have_dict:
                        self.emit(op.DICT_UPDATE, 1)
                    have_dict = True
                    elements = 0
                if not have_dict:
                    self.emit(op.BUILD_MAP, 0)
                    have_dict = True
                self.visit_expr(node.values[i])
                self.emit(op.DICT_UPDATE, 1)
            elif elements * 2 > STACK_USE_GUIDELINE:
                self.subdict(node, i - elements, i + 1)
                if have_dict:
                    self.emit(op.DICT_UPDATE, 1)
                have_dict = True
                elements = 0
            else:
                elements += 1
        if elements:
            self.subdict(node, n - elements, n)
            if have_dict:
                self.emit(op.DICT_UPDATE, 1)
            have_dict = True
        if not have_dict:
            self.emit(op.BUILD_MAP, 0)

    def subdict(self, node: ast.Dict, begin: int, end: int) -> None:
        """Build a dict from keys[begin:end] and values[begin:end]."""
        n = end - begin
        keys = node.keys[begin:end]
        big = n * 2 > STACK_USE_GUIDELINE
        consts = [_const(k, self.optimize) for k in keys] if n > 1 and not big else None
        if consts and all(c is not None for c in consts):
            for v in node.values[begin:end]:
                self.visit_expr(v)
            self.load_const(tuple(c[0] for c in consts))
            self.emit(op.BUILD_CONST_KEY_MAP, n)
            return
        if big:
            self.emit(op.BUILD_MAP, 0)
        for k, v in zip(keys, node.values[begin:end]):
            self.visit_expr(k)
            self.visit_expr(v)
            if big:
                self.emit(op.MAP_ADD, 1)
        if not big:
            self.emit(op.BUILD_MAP, n)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        """Compile an f-string."""
        values = node.values
        if len(values) > STACK_USE_GUIDELINE:
            self.load_const("")
            self.emit_name(op.LOAD_METHOD, "join")
            self.emit(op.BUILD_LIST, 0)
            for v in values:
                self.visit_expr(v)
                self.emit(op.LIST_APPEND, 1)
            self.emit(op.CALL, 1)
            return
        for v in values:
            self.visit_expr(v)
        if len(values) != 1:
            self.emit(op.BUILD_STRING, len(values))

    def visit_FormattedValue(self, node: ast.FormattedValue) -> None:
        """Compile one {value!conv:spec} of an f-string."""
        self.visit_expr(node.value)
        arg = _CONVERSION[node.conversion]
        if node.format_spec is not None:
            self.visit_expr(node.format_spec)
            arg |= op.FVS_HAVE_SPEC
        self.emit(op.FORMAT_VALUE, arg)

    # -- calls -------------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        """Compile a call, as a method call when the callee is an attribute."""
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.ctx, ast.Load)
            and not self.is_import_originated(func.value)
            and len(node.args) + len(node.keywords) + bool(node.keywords) < STACK_USE_GUIDELINE
            and not any(isinstance(a, ast.Starred) for a in node.args)
            and not any(k.arg is None for k in node.keywords)
        ):
            self.validate_keywords(node.keywords)
            self.visit_expr(func.value)
            self.set_loc(func)
            self.match_attr_start(func)
            self.emit_name(op.LOAD_METHOD, func.attr)
            self.set_loc(node)
            for a in node.args:
                self.visit_expr(a)
            n = len(node.args) + len(node.keywords)
            if node.keywords:
                for k in node.keywords:
                    self.visit_expr(k.value)
                self.load_const(tuple(k.arg for k in node.keywords))
                self.match_attr_start(func)
                self.emit(op.CALL_KW, n)
            else:
                self.match_attr_start(func)
                self.emit(op.CALL, n)
            return
        self.check_caller(func)
        self.set_loc(func)
        self.emit(op.PUSH_NULL)
        self.set_loc(node)
        self.visit_expr(func)
        self.call_helper(0, node.args, node.keywords)

    def is_import_originated(self, node: Any) -> bool:
        """Tell whether node names a module-level import (3.11 calls its attributes via LOAD_ATTR)."""
        if not isinstance(node, ast.Name):
            return False
        top = self.table.top
        return bool(top.symbols.get(node.id, 0) & st.DEF_IMPORT)

    def validate_keywords(self, keywords: list) -> None:
        """Reject a keyword argument named __debug__ or given twice."""
        for i, k in enumerate(keywords):
            if k.arg is None:
                continue
            if k.arg == "__debug__":
                raise self.error("cannot assign to __debug__")
            for other in keywords[i + 1 :]:
                if other.arg == k.arg:
                    raise self.error(f"keyword argument repeated: {k.arg}", other)

    def call_helper(self, n: int, args: list, keywords: list) -> None:
        """Push the arguments of a call whose callable (and n arguments) are on the stack."""
        self.validate_keywords(keywords)
        if (
            not any(isinstance(a, ast.Starred) for a in args)
            and not any(k.arg is None for k in keywords)
            and len(args) + 2 * len(keywords) <= STACK_USE_GUIDELINE
        ):
            for a in args:
                self.visit_expr(a)
            if keywords:
                for k in keywords:
                    self.visit_expr(k.value)
                self.load_const(tuple(k.arg for k in keywords))
                self.emit(op.CALL_KW, n + len(args) + len(keywords))
            else:
                self.emit(op.CALL, n + len(args))
            return
        # *args / **kwargs: CALL_FUNCTION_EX with a tuple and a dict.
        if n == 0 and len(args) == 1 and isinstance(args[0], ast.Starred):
            self.visit_expr(args[0].value)
        else:
            self.starunpack_helper(args, n, op.BUILD_LIST, op.LIST_APPEND, op.LIST_EXTEND, True)
        if keywords:
            have_dict = False
            nseen = 0
            for i, k in enumerate(keywords):
                if k.arg is None:
                    if nseen:
                        self.subkwargs(keywords[i - nseen : i])
                        if have_dict:
                            self.emit(op.DICT_MERGE, 1)
                        have_dict = True
                        nseen = 0
                    if not have_dict:
                        self.emit(op.BUILD_MAP, 0)
                        have_dict = True
                    self.visit_expr(k.value)
                    self.emit(op.DICT_MERGE, 1)
                else:
                    nseen += 1
            if nseen:
                self.subkwargs(keywords[len(keywords) - nseen :])
                if have_dict:
                    self.emit(op.DICT_MERGE, 1)
        self.emit(op.CALL_FUNCTION_EX, 1 if keywords else 0)

    def subkwargs(self, keywords: list) -> None:
        """Build a dict of plain keyword arguments."""
        n = len(keywords)
        big = n * 2 > STACK_USE_GUIDELINE
        if n > 1 and not big:
            for k in keywords:
                self.visit_expr(k.value)
            self.load_const(tuple(k.arg for k in keywords))
            self.emit(op.BUILD_CONST_KEY_MAP, n)
            return
        if big:
            self.emit(op.BUILD_MAP, 0)
        for k in keywords:
            self.load_const(k.arg)
            self.visit_expr(k.value)
            if big:
                self.emit(op.MAP_ADD, 1)
        if not big:
            self.emit(op.BUILD_MAP, n)
