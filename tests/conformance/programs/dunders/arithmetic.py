class V:
    def __init__(self, *c):
        self.c = c
    def __repr__(self):
        return "V" + repr(self.c)
    def __add__(self, o):
        return V(*(a + b for a, b in zip(self.c, o.c)))
    def __sub__(self, o):
        return V(*(a - b for a, b in zip(self.c, o.c)))
    def __mul__(self, k):
        return V(*(a * k for a in self.c))
    __rmul__ = __mul__
    def __matmul__(self, o):
        return sum(a * b for a, b in zip(self.c, o.c))
    def __truediv__(self, k):
        return V(*(a / k for a in self.c))
    def __floordiv__(self, k):
        return V(*(a // k for a in self.c))
    def __mod__(self, k):
        return V(*(a % k for a in self.c))
    def __pow__(self, k):
        return V(*(a ** k for a in self.c))
    def __neg__(self):
        return V(*(-a for a in self.c))
    def __pos__(self):
        return self
    def __abs__(self):
        return sum(a * a for a in self.c) ** 0.5
    def __invert__(self):
        return V(*reversed(self.c))
    def __lshift__(self, n):
        return V(*(self.c[n:] + self.c[:n]))
    def __and__(self, o):
        return "and"
    def __or__(self, o):
        return "or"
    def __xor__(self, o):
        return "xor"
    def __radd__(self, o):
        return ("radd", o)
    def __iadd__(self, o):
        print("iadd")
        return self + o
    def __bool__(self):
        return any(self.c)
    def __len__(self):
        return len(self.c)

a, b = V(1, 2), V(3, 4)
print(a + b, a - b, a * 2, 3 * a, a @ b, a / 2, b // 2, b % 3, a ** 2)
print(-a, +a, abs(V(3, 4)), ~a, a << 1, a & b, a | b, a ^ b, 5 + a)
a += b
print(a, bool(V(0, 0)), bool(a), len(a))
try:
    a - 1
except AttributeError as e:
    print("AttributeError", e)
try:
    V() < V()
except TypeError as e:
    print(e)
try:
    1 + "a"
except TypeError as e:
    print(e)
