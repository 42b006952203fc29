# ruff: noqa
def f1():
    try:
        return "try"
    finally:
        return "finally"


print(f1())


def f2():
    for i in range(5):
        try:
            if i == 3:
                return i
        finally:
            if i < 2:
                continue
            print("fin", i)
    return None


print(f2())


def f3():
    for i in range(3):
        try:
            raise ValueError(i)
        except ValueError as e:
            if i == 1:
                break
            print("e", e)
        finally:
            print("f", i)
    try:
        print(e)
    except NameError as ne:
        print("NameError", ne)
    except UnboundLocalError as ue:
        print("ULE", ue)


f3()


class CM:
    def __init__(self, n):
        self.n = n

    def __enter__(self):
        print("enter", self.n)
        return self.n

    def __exit__(self, *a):
        print("exit", self.n, a[0])
        return self.n == 2


def f4():
    for i in range(4):
        with CM(i) as v, CM(i + 10):
            if v == 1:
                continue
            if v == 2:
                raise KeyError(v)
            if v == 3:
                return v


print(f4())


def gen():
    try:
        yield 1
        yield 2
    finally:
        print("gen cleanup")


g = gen()
print(next(g))
g.close()


def gen2():
    try:
        yield 1
    except ValueError as e:
        yield f"caught {e}"


g = gen2()
next(g)
print(g.throw(ValueError("x")))


def deleg():
    r = yield from gen2()
    print("r", r)
    return 7


g = deleg()
next(g)
print(g.throw(ValueError("y")))
try:
    next(g)
except StopIteration as s:
    print("stop", s.value)
x = 10


class K:
    x = 5
    y = [x for _ in range(2)]
    z = (lambda: x)()


print(K.y, K.z)


def loopclosures():
    fs = [lambda: i for i in range(3)]
    return [f() for f in fs]


print(loopclosures())


def unb():
    try:
        print(q)
    except UnboundLocalError as e:
        print(e)
    q = 1
    del q
    try:
        q
    except UnboundLocalError as e:
        print(e)


unb()


def cellun():
    def inner():
        return v

    try:
        inner()
    except NameError as e:
        print(e)
    v = 1


cellun()


class Base:
    def hello(self):
        return "base"


class Derived(Base):
    def hello(self):
        return "derived+" + super().hello()

    def cls(self):
        return __class__.__name__


print(Derived().hello(), Derived().cls())


def kw(a, /, b, *, c, **rest):
    return a, b, c, rest


print(kw(1, 2, c=3, d=4), kw(*[1], b=2, c=3))
try:
    kw(1, 2, 3)
except TypeError as e:
    print(e)


def star(*a, **k):
    return a, k


print(star(*range(3), 9, *"ab", x=1, y=2, z=3))
print([*range(3), *"xy"], {*"ab"}, {"a": 1, "b": 2}, (*"xy",))
first, *mid, last = "abcdef"
print(first, mid, last)
[a, [b, c]] = [1, [2, 3]]
print(a, b, c)
i = 0
while (i := i + 1) < 5:
    pass
print(i, [y := 5, y**2])
print(__debug__, __name__)
try:
    assert 1 == 2, "nope"
except AssertionError as e:
    print("assert", e)


class S:
    __slots__ = ("a",)

    def __init__(self):
        self.a = 1


print(S().a)


def deco(tag):
    def w(fn):
        def inner(*a):
            return tag + fn(*a)

        return inner

    return w


@deco("x")
@deco("y")
def h():
    return "h"


print(h(), h.__qualname__)
import collections.abc as cabc
from os.path import join as J

print(cabc.Sequence.__name__, J("a", "b"))
print(f"{3.14159:.2f} {'s'!r} {1+1=} {x:{'>'}{5}}")
print("%s-%d" % ("a", 3), 7 // 2, -7 % 3, 2**-1, 1 < 2 < 3 > 2, 1 < 0 < 3)


def ann(a: int, b: "str" = "d") -> list:
    pass


print(ann.__annotations__)
v: int = 3
print(__annotations__)
print(type(lambda: (yield)).__name__)
print("%s-%r|%5s|%-5s|%.2s|100%%" % (1, "a", "b", "c", "def"), "%s" % ((1, 2),), "%d/%s" % (3, 4))
for bad in ("%s %s", "%", "%(a)s"):
    try:
        print(bad % ("x",))
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
