class Meta(type):
    def __getitem__(cls, k):
        return f"{cls.__name__}[{k}]"
    def __len__(cls):
        return 3
    def __iter__(cls):
        return iter("xyz")
class C(metaclass=Meta):
    pass
print(C[1], len(C), list(C))
class D:
    def __init__(self):
        self.__private = 1
    def get(self):
        return self.__private, self._D__private
d = D()
print(d.get(), sorted(vars(d)))
class E:
    def __iter__(self):
        yield from range(3)
    def __contains__(self, x):
        return x == "magic"
print(list(E()), "magic" in E(), 1 in E())
class F:
    x = 1
    def __init_subclass__(cls):
        cls.x += 1
class G(F): pass
class H(G): pass
print(F.x, G.x, H.x)
print(type("Z", (), {"__slots__": ("a",)})().__class__.__slots__)
class Num:
    def __init__(self, v): self.v = v
    def __eq__(self, o): return self.v == getattr(o, "v", o)
    def __hash__(self): return hash(self.v)
print(len({Num(1), Num(1), 1}), {Num(1): "a"}[1])
import operator
print(operator.index(True), (5).__add__(3), (5).__radd__(3))
class Desc:
    def __get__(self, obj, owner):
        return ("get", obj is None, owner.__name__)
class U:
    d = Desc()
print(U.d, U().d)
print(U.__dict__["d"].__class__.__name__, U.__dict__.__class__.__name__)
class V:
    def __new__(cls, *a, **k):
        return super().__new__(cls)
    def __init__(self, a, b=2):
        self.s = a + b
print(V(1).s, V(1, b=5).s)
class W(Exception):
    def __init__(self, a, b):
        super().__init__(a)
        self.b = b
try:
    raise W("m", 2)
except W as e:
    print(e, e.b, e.args)
print(str(W.__mro__[1:3]))
