class Meta(type):
    def __new__(mcls, name, bases, ns, **kw):
        ns['tag'] = kw.get('tag', 'none')
        return super().__new__(mcls, name, bases, ns)
    @classmethod
    def __prepare__(mcls, name, bases, **kw):
        return {'prepared': True}
class A(metaclass=Meta, tag='t'):
    x = 1
    def __init__(self, v):
        self.v = v
    def __repr__(self):
        return f"A({self.v})"
    @property
    def double(self):
        return self.v * 2
    @staticmethod
    def s():
        return 'static'
    @classmethod
    def c(cls):
        return cls.__name__
print(A(3), A(3).double, A.s(), A.c(), A.tag, A.prepared, type(A).__name__)
class B(A):
    def __init__(self, v):
        super().__init__(v + 1)
        self.__class__
    def __eq__(self, other):
        return isinstance(other, B) and self.v == other.v
    __hash__ = None
print(B(1), B(1) == B(1), B.__mro__, B.__qualname__)
class Init:
    def __init_subclass__(cls, **kw):
        cls.sub = kw
class Sub(Init, flag=1): pass
print(Sub.sub)
class D:
    def __set_name__(self, owner, name):
        self.name = name
    def __get__(self, obj, typ=None):
        return self.name
class H:
    attr = D()
print(H().attr)
class S:
    __slots__ = ('a',)
s = S(); s.a = 1
try:
    s.b = 2
except AttributeError as e:
    print("slots", e)
import dataclasses
@dataclasses.dataclass
class P:
    x: int
    y: int = 0
print(P(1), P(1, 2) == P(1, 2))
import functools
@functools.total_ordering
class O:
    def __init__(self, v): self.v = v
    def __lt__(self, o): return self.v < o.v
    def __eq__(self, o): return self.v == o.v
print(O(1) <= O(2), sorted([O(3), O(1)], key=lambda o: o.v)[0].v)
import enum
class Color(enum.Enum):
    RED = 1
    GREEN = 2
print(Color.RED, list(Color), Color(2))
class Outer:
    class Inner:
        def m(self): pass
print(Outer.Inner.__qualname__, Outer.Inner.m.__qualname__)
def f(): pass
print(f.__name__, f.__qualname__, f.__module__, f.__defaults__, f.__doc__)
def g():
    "doc"
print(g.__doc__)
class Z:
    def m(self):
        return __class__
print(Z().m())
