"""Generated expression-and-statement programs that run, for the run fuzz (issue 15, item 6).

Each program is a function p<N>() whose statements print what they compute through
show(); a batch of programs is one file whose driver calls each and prints the type
and message of whatever it raises.  Loops are bounded and values stay small, so a
batch runs in well under a second on python3.  Programs come from a
seed Hypothesis draws, per program.
"""

from __future__ import annotations

import random

from hypothesis import strategies as st

PRELUDE = """\
import re

G = 5


def show(*values):
    print(*[re.sub(r" at 0x[0-9a-f]+", " at 0x?", repr(v)) for v in values])


class Ctx:
    def __init__(self, tag, swallow=False):
        self.tag, self.swallow = tag, swallow

    def __enter__(self):
        show("enter", self.tag)
        return self.tag

    def __exit__(self, kind, value, tb):
        show("exit", self.tag, kind and kind.__name__)
        return self.swallow


def run(fn):
    try:
        fn()
    except Exception as exc:
        show(fn.__name__, "raised", type(exc).__name__, str(exc))

"""

# Variables by type: a, b, c hold ints, s a str, lst a list, d a dict (G, a global, anything).
INITIAL = "    global G\n    a, b, c, s, lst, d = 3, -2, 7, 'xyz', [1, 2, 3], {'k': 1, 2: 'v'}\n"
TYPED_VARIABLES = {"num": ("a", "b", "c"), "str": ("s",), "seq": ("lst",), "any": ("d", "G")}


def expression(r: random.Random, kind: str = "any", depth: int = 0) -> str:
    """Return a small expression over the program's variables, mostly of the given kind."""
    if kind == "any":
        kind = r.choice(["num", "num", "str", "seq", "cond", "other"])
    make = {"num": _num, "str": _str, "seq": _seq, "cond": _cond, "other": _other}[kind]
    return make(r, lambda k="any": expression(r, k, depth + 1), depth > 2 or r.random() < 0.3)


def _iterable(e, kind: str = "seq") -> str:
    """Return an expression to iterate over in a comprehension (no assignment expression)."""
    iterable = e(kind)
    return iterable if ":=" not in iterable else "lst"


def _num(r: random.Random, e, leaf: bool) -> str:
    if leaf:
        return r.choice(["a", "b", "c", "0", "1", "2", "-1", "10", "2.5", "True"])
    k = r.randrange(12)
    if k < 4:
        op = r.choice(["+", "-", "*", "//", "%", "/", "&", "|", "^", "<<", "**"])
        if op in ("*", "<<", "**"):  # bounded: a small literal on the right
            return f"({e('num')} {op} {r.randint(0, 3)})"
        return f"({e('num')} {op} {e('num')})"
    return r.choice([
        f"(-{e('num')})", f"(~{r.choice(['a', 'b', 'c', '5'])})", f"abs({e('num')})",
        f"len({r.choice([e('str'), e('seq'), 'd'])})", f"int({e('num')})",
        f"min({e('num')}, {e('num')})", f"sum(x * 2 for x in {_iterable(e)} if {e('cond')})",
        f"({e('num')} if {e('cond')} else {e('num')})", f"(z := {e('num')})",
        f"(lambda x, y=2: x * y + {e('num')})({e('num')})", f"s.count({e('str')})",
        f"{e('seq')}[{e('num')}]", f"divmod({e('num')}, {e('num')})[0]", f"round({e('num')}, 1)",
    ])  # fmt: skip


def _str(r: random.Random, e, leaf: bool) -> str:
    if leaf:
        return r.choice(["s", "'ab'", "''", "'x y'"])
    spec = r.choice(["", "!r", ":>6", ":^5", "!s:<4", "=", ":.2f", ":x"])
    inner = e()
    if 'f"' in inner:  # no f-string inside an f-string's braces before Python 3.12
        inner = r.choice(["a", "s", "lst"])
    return r.choice([
        f"({e('str')} + {e('str')})", f"({e('str')} * {r.randint(0, 3)})", f"str({e()})",
        f"repr({e()})", f'f"<{{ {inner}{spec}}}>"', f"{e('str')}[{r.choice(['', '1', '-1', 'a'])}:{r.choice(['', '2', 'b'])}]",
        f"{e('str')}.upper()", f"'-'.join({r.choice(['s', 'str(lst)', 'sorted(s)'])})",
        f"({e('str')} if {e('cond')} else {e('str')})", f"'%s=%d' % ({e('str')}, {e('num')})",
    ])  # fmt: skip


