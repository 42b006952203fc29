class A:
    def hello(self):
        return "A"
    def __init__(self):
        self.trail = ["A"]

class B(A):
    def hello(self):
        return "B" + super().hello()
    def __init__(self):
        super().__init__()
        self.trail.append("B")

class C(A):
    def hello(self):
        return "C" + super().hello()
    def __init__(self):
        super().__init__()
        self.trail.append("C")

class D(B, C):
    def hello(self):
        return "D" + super().hello()
    def __init__(self):
        super().__init__()
        self.trail.append("D")

d = D()
print(d.hello(), d.trail)
print([k.__name__ for k in D.__mro__])
print(super(B, d).hello(), super(C, d).hello())

class E(A):
    def hello(self):
        f = lambda: super(E, self).hello()
        return "E" + f()
print(E().hello())

class F(A):
    @classmethod
    def make(cls):
        return cls.__name__, super().hello
    def hello(self):
        return "F"
print(F.make()[0])

class G(list):
    def append(self, v):
        super().append(v * 2)
g = G()
g.append(3)
print(g, len(g), isinstance(g, list))

class H(dict):
    def __missing__(self, key):
        return key.upper()
print(H(a=1)["a"], H()["zz"])
print(issubclass(D, A), issubclass(A, D))
