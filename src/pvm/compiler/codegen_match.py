"""Code generation for the match statement (a mixin of CodeGen)."""

from __future__ import annotations

import ast


class MatchMixin:
    """The match statement, as CPython 3.11's compiler_pattern_*."""

    def visit_Match(self, node: ast.Match) -> None:
        """Compile a match statement."""
        raise NotImplementedError("pvm compiler: the match statement is not supported yet")