def _seq(r: random.Random, e, leaf: bool) -> str:
    if leaf:
        return r.choice(["lst", "[1, 'x']", "[]", "(4, 5)", "range(3)"])
    return r.choice([
        f"[{e()}, {e('num')}]", f"[{e('num')} for x in {_iterable(e)} if {e('cond')}]",
        f"sorted({r.choice(['lst', 's', '[b, a, c]', 'd'])})", f"[*{e('seq')}, {e()}]",
        f"{e('seq')}[{r.choice(['', '1', '-1', 'a'])}:{r.choice(['', '2', 'b'])}]",
        f"list(range({e('num')} % 4))", f"tuple({e('seq')})", f"({e('seq')} + {e('seq')})",
        f"[x for x in {_iterable(e, 'str')}]", f"list(enumerate({e('seq')}))", f"list(zip({e('seq')}, s))",
        f"list(reversed({e('seq')}))", f"[(yield_ := x) for x in {_iterable(e)}]",
    ])  # fmt: skip


def _cond(r: random.Random, e, leaf: bool) -> str:
    if leaf:
        return r.choice(["True", "False", "a", "s", "lst", "None"])
    return r.choice([
        f"({e('num')} {r.choice(['<', '<=', '==', '!=', '>'])} {e('num')})",
        f"({e('str')} {r.choice(['<', '==', 'in', 'not in'])} {e('str')})",
        f"({e()} in {e('seq')})", f"(not {e()})", f"({e()} and {e()})", f"({e()} or {e()})",
        f"(0 < {e('num')} <= {e('num')})", f"isinstance({e()}, {r.choice(['int', 'str', '(list, tuple)'])})",
        f"({e()} is None)", f"any(x > 1 for x in {_iterable(e)})", f"bool({e()})",
    ])  # fmt: skip


def _other(r: random.Random, e, leaf: bool) -> str:
    if leaf:
        return r.choice(["d", "G", "None", "{3, 1}", "b'by'", "(1, 2.5)"])
    return r.choice([
        f"{{x: {e()} for x in {_iterable(e)}}}", f"{{{e('num')}, {e('str')}}}", f"d.get({e()})",
        f"d[{r.choice(['2', repr('k'), e()])}]", f"type({e()}).__name__", f"({e()}, {e()})",
        f"{{**d, {e('str')}: {e()}}}", f"dict(zip({e('seq')}, {e('seq')}))", f"max({e('seq')}, default=None)",
    ])  # fmt: skip


def block(r: random.Random, depth: int, indent: int, in_loop: bool, in_def: bool) -> list[str]:
    """Return one to three statements at indent."""
    lines: list[str] = []
    for _ in range(r.randint(1, 3)):
        lines += statement(r, depth, indent, in_loop, in_def)
    return lines


