import copy
import pickle
import weakref

class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return f"Point({self.x}, {self.y})"
    def __eq__(self, other):
        return (self.x, self.y) == (other.x, other.y)

class Slotted:
    __slots__ = ("a", "__weakref__")
    def __init__(self, a):
        self.a = a
    def __getstate__(self):
        return {"a": self.a}
    def __setstate__(self, state):
        self.a = state["a"]

def module_function(v):
    return v * 3

p = Point(1, 2)
q = pickle.loads(pickle.dumps(p))
print(q, q == p, q is p, type(q) is Point)
s = pickle.loads(pickle.dumps(Slotted(5)))
print(s.a, type(s).__name__)
f = pickle.loads(pickle.dumps(module_function))
print(f(4), f is module_function)
print(copy.copy(p), copy.deepcopy([p, p])[0] is not p)
r = weakref.ref(p)
print(r() is p)
sl = Slotted(1)
wr = weakref.ref(sl)
del sl
print(wr())
cache = weakref.WeakValueDictionary()
cache["k"] = Point(0, 0)
print(len(cache))
class Other:
    def __repr__(self):
        return "Other()"
obj = Point(3, 4)
obj.__class__ = Other
print(obj, isinstance(obj, Other))
try:
    pickle.dumps(lambda: 1)
except (pickle.PicklingError, AttributeError) as e:
    print(type(e).__name__, str(e).split(" at 0x")[0])
