class G:
    def __class_getitem__(cls, item):
        return f"G[{item!r}]"

print(G[int], G["x"])

class Fake:
    def __mro_entries__(self, bases):
        return (dict,)

class D(Fake()):
    pass
print(D.__bases__, D.__orig_bases__[0].__class__.__name__)

from typing import Generic, TypeVar
T = TypeVar("T")
class Box(Generic[T]):
    def __init__(self, v: T):
        self.v = v
b = Box[int](5)
print(b.v, Box.__parameters__)
class IntBox(Box[int]):
    pass
print(IntBox.__mro__[1].__name__, IntBox(3).v)