def statement(r: random.Random, depth: int, indent: int, in_loop: bool, in_def: bool) -> list[str]:
    """Return the lines of one statement."""
    pad = "    " * indent
    kind = r.choice(["num", "num", "str", "seq", "any"])
    v = r.choice(TYPED_VARIABLES[kind])
    e = lambda k="any": expression(r, k)  # noqa: E731
    deeper = lambda inner_loop=in_loop, inner_def=in_def: block(  # noqa: E731
        r, depth + 1, indent + 1, inner_loop, inner_def
    )
    k = r.randrange(8 if depth >= 2 else 22)
    if k == 0:
        return [f"{pad}{v} = {e(kind)}", f"{pad}show({v!r}, {v})"]
    if k == 1:
        augmented = r.choice(["+=", "-=", "//=", "%="] if kind == "num" else ["+=", "*="])
        right = e(kind) if augmented != "*=" else str(r.randint(0, 2))
        return [f"{pad}{v} {augmented} {right}", f"{pad}show({v})"]
    if k == 2:
        return [f"{pad}show({e()})"]
    if k == 3:
        return [f"{pad}{v}, b = {e(kind)}, {e('num')}", f"{pad}show({v}, b)"]
    if k == 4 and in_loop:
        return [f"{pad}if {e('cond')}:", f"{pad}    {r.choice(['break', 'continue'])}"]
    if k == 5 and in_def:
        return [f"{pad}if {e('cond')}:", f"{pad}    return {e()}"]
    if k == 6:
        return [
            f"{pad}lst.append({e()})",
            f"{pad}del lst[{r.choice(['0', '-1', ':1', 'a:', '::2'])}]",
        ]
    if k == 7:
        return [f"{pad}del {v}"] if r.random() < 0.3 else [f"{pad}assert {e()}, {e()}"]
    if k in (8, 9):
        out = [f"{pad}if {e('cond')}:"] + deeper()
        if r.random() < 0.5:
            out += [f"{pad}elif {e('cond')}:"] + deeper()
        if r.random() < 0.5:
            out += [f"{pad}else:"] + deeper()
        return out
    if k == 10:
        i = f"i{depth}"
        out = [
            f"{pad}for {i} in {r.choice(['range(3)', 'lst[:3]', 's', 'd'])}:",
            f"{pad}    show({i!r}, {i})",
        ]
        out += deeper(True)
        if r.random() < 0.4:
            out += [f"{pad}else:", f"{pad}    show('for else')"]
        return out
    if k == 11:
        w = f"w{depth}"
        out = [f"{pad}{w} = 0", f"{pad}while {w} < {r.randint(0, 3)}:", f"{pad}    {w} += 1"]
        return out + deeper(True)
    if k in (12, 13):
        out = [f"{pad}try:"] + deeper()
        kind = r.randrange(4)
        if kind != 3:
            caught = r.choice(
                ["Exception", "TypeError", "(ValueError, KeyError)", "ZeroDivisionError"]
            )
            out += [
                f"{pad}except {caught} as exc:",
                f"{pad}    show('caught', type(exc).__name__, str(exc))",
            ]
            if r.random() < 0.3:
                out += [f"{pad}    raise"]
        if kind >= 1 and r.random() < 0.5 and kind != 3:
            out += [f"{pad}else:"] + deeper()
        if kind >= 2:
            out += [f"{pad}finally:", f"{pad}    show('finally')"]
            if r.random() < 0.3:
                out += deeper()
        return out
    if k == 14:
        return [
            f"{pad}with Ctx({e()}, {r.choice(['False', 'True'])}) as t{depth}:",
            f"{pad}    show(t{depth})",
        ] + deeper()
    if k in (15, 16):
        name = f"h{depth}"
        out = [f"{pad}def {name}(x, y={e()}, *rest, **kw):"]
        out += [f"{pad}    global G"] + (
            [f"{pad}    nonlocal {r.choice('abc')}"] if r.random() < 0.3 else []
        )
        out += block(r, depth + 1, indent + 1, False, True)
        out += [
            f"{pad}    return (x, y, {e()})",
            f"{pad}show({name}({e('num')}), {name}(1, 2, 3, k={e()}))",
        ]
        return out
    if k == 17:
        name = f"K{depth}"
        attr = e()
        if ":=" in attr:  # an assignment expression in a class body's comprehension is an error
            attr = "a"
        out = [f"{pad}class {name}:", f"{pad}    attr = {attr}", f"{pad}    def m(self, x=1):"]
        out += [f"{pad}        return (self.attr, x, {e()})"]
        out += [
            f"{pad}    def __repr__(self):",
            f"{pad}        return 'K(' + repr(self.attr) + ')'",
        ]
        return out + [f"{pad}show({name}(), {name}().m(), {name}.attr)"]
    if k == 18:
        name = f"gen{depth}"
        out = [f"{pad}def {name}():", f"{pad}    yield {e()}"]
        out += [f"{pad}    yield from {r.choice(['lst', 's', 'range(2)', '(a, b)'])}"]
        return out + [f"{pad}show(list({name}()))"]
    if k == 19:
        return [f"{pad}raise {r.choice(['ValueError', 'KeyError', 'RuntimeError'])}({e()})"]
    if k == 20:
        out = [f"{pad}match {e()}:"]
        patterns = r.sample(["0", "[x, *y]", "{'k': x}", "str()", "(1 | 2) as x", "3.5"], 2)
        for pattern in patterns + ["_"] * r.randint(0, 1):
            out += [f"{pad}    case {pattern}:"] + block(r, depth + 1, indent + 2, in_loop, in_def)
        return out
    return [f"{pad}G = {e()}", f"{pad}show(G)"]


def program(r: random.Random, number: int) -> str:
    """Return one program: a function p<number> and the call that runs it."""
    body = block(r, 0, 1, False, True)
    return f"def p{number}():\n{INITIAL}" + "\n".join(body) + f"\n\n\nrun(p{number})\n"


def batches(size: int) -> st.SearchStrategy[str]:
    """Return a strategy for files of `size` programs behind the prelude, one seed each."""
    # A seed per program, not a Hypothesis-driven Random: a file of programs makes more
    # random choices than one Hypothesis example may hold.  The program's number is part
    # of its seed, so even Hypothesis's first example (all zeros) holds distinct programs.
    seeds = st.lists(st.integers(0, 2**32 - 1), min_size=size, max_size=size)
    return seeds.map(
        lambda ns: (
            PRELUDE + "\n\n".join(program(random.Random(f"{n}-{i}"), i) for i, n in enumerate(ns))
        )
    )
