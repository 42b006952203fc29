"""Generated programs for the compile fuzz: hypothesmith's, set in scopes, and nested scopes.

hypothesmith only yields programs CPython compiles; set inside a function, coroutine,
class or loop they meet the compiler's own checks (return, yield, await, nonlocal,
break, `import *`, ...).  scope_programs() nests scopes around the statements and
expressions those checks are about, so most of its programs are SyntaxErrors.
"""

from __future__ import annotations

import random
import textwrap

from hypothesis import strategies as st

# Each wraps a program (indented one level) in a scope or block.
CONTEXTS = [
    "{body}",
    "def f():\n{body}\n    pass\n",
    "async def f():\n{body}\n    pass\n",
    "class C:\n{body}\n    pass\n",
    "for _ in ():\n{body}\n    pass\n",
    "def f():\n    x = 1\n    def g():\n{body2}\n        pass\n",
]


def in_context(source: str, context: str) -> str:
    """Return source set inside one of CONTEXTS."""
    return context.format(
        body=textwrap.indent(source, "    "), body2=textwrap.indent(source, "        ")
    )


NAMES = ("a", "b", "x", "__debug__", "__class__", "_C__a", "__a")

# {n} is a name from NAMES.
EXPRESSIONS = (
    "{n}",
    "1",
    "(yield {n})",
    "(yield)",
    "(yield from {n})",
    "(await {n})",
    "({n} := 1)",
    "[{n} for {n} in y]",
    "[({n} := i) for i in y]",
    "[i for i in y if ({n} := i)]",
    "[(yield) for i in y]",
    "[i async for i in y]",
    "[await i for i in y]",
    "(i for i in {n})",
    "{{i: {n} for i in y}}",
    "lambda {n}: {n}",
    "lambda: (yield)",
    "lambda: {n}",
    "f(*{n})",
    "f({n}=1, {n}=2)",
    "f(**{n}, *y)",
    "super()",
    "{n}.{n}",
    "{n}[1:2]",
    "f'{{{n}!r}}'",
    "*{n}",
    "({n}, *y)",
    "{n} if {n} else 1",
    "not {n}",
    "{n} is 1",
    "(1, 2)(3)",
    "[{n} for i in y for {n} in i]",
)

# {n} is a name, {e} an expression.
SIMPLE_STATEMENTS = (
    "{n} = {e}",
    "{n} += {e}",
    "del {n}",
    "global {n}",
    "nonlocal {n}",
    "{e}",
    "return {e}",
    "return",
    "break",
    "continue",
    "{n}: int = {e}",
    "{n}: {e}",
    "import {n}",
    "from m import *",
    "from __future__ import annotations",
    "raise",
    "pass",
    "{n}, *{n} = {e}",
    "*{n}, = {e}",
    "*{n}, *y = {e}",
    "{n}.attr = {e}",
    "{n}[0] = {e}",
    "assert {e}",
    "print({e})",
    "{n} = yield",
    "({n}, y) += 1",
)

HEADERS = (
    "def f({args}):",
    "async def f({args}):",
    "class C({bases}):",
    "for {n} in {e}:",
    "async for {n} in {e}:",
    "while {e}:",
    "if {e}:",
    "with {e} as {n}:",
    "async with {e} as {n}:",
    "try:",
    "match {e}:",
)

PARAMETERS = (
    "",
    "{n}",
    "{n}, {n}",
    "{n}, *, {n}",
    "*{n}",
    "**{n}",
    "{n}=1, /, y=2",
    "{n}: int",
    "{n}=(yield)",
    "{n}={n}",
    "*, {n}",
    "{n}, y=lambda {n}: {n}",
)

PATTERNS = (
    "{n}",
    "_",
    "1",
    "[{n}, *y]",
    "{n} | 1",
    "C({n}=1)",
    "{{1: {n}}}",
    "({n} as y)",
    "[*{n}, *y]",
)


def _expression(r: random.Random) -> str:
    return r.choice(EXPRESSIONS).format(n=r.choice(NAMES))


def _block(r: random.Random, depth: int, indent: int) -> list[str]:
    lines: list[str] = []
    for _ in range(r.randint(1, 3)):
        lines += _statement(r, depth, indent)
    return lines


def _statement(r: random.Random, depth: int, indent: int) -> list[str]:
    pad = "    " * indent
    n = r.choice(NAMES)
    if depth >= 3 or r.randint(0, 2) == 0:
        return [pad + r.choice(SIMPLE_STATEMENTS).format(n=n, e=_expression(r))]
    header = r.choice(HEADERS).format(
        n=n,
        e=_expression(r),
        args=r.choice(PARAMETERS).format(n=r.choice(NAMES)),
        bases=r.choice(["", n, f"metaclass={n}"]),
    )
    lines = [pad + header]
    if header.startswith("match"):
        for _ in range(r.randint(1, 3)):
            pattern = r.choice(PATTERNS).format(n=r.choice(NAMES))
            guard = r.choice(["", f" if {_expression(r)}"])
            lines.append(f"{pad}    case {pattern}{guard}:")
            lines += _block(r, depth + 1, indent + 2)
        return lines
    lines += _block(r, depth + 1, indent + 1)
    if header == "try:":
        clause = r.choice(["except", "except*", "finally", "except E as {n}"])
        lines.append(pad + clause.format(n=r.choice(NAMES)) + ":")
        lines += _block(r, depth + 1, indent + 1)
    elif header.startswith(("for", "while", "if", "async for")) and r.random() < 0.5:
        lines += [pad + "else:"] + _block(r, depth + 1, indent + 1)
    return lines


def scope_programs() -> st.SearchStrategy[str]:
    """Return a strategy for programs of nested scopes and blocks around checked statements."""
    # Built from one Hypothesis-controlled Random: nested composite strategies cost
    # ten times as much to draw, and the default run has a few hundred of these.
    return st.randoms(use_true_random=False).map(lambda r: "\n".join(_block(r, 0, 0)) + "\n")
