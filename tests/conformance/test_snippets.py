"""Differential conformance over small inline snippets, grouped by construct."""

from __future__ import annotations

from pathlib import Path

import helpers
import pytest
from helpers import assert_same_as_cpython

# construct -> snippets; each snippet is a whole program run under python3 and pvm.
SNIPPETS: dict[str, list[str]] = {
    "uncaught_carets": [
        "a = [1, 2]\nb = a[0] + a[5]\n",
        "d = {'k': {'n': 1}}\nprint(d['k']['missing'])\n",
        "x = None\nx.attribute\n",
        "def f(a, b):\n    return a / b\nf(1,\n  0)\n",
        "import math\nmath.sqrt(-1)\n",
        "s = 'abc'\nn = int(s)\n",
        "class A:\n    pass\nA().method()\n",
        "values = [1, 2, 3]\ntotal = sum(values) + undefined_name\n",
        "x = 1\ny = 'a'\nz = x + y\n",
        "def g():\n    return [1][2]\nprint(g())\n",
        "f = lambda: 1 / 0\nf()\n",
        "t = (1, 2)\nt[0] = 5\n",
        "import json\njson.loads('{bad')\n",
        "raise ValueError('plain raise at top level')\n",
        "def f():\n    raise\nf()\n",
        "try:\n    1/0\nexcept ZeroDivisionError:\n    raise KeyError('while handling')\n",
        "try:\n    1/0\nfinally:\n    print('finally ran first')\n",
        "obj = object()\nobj.x = 1\n",
        "len(5)\n",
        "print('multi', 'arg',\n      1 / 0,\n      'end')\n",
        "nums = {'a': 1}\nnums['a'] += nums['b']\n",
        "def outer():\n    def inner():\n        return undefined_inner\n    return inner()\nouter()\n",
        "class E(Exception):\n    pass\nraise E('custom', 2)\n",
        "raise SystemExit\n",
        "import sys\nsys.exit(256)\n",
        "x = [1, 2, 3]\nfor i in range(4):\n    print(x[i])\n",
        "async def f():\n    raise ValueError('in coroutine')\nf().send(None)\n",
        "def gen():\n    yield 1\n    raise KeyError('gen')\nlist(gen())\n",
    ],
    "operators": [
        "print(7 // -2, -7 // 2, 7 % -3, -7 % 3, 2 ** 0.5, 10 ** -1, divmod(7.5, 2))\n",
        "print(1 << 65, -1 >> 3, ~0, 5 & -2, 5 | -8, 6 ^ -1)\n",
        "print([1] * 3, 3 * 'ab', (1,) * 0, [[]] * 2)\n",
        "print('a' < 'b' <= 'b' != 'c', (1, 2) == [1, 2], [1] + [2])\n",
        (
            "for e in ['1/0', '1//0', '1%0', '2**-1', '0**-1', '1.0/0']:\n"
            "    try:\n        print(eval(e))\n    except ZeroDivisionError as x:\n        print(e, x)\n"
        ),
        (
            "import operator\nprint([f(6, 4) for f in (operator.add, operator.sub, operator.mul,"
            " operator.truediv, operator.floordiv, operator.mod, operator.pow)])\n"
        ),
        "print(not 0, not [], -(-3), +True, abs(-0.0), 3 if 0 else 4)\n",
        "x = 5\nx **= 2\nx //= 3\nx <<= 2\nx %= 7\nprint(x)\n",
        "print(1 in [1, 2], 3 not in {3: 4}, 'b' in 'abc', None in [None])\n",
        "print(0.1 * 3, 1e300 * 1e10, -1e300 * 1e10, 2 ** 1000 // 3 ** 500)\n",
    ],
    "calls": [
        "def f(a, b=[], *, c=None):\n    b.append(a)\n    return b, c\nprint(f(1), f(2, c=3))\n",
        "print(*(i * i for i in range(4)), sep=':')\n",
        "def f(**kw):\n    return list(kw)\nprint(f(z=1, a=2, m=3))\n",
        "def f(a, /, *args, b, **kw):\n    return a, args, b, kw\nprint(f(1, 2, 3, b=4, a=5))\n",
        "print(max(*[3, 9, 2]), min(4, *[7, 1]), dict(a=1, **{'b': 2}))\n",
        "def f(x):\n    return x\nprint(f(x=f(f(3))))\n",
        (
            "class A:\n    def __init__(self, *a, **k):\n        self.a, self.k = a, k\n"
            "print(vars(A(1, 2, x=3)))\n"
        ),
    ],
    "classes": [
        "class A:\n    x = 1\nclass B(A):\n    pass\nB.x = 2\nprint(A.x, B.x, B.__dict__.get('x'))\n",
        "class A:\n    def __repr__(self):\n        return 'A!'\nprint([A(), A()], str(A()), f'{A()}')\n",
        "class C:\n    def __eq__(self, o):\n        return True\nprint(C() == 1, C() != 1, C.__hash__)\n",
        (
            "class Base:\n    def __init_subclass__(cls, **kw):\n        print('sub', cls.__name__, kw)\n"
            "class D(Base, x=1):\n    pass\n"
        ),
        (
            "class A:\n    @property\n    def p(self):\n        raise AttributeError('inner')\n"
            "    def __getattr__(self, n):\n        return 'fallback ' + n\nprint(A().p)\n"
        ),
        "class S(str):\n    def shout(self):\n        return self.upper() + '!'\nprint(S('hi').shout(), isinstance(S(), str))\n",
        "class N(int):\n    def __add__(self, o):\n        return N(int(self) * int(o))\nprint(N(3) + 4, 4 + N(3))\n",
        (
            "class M(type):\n    def __repr__(cls):\n        return 'M<' + cls.__name__ + '>'\nclass K(metaclass=M):\n"
            "    pass\nprint(K, [K])\n"
        ),
    ],
    "generators_async": [
        "def g():\n    x = yield 1\n    yield x * 2\nit = g()\nprint(next(it), it.send(21))\n",
        "def g():\n    try:\n        yield 1\n    finally:\n        print('closing')\nit = g()\nnext(it)\nit.close()\n",
        "def g():\n    return (yield from range(3))\nprint(list(g()))\n",
        (
            "import asyncio\nasync def f(i):\n    await asyncio.sleep(0)\n    return i * i\n"
            "async def main():\n    return await asyncio.gather(*(f(i) for i in range(5)))\n"
            "print(asyncio.run(main()))\n"
        ),
        (
            "import asyncio\nasync def ag():\n    for i in range(3):\n        yield i\n"
            "async def main():\n    return [i async for i in ag() if i]\nprint(asyncio.run(main()))\n"
        ),
        (
            "import asyncio\nasync def main():\n    async def boom():\n        raise KeyError('k')\n"
            "    t = asyncio.create_task(boom())\n    try:\n        await t\n    except KeyError as e:\n"
            "        print('task failed', repr(e), t.done())\nasyncio.run(main())\n"
        ),
    ],
    "match": [
        "match {'type': 'pt', 'xy': [1, 2]}:\n    case {'type': 'pt', 'xy': [x, y]}:\n        print(x + y)\n",
        (
            "for v in [(), (1,), (1, 2, 3)]:\n    match v:\n        case ():\n            print('empty')\n"
            "        case (a,):\n            print('one', a)\n        case (a, *r):\n            print('many', a, r)\n"
        ),
        "match 5:\n    case int(x) if x > 3:\n        print('big int', x)\n",
        "import enum\nclass C(enum.Enum):\n    A = 1\nmatch C.A:\n    case C.A:\n        print('enum value pattern')\n",
    ],
}

CASES = [(construct, i, src) for construct, srcs in SNIPPETS.items() for i, src in enumerate(srcs)]
# Known differences in the guest world only (docs/guest-world.md, "Known differences").
GUEST_WORLD_DIFFERENCES = {"uncaught_carets-12": helpers.HIDDEN_JSON}
PARAMS = [
    pytest.param(
        c,
        i,
        src,
        id=f"{c}-{i}",
        marks=[helpers.guest_world_difference(GUEST_WORLD_DIFFERENCES[f"{c}-{i}"])]
        if f"{c}-{i}" in GUEST_WORLD_DIFFERENCES
        else [],
    )
    for c, i, src in CASES
]


@pytest.mark.parametrize("construct,index,source", PARAMS)
def test_snippet(construct: str, index: int, source: str, tmp_path: Path) -> None:
    """Run one snippet under both interpreters; stdout, stderr and exit code must agree."""
    assert_same_as_cpython(source, tmp_path)
