class A:
    def m(self): return "A.m"
    @classmethod
    def c(cls): return f"A.c({cls.__name__})"
    def __init_subclass__(cls, **kw):
        super().__init_subclass__()
        cls.tag = kw.get("tag")
class B(A, tag="b"):
    def m(self): return "B>" + super().m()
    @classmethod
    def c(cls): return "B>" + super().c()
    def lam(self):
        return (lambda: super().m())()
    def nested(self):
        def inner():
            return __class__
        return inner()
    def two(self): return super(B, self).m()
class C(B):
    def m(self):
        x = self
        def use(): return x
        return "C>" + super().m()
print(C().m(), C.c(), B.tag, C().two(), B().nested().__name__)
try:
    B().lam()
except RuntimeError as e:
    print("RuntimeError", e)
def notmethod():
    return super()
try:
    notmethod()
except RuntimeError as e:
    print("RuntimeError", e)
class D:
    def f(self):
        del self
        return super().f
try:
    D().f()
except RuntimeError as e:
    print("RuntimeError", e)
class M(type):
    def __call__(cls, *a):
        print("meta call", cls.__name__, a)
        return super().__call__(*a)
    def __new__(m, name, bases, ns):
        print("meta new", name, sorted(k for k in ns if not k.startswith("__")))
        return super().__new__(m, name, bases, ns)
class E(metaclass=M):
    def __init__(self, v): self.v = v
    def hello(self): return "hi"
print(E(3).v, isinstance(E(1), E))
class F:
    def __class_getitem__(cls, item): return f"F[{item}]"
print(F[int])
import typing
class G(typing.Generic[typing.TypeVar("T")]):
    pass
print(G[int], G.__orig_bases__, G.__mro__)
from collections import namedtuple
class H(typing.NamedTuple):
    a: int
    b: str = "x"
print(H(1), H._fields)
class W:
    __slots__ = ("a", "b")
    def __init__(self): self.a = 1
print(W().a, hasattr(W(), "__dict__"))
print(super(B, B()).m(), type(super(B, B())).__name__, repr(super(B, B()))[:14])
