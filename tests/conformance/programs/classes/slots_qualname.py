class P:
    __slots__ = ("x", "y")
    def __init__(self, x, y):
        self.x, self.y = x, y

p = P(1, 2)
print(p.x, p.y, P.__slots__)
try:
    p.z = 3
except AttributeError as e:
    print(e)
print(hasattr(p, "__dict__"))

class Outer:
    class Inner:
        def method(self):
            def local():
                pass
            return local
    def m(self):
        class Local:
            pass
        return Local

print(Outer.Inner.__qualname__, Outer.Inner.method.__qualname__)
print(Outer.Inner().method().__qualname__)
print(Outer().m().__qualname__)
print(Outer.m.__qualname__)

class Sub(P):
    __slots__ = ("z",)
s = Sub(1, 2)
s.z = 3
print(s.x, s.z)
class WithDict(P):
    pass
w = WithDict(1, 2)
w.extra = 5
print(w.extra)
