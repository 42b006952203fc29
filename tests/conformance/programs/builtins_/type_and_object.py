class A:
    pass
B = type("B", (A,), {"x": 1, "m": lambda self: self.x * 2})
b = B()
print(B.__name__, B.__bases__[0].__name__, b.m(), isinstance(b, A))
print(type(b) is B, type(B).__name__, B.__mro__[-1].__name__)
print(object.__name__, object.__bases__, type.__mro__)
print(isinstance(type, object), isinstance(object, type), issubclass(type, object))
print(int.__name__, int.__mro__, bool.__mro__)
print(A.__dict__["__module__"], "__weakref__" in A.__dict__)
class Meta(type): pass
print(type(Meta("X", (), {})).__name__)
print(object().__class__.__name__, (1).__class__, "".__class__.__name__)
print(type.__call__(int, "5"), int.__new__(int, 7))
class WithNew:
    def __new__(cls, *a):
        print("new", a)
        inst = super().__new__(cls)
        return inst
    def __init__(self, *a):
        print("init", a)
w = WithNew(1, 2)
class ReturnsOther:
    def __new__(cls):
        return 42
    def __init__(self):
        print("init never")
print(ReturnsOther())
print(NotImplemented.__class__.__name__, type(...).__name__)
