"""Code generation for the match statement (a mixin of CodeGen), as CPython 3.11's compiler_pattern_*."""

from __future__ import annotations

import ast
from typing import Any

from pvm.bytecode import opcode as op
from pvm.compiler.assemble import JUMP, LINE_NOP
from pvm.compiler.fold import fold_constant

# The stack during pattern matching, for one case:
#
#   | ... | captured values (len(stores)) | items kept on top (on_top) | subject |
#
# Captured values wait on the stack until the whole pattern matched; a failing
# check jumps to fail_pop[n], which pops the n items above the case's base.


class PatternContext:
    """Bookkeeping for one case's pattern (CPython's pattern_context)."""

    def __init__(self) -> None:
        self.stores: list[str] = []
        self.allow_irrefutable = False
        self.fail_pop: list = []
        self.on_top = 0


def _is_wildcard(p: Any) -> bool:
    return isinstance(p, ast.MatchAs) and p.pattern is None and p.name is None


def _is_star_wildcard(p: Any) -> bool:
    return isinstance(p, ast.MatchStar) and p.name is None


class MatchMixin:
    """The match statement and its patterns."""

    def visit_Match(self, node: ast.Match) -> None:
        """Compile a match statement."""
        self.visit_expr(node.subject)
        end = self.new_label()
        cases = node.cases
        last = cases[-1]
        has_default = _is_wildcard(last.pattern) and len(cases) > 1
        pc = PatternContext()
        for i, case in enumerate(cases[: len(cases) - has_default]):
            self.set_loc(case.pattern)
            not_last = i != len(cases) - has_default - 1
            if not_last:
                self.emit(op.COPY, 1)
            pc.stores = []
            pc.allow_irrefutable = case.guard is not None or i == len(cases) - 1
            pc.fail_pop = []
            pc.on_top = 0
            self.pattern(case.pattern, pc)
            for name in pc.stores:
                self.nameop(name, "store")
            if case.guard is not None:
                self.ensure_fail_pop(pc, 0)
                self.jump_if(case.guard, pc.fail_pop[0], False)
            if not_last:
                self.emit(op.POP_TOP)
            self.visit_body(case.body)
            self.unset_loc()
            self.emit(JUMP, end)
            self.set_loc(case.pattern)
            self.emit_and_reset_fail_pop(pc)
        if has_default:
            self.set_loc(last.pattern)
            if len(cases) == 1:
                self.emit(op.POP_TOP)
            else:
                self.emit(LINE_NOP)
            if last.guard is not None:
                self.jump_if(last.guard, end, False)
            self.visit_body(last.body)
        self.place(end)

    # -- failure paths -----------------------------------------------------------

    def ensure_fail_pop(self, pc: PatternContext, n: int) -> None:
        """Make sure fail_pop has labels for popping up to n items."""
        while len(pc.fail_pop) < n + 1:
            pc.fail_pop.append(self.new_label())

    def jump_to_fail_pop(self, pc: PatternContext, opc: int) -> None:
        """Jump (with opc) to the failure path that pops what this pattern left."""
        pops = pc.on_top + len(pc.stores)
        self.ensure_fail_pop(pc, pops)
        self.emit(opc, pc.fail_pop[pops])

    def emit_and_reset_fail_pop(self, pc: PatternContext) -> None:
        """Emit the chain of POP_TOPs the failure paths land on."""
        if not pc.fail_pop:
            return
        for label in reversed(pc.fail_pop[1:]):
            self.place(label)
            self.emit(op.POP_TOP)
        self.place(pc.fail_pop[0])
        pc.fail_pop = []

    # -- helpers -----------------------------------------------------------------

    def pattern_rotate(self, count: int) -> None:
        """Move the top item down count-1 places with SWAPs."""
        while count > 1:
            self.emit(op.SWAP, count)
            count -= 1

    def pattern_store_name(self, name: str | None, pc: PatternContext) -> None:
        """Keep a captured value on the stack under the items still in use."""
        if name is None:
            self.emit(op.POP_TOP)
            return
        if name == "__debug__":
            raise self.error("cannot assign to __debug__")
        if name in pc.stores:
            raise self.error(f"multiple assignments to name {name!r} in pattern")
        self.pattern_rotate(pc.on_top + len(pc.stores) + 1)
        pc.stores.append(name)

    def pattern_subpattern(self, p: Any, pc: PatternContext) -> None:
        """Compile a sub-pattern, where irrefutable patterns are fine."""
        allow = pc.allow_irrefutable
        pc.allow_irrefutable = True
        self.pattern(p, pc)
        pc.allow_irrefutable = allow

    def pattern(self, p: Any, pc: PatternContext) -> None:
        """Compile one pattern; it consumes the subject on top of the stack."""
        self.set_loc(p)
        method = getattr(self, "pattern_" + type(p).__name__[5:].lower())
        method(p, pc)

    # -- pattern kinds -----------------------------------------------------------

    def pattern_value(self, p: ast.MatchValue, pc: PatternContext) -> None:
        """Compare the subject with a literal or dotted name."""
        value = p.value
        if not (
            isinstance(value, (ast.Constant, ast.Attribute)) or fold_constant(value, self.optimize)
        ):
            raise self.error("patterns may only match literals and attribute lookups")
        self.visit_expr(value)
        self.emit(op.COMPARE_OP, 2)
        self.jump_to_fail_pop(pc, op.POP_JUMP_IF_FALSE)

    def pattern_singleton(self, p: ast.MatchSingleton, pc: PatternContext) -> None:
        """Compare the subject by identity with None, True or False."""
        self.load_const(p.value)
        self.emit(op.IS_OP, 0)
        self.jump_to_fail_pop(pc, op.POP_JUMP_IF_FALSE)

    def pattern_as(self, p: ast.MatchAs, pc: PatternContext) -> None:
        """Compile a capture, wildcard or `pattern as name`."""
        if p.pattern is None:
            if not pc.allow_irrefutable:
                if p.name:
                    raise self.error(
                        f"name capture {p.name!r} makes remaining patterns unreachable"
                    )
                raise self.error("wildcard makes remaining patterns unreachable")
            self.pattern_store_name(p.name, pc)
            return
        pc.on_top += 1
        self.emit(op.COPY, 1)
        self.pattern(p.pattern, pc)
        pc.on_top -= 1
        self.pattern_store_name(p.name, pc)

    def pattern_star(self, p: ast.MatchStar, pc: PatternContext) -> None:
        """Capture the starred part of a sequence."""
        self.pattern_store_name(p.name, pc)

    def pattern_or(self, p: ast.MatchOr, pc: PatternContext) -> None:
        """Try each alternative in turn; all must bind the same names."""
        end = self.new_label()
        old_stores = pc.stores
        old_allow = pc.allow_irrefutable
        old_fail_pop = pc.fail_pop
        old_on_top = pc.on_top
        control: list[str] | None = None
        n = len(p.patterns)
        for i, alt in enumerate(p.patterns):
            self.set_loc(alt)
            pc.stores = []
            pc.allow_irrefutable = i == n - 1 and old_allow
            pc.fail_pop = []
            pc.on_top = 0
            self.emit(op.COPY, 1)
            self.pattern(alt, pc)
            nstores = len(pc.stores)
            if i == 0:
                control = pc.stores
            elif nstores != len(control):
                raise self.error("alternative patterns bind different names")
            elif nstores:
                icontrol = nstores
                while icontrol:
                    icontrol -= 1
                    name = control[icontrol]
                    if name not in pc.stores:
                        raise self.error("alternative patterns bind different names")
                    istores = pc.stores.index(name)
                    if icontrol != istores:
                        rotations = istores + 1
                        rotated = pc.stores[:rotations]
                        del pc.stores[:rotations]
                        pc.stores[icontrol - istores : icontrol - istores] = rotated
                        for _ in range(rotations):
                            self.pattern_rotate(icontrol + 1)
            self.emit(JUMP, end)
            self.emit_and_reset_fail_pop(pc)
        pc.stores = old_stores
        pc.allow_irrefutable = old_allow
        pc.fail_pop = old_fail_pop
        pc.on_top = old_on_top
        self.emit(op.POP_TOP)
        self.jump_to_fail_pop(pc, JUMP)
        self.place(end)
        nstores = len(control)
        nrots = nstores + 1 + pc.on_top + len(pc.stores)
        for i in range(nstores):
            self.pattern_rotate(nrots)
            name = control[i]
            if name in pc.stores:
                raise self.error(f"multiple assignments to name {name!r} in pattern")
            pc.stores.append(name)
        self.emit(op.POP_TOP)

    def pattern_sequence(self, p: ast.MatchSequence, pc: PatternContext) -> None:
        """Match a sequence by length, then each element."""
        patterns = p.patterns
        size = len(patterns)
        star = -1
        only_wildcard = True
        star_wildcard = False
        for i, sub in enumerate(patterns):
            if isinstance(sub, ast.MatchStar):
                if star >= 0:
                    raise self.error("multiple starred names in sequence pattern")
                star_wildcard = _is_star_wildcard(sub)
                only_wildcard = only_wildcard and star_wildcard
                star = i
                continue
            only_wildcard = only_wildcard and _is_wildcard(sub)
        pc.on_top += 1
        self.emit(op.MATCH_SEQUENCE)
        self.jump_to_fail_pop(pc, op.POP_JUMP_IF_FALSE)
        if star < 0:
            self.emit(op.GET_LEN)
            self.load_const(size)
            self.emit(op.COMPARE_OP, 2)
            self.jump_to_fail_pop(pc, op.POP_JUMP_IF_FALSE)
        elif size > 1:
            self.emit(op.GET_LEN)
            self.load_const(size - 1)
            self.emit(op.COMPARE_OP, 5)
            self.jump_to_fail_pop(pc, op.POP_JUMP_IF_FALSE)
        pc.on_top -= 1
        if only_wildcard:
            self.emit(op.POP_TOP)
        elif star_wildcard:
            self.sequence_subscr(patterns, star, pc)
        else:
            self.sequence_unpack(patterns, pc)

    def sequence_unpack(self, patterns: list, pc: PatternContext) -> None:
        """Unpack the subject and match every element."""
        n = len(patterns)
        seen_star = False
        for i, sub in enumerate(patterns):
            if isinstance(sub, ast.MatchStar):
                if i >= (1 << 8) or n - i - 1 >= (1 << 16):
                    raise self.error("too many expressions in star-unpacking sequence pattern")
                self.emit(op.UNPACK_EX, i + ((n - i - 1) << 8))
                seen_star = True
        if not seen_star:
            self.emit(op.UNPACK_SEQUENCE, n)
        pc.on_top += n
        for sub in patterns:
            pc.on_top -= 1
            self.pattern_subpattern(sub, pc)

    def sequence_subscr(self, patterns: list, star: int, pc: PatternContext) -> None:
        """Match elements by index around a `*_` (no unpacking needed)."""
        pc.on_top += 1
        size = len(patterns)
        for i, sub in enumerate(patterns):
            if _is_wildcard(sub) or i == star:
                continue
            self.emit(op.COPY, 1)
            if i < star:
                self.load_const(i)
            else:
                self.emit(op.GET_LEN)
                self.load_const(size - i)
                self.emit(op.BINARY_OP, 10)
            self.emit(op.BINARY_SUBSCR)
            self.pattern_subpattern(sub, pc)
        pc.on_top -= 1
        self.emit(op.POP_TOP)

    def pattern_mapping(self, p: ast.MatchMapping, pc: PatternContext) -> None:
        """Match a mapping's keys, their values, and capture the rest."""
        keys = p.keys
        patterns = p.patterns
        size = len(keys)
        star_target = p.rest
        pc.on_top += 1
        self.emit(op.MATCH_MAPPING)
        self.jump_to_fail_pop(pc, op.POP_JUMP_IF_FALSE)
        if not size and not star_target:
            pc.on_top -= 1
            self.emit(op.POP_TOP)
            return
        if size:
            self.emit(op.GET_LEN)
            self.load_const(size)
            self.emit(op.COMPARE_OP, 5)
            self.jump_to_fail_pop(pc, op.POP_JUMP_IF_FALSE)
        seen: set = set()
        for key in keys:
            folded = (
                (key.value,) if isinstance(key, ast.Constant) else fold_constant(key, self.optimize)
            )
            if folded is not None:
                value = folded[0]
                if value in seen:
                    raise self.error(f"mapping pattern checks duplicate key ({value!r})")
                seen.add(value)
            elif not isinstance(key, ast.Attribute):
                raise self.error(
                    "mapping pattern keys may only match literals and attribute lookups"
                )
            self.visit_expr(key)
        self.emit(op.BUILD_TUPLE, size)
        self.emit(op.MATCH_KEYS)
        pc.on_top += 2
        self.emit(op.COPY, 1)
        self.load_const(None)
        self.emit(op.IS_OP, 1)
        self.jump_to_fail_pop(pc, op.POP_JUMP_IF_FALSE)
        self.emit(op.UNPACK_SEQUENCE, size)
        pc.on_top += size - 1
        for sub in patterns:
            pc.on_top -= 1
            self.pattern_subpattern(sub, pc)
        pc.on_top -= 2
        if star_target:
            # rest = dict(subject); del rest[key] for each matched key
            self.emit(op.BUILD_MAP, 0)
            self.emit(op.SWAP, 3)
            self.emit(op.DICT_UPDATE, 2)
            self.emit(op.UNPACK_SEQUENCE, size)
            while size:
                self.emit(op.COPY, 1 + size)
                size -= 1
                self.emit(op.SWAP, 2)
                self.emit(op.DELETE_SUBSCR)
            self.pattern_store_name(star_target, pc)
        else:
            self.emit(op.POP_TOP)
            self.emit(op.POP_TOP)

    def pattern_class(self, p: ast.MatchClass, pc: PatternContext) -> None:
        """Match an instance of a class and its positional and keyword attributes."""
        patterns = p.patterns
        kwd_attrs = p.kwd_attrs
        kwd_patterns = p.kwd_patterns
        nargs = len(patterns)
        nattrs = len(kwd_attrs)
        if nattrs:
            for i, attr in enumerate(kwd_attrs):
                self.set_loc(kwd_patterns[i])
                if attr == "__debug__":
                    raise self.error("cannot assign to __debug__")
                for j in range(i + 1, nattrs):
                    if kwd_attrs[j] == attr:
                        self.set_loc(kwd_patterns[j])
                        raise self.error(f"attribute name repeated in class pattern: {attr}")
            self.set_loc(p)
        self.visit_expr(p.cls)
        self.load_const(tuple(kwd_attrs))
        self.emit(op.MATCH_CLASS, nargs)
        self.emit(op.COPY, 1)
        self.load_const(None)
        self.emit(op.IS_OP, 1)
        pc.on_top += 1
        self.jump_to_fail_pop(pc, op.POP_JUMP_IF_FALSE)
        self.emit(op.UNPACK_SEQUENCE, nargs + nattrs)
        pc.on_top += nargs + nattrs - 1
        for sub in list(patterns) + list(kwd_patterns):
            pc.on_top -= 1
            if _is_wildcard(sub):
                self.emit(op.POP_TOP)
                continue
            self.pattern_subpattern(sub, pc)
