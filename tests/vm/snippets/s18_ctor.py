import abc
class A:
    def __init__(self, x, y=2, *, z=3):
        self.t = (x, y, z)
print(A(1).t, A(1, 5, z=6).t, A(*[7], **{"y": 8}).t)
class R:
    def __init__(self):
        return 5
try:
    R()
except TypeError as e:
    print(e)
class Ab(abc.ABC):
    @abc.abstractmethod
    def f(self): ...
    def __init__(self): print("never")
try:
    Ab()
except TypeError as e:
    print(e)
try:
    A()
except TypeError as e:
    print(e)
class B(A):
    pass
print(B(4).t, type(B(4)).__name__)
class C(A):
    def __init__(self):
        super().__init__(0)
        self.extra = True
print(C().t, C().extra)
class N:
    def __new__(cls, *a):
        o = super().__new__(cls)
        o.made = a
        return o
    def __init__(self, *a):
        self.init = a
n = N(1, 2); print(n.made, n.init)
class G:
    def __init__(self):
        yield 1
try:
    G()
except TypeError as e:
    print(e)
class Boom:
    def __init__(self):
        raise KeyError("boom")
def make():
    return Boom()
try:
    make()
except KeyError as e:
    print("KeyError", e)
class Rec:
    def __init__(self, n):
        self.child = Rec(n - 1) if n else None
r = Rec(50); d = 0
while r: r = r.child; d += 1
print(d)
class S(str):
    def __init__(self, v): self.v = v
print(S("ab"), S("ab").v)
class WithSlots:
    __slots__ = ("a",)
    def __init__(self): self.a = 1
print(WithSlots().a)
Boom()
