"""cloudpickle round trips of functions and classes defined in __main__ (by value)."""

import dataclasses
import enum
import functools
import pickle
import sys
import types
import typing

import cloudpickle

SCALE = 10


def roundtrip(obj):
    return pickle.loads(cloudpickle.dumps(obj))


def uses_global(x):
    return x * SCALE


def factorial(n):
    return 1 if n <= 1 else n * factorial(n - 1)


def make_adder(n):
    def add(x):
        return x + n

    return add


def make_counter():
    count = 0

    def bump():
        nonlocal count
        count += 1
        return count

    return bump


def with_defaults(a, b=2, *args, c=3, d, **kw) -> int:
    """Add things up."""
    return a + b + sum(args) + c + d + sum(kw.values())


def gen(n):
    for i in range(n):
        yield i * i


async def coro(x):
    return x + 1


def handles(x):
    try:
        return 10 // x
    except ZeroDivisionError as e:
        return f"caught {e}"
    finally:
        pass


class Point:
    """A point."""

    dims = 2

    def __init__(self, x, y):
        self.x, self.y = x, y

    def norm2(self):
        return self.x * self.x + self.y * self.y

    @classmethod
    def origin(cls):
        return cls(0, 0)

    @staticmethod
    def unit():
        return Point(1, 0)

    @property
    def swapped(self):
        return Point(self.y, self.x)

    def __repr__(self):
        return f"Point({self.x}, {self.y})"


class Point3(Point):
    dims = 3

    def __init__(self, x, y, z):
        super().__init__(x, y)
        self.z = z

    def norm2(self):
        return super().norm2() + self.z * self.z


class Color(enum.Enum):
    RED = 1
    GREEN = 2

    def describe(self):
        return f"{self.name}={self.value}"


def deco(f):
    @functools.wraps(f)
    def wrapper(*a, **k):
        return ("wrapped", f(*a, **k))

    return wrapper


@deco
def decorated(x):
    "Double x."
    return x * 2


def tagged(x):
    return x


tagged.tag = "hello"


@dataclasses.dataclass
class Pair:
    a: int
    b: str = "z"

    def total(self):
        return self.a * 2


class Named(typing.NamedTuple):
    x: int
    y: int = 5


class Slotted:
    __slots__ = ("v",)

    def __init__(self, v):
        self.v = v


def show(label, value):
    print(f"{label}: {value!r}")


f = roundtrip(lambda x: x + 1)
show("lambda", f(41))
show("lambda name", f.__name__)
show("global", roundtrip(uses_global)(4))
SCALE = 3
show("global captured at dump", roundtrip(uses_global)(4))
show("recursive", roundtrip(factorial)(10))
show("closure", roundtrip(make_adder(5))(10))
c = make_counter()
c()
c2 = roundtrip(c)
show("nonlocal", (c2(), c2(), c()))
g = roundtrip(with_defaults)
show("defaults", g(1, d=4))
show("varargs", g(1, 2, 3, 4, d=5, e=6))
show("doc", g.__doc__)
show("annotations", g.__annotations__)
show("kwdefaults", g.__kwdefaults__)
show("qualname", (g.__qualname__, g.__module__))
show("generator", list(roundtrip(gen)(5)))
co = roundtrip(coro)(1)
try:
    co.send(None)
except StopIteration as stop:
    show("coroutine", stop.value)
show("exceptions", (roundtrip(handles)(5), roundtrip(handles)(0)))
show("nested", roundtrip(make_adder)(2)(3))
show("partial", roundtrip(functools.partial(with_defaults, 1, d=1))(b=5))
P = roundtrip(Point)
p = P(3, 4)
show("class", (P.__name__, P.__doc__, P.dims, p.norm2(), p, p.swapped))
show("classmethod", (P.origin(), P.unit()))
show("instance", roundtrip(Point(5, 6)).norm2())
P3 = roundtrip(Point3)
show("subclass", (P3(1, 2, 3).norm2(), issubclass(P3, P), P3.__mro__[1].__name__))
C = roundtrip(Color)
show("enum", (C.RED.describe(), C(2).name, [m.name for m in C], roundtrip(Color.GREEN).value))
show("type of code", type(factorial.__code__))
show("CodeType", types.CodeType is type(factorial.__code__))
show("lambda list", [h(2) for h in roundtrip([lambda x: x, lambda x: x * x, make_adder(1)])])
two = roundtrip((factorial, factorial))
show("memo", two[0] is two[1])
mutual = roundtrip({"a": make_adder(1), "b": make_adder(2)})
show("dict of closures", {k: v(0) for k, v in mutual.items()})
code = factorial.__code__
rebuilt = types.CodeType(
    code.co_argcount,
    code.co_posonlyargcount,
    code.co_kwonlyargcount,
    code.co_nlocals,
    code.co_stacksize,
    code.co_flags,
    code.co_code,
    code.co_consts,
    code.co_names,
    code.co_varnames,
    code.co_filename,
    code.co_name,
    code.co_qualname,
    code.co_firstlineno,
    code.co_linetable,
    code.co_exceptiontable,
    code.co_freevars,
    code.co_cellvars,
)
show("CodeType(...)", types.FunctionType(rebuilt, globals())(5))
show("CellType", types.CellType(7).cell_contents)
try:
    types.CodeType(1, 2, 3)
except TypeError as e:
    show("CodeType error", str(e))
show("main", (f.__module__, uses_global.__module__, sys.modules[__name__] is not None))
d = roundtrip(decorated)
show("wraps", (d(4), d.__doc__, d.__wrapped__(1), d.__name__))
show("function attribute", (roundtrip(tagged).tag, roundtrip(tagged)(3)))
DC = roundtrip(Pair)
show("dataclass", (DC(1), DC(2, "q").total(), dataclasses.fields(DC)[1].default, roundtrip(Pair(3))))
N = roundtrip(Named)
show("NamedTuple", (N(1), N(1)._replace(y=2)))
S = roundtrip(Slotted)
show("slots", (S(4).v, S.__slots__))
show("module name", roundtrip(lambda: __name__)())
show("descriptors", (roundtrip(staticmethod(tagged)).__func__(9), roundtrip(property(tagged)).fget(8)))
try:
    roundtrip(x for x in range(3))
except TypeError as e:
    show("generator refused", str(e))
try:
    pickle.dumps(factorial.__code__)
except TypeError as e:
    show("plain pickle of code", str(e))
