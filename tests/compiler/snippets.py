"""Source snippets covering the language, shared by the compiler's tests."""

SNIPPETS = {
    "basics": """
x = 1
y = x + 2 * 3 - -x
z = [x, y, *range(3)]
t = (1, 2, 3)
s = {1, 2, *z}
d = {"a": 1, **{"b": 2}, 3: x}
print(x, y, z, t, s, d, x < y <= 10 != 3, not x, ~x, x if y else z)
a, *b, c = range(5)
a, b = b, a
x += 1; d["a"] -= 1; d.__class__
del a
print(f"{x!r:>{y}} {x=} {'q'!a}", z[1:2], z[::2], z[1:])
assert x, "msg"
""",
    "functions": """
def f(a, b=2, /, c=3, *args, d, e=5, **kw) -> int:
    '''doc'''
    return a + b + c + d + e
g = lambda x, *, y=1: x * y
def outer():
    n = 0
    def inc(step=1):
        nonlocal n
        n += step
        return n
    return inc
def uses_global():
    global G
    G = 1
    return G
@staticmethod
def deco(): pass
print(f(1, d=4), g(2), outer()(), uses_global())
""",
    "classes": """
class Meta(type):
    def __new__(mcs, name, bases, ns, **kw):
        return super().__new__(mcs, name, bases, ns)
class A(metaclass=Meta, flag=1):
    '''doc'''
    x: int = 1
    y: str
    __slots__ = ()
    def m(self):
        return __class__, super()
    @property
    def p(self):
        return self.__private
    class Inner:
        def f(self):
            def g(): pass
            return g
class B(A, *[object][:0]):
    def m(self):
        return super().m()
""",
    "control": """
def loops(xs):
    total = 0
    for x in xs:
        if x == 2:
            continue
        elif x > 8:
            break
        total += x
    else:
        total = -1
    while total < 100:
        total *= 2
        if total == 0:
            break
    else:
        pass
    return total
def tries():
    for i in range(3):
        try:
            if i == 0:
                continue
            if i == 1:
                break
            return i
        except (ValueError, TypeError) as e:
            return e
        except Exception:
            raise
        else:
            pass
        finally:
            print("finally", i)
    try:
        pass
    finally:
        return 5
def withs(a, b):
    with a as x, b:
        for q in x:
            with b:
                return q
    async def aw():
        async with a as (p, q):
            return p
def star():
    try:
        raise ExceptionGroup("g", [ValueError()])
    except* ValueError as eg:
        print(eg)
    except* TypeError:
        pass
""",
    "generators": """
def gen(n):
    for i in range(n):
        x = yield i
    r = yield from gen(0)
    return r
async def co(aiter, aw):
    async for x in aiter:
        await aw
    else:
        pass
    return [y async for y in aiter if await y]
async def agen():
    yield 1
    await co(1, 2)
ge = (x * y for x in range(3) for y in range(x) if x if y)
lc = [z for z in range(3)]
sc = {z for z in range(3)}
dc = {k: v for k, v in enumerate("ab")}
def walrus(xs):
    if (n := len(xs)) > 2:
        return [y := x for x in xs], y, n
""",
    "match": """
def m(v):
    match v:
        case 0 | 1 | -1 | 1.5 | "s" | b"b" | None | True:
            return 1
        case [a, b, *rest] if a:
            return a, b, rest
        case [_, *_, last]:
            return last
        case {"k": val, 2: w, **others}:
            return val, w, others
        case P(0, y=yy) | P(1, y=yy):
            return yy
        case str() as s:
            return s
        case (x, y) | [y, x]:
            return x, y
        case _:
            return None
""",
    "imports": """
import os
import os.path
import os.path as osp
from os import path as p, sep
from . import sibling
from ..pkg import mod
from .mod import *
""",
    "annotations_future": """
from __future__ import annotations
def f(a: List[int], *args: *Ts, b: "x" = 1) -> Dict[str, int]:
    x: int = 1
    return x
class C:
    y: Optional[C] = None
    z: int
""",
}
