import json
import typing
from typing import NamedTuple, TypedDict, Protocol, runtime_checkable

class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

def encode(o):
    if isinstance(o, Point):
        return {"x": o.x, "y": o.y}
    raise TypeError(f"cannot encode {type(o).__name__}")

print(json.dumps({"p": Point(1, 2), "l": [Point(3, 4)]}, default=encode, sort_keys=True))
try:
    json.dumps({1j})
except TypeError as e:
    print(e)
class Enc(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, set):
            return sorted(o)
        return super().default(o)
print(json.dumps({"s": {3, 1, 2}}, cls=Enc))
print(json.loads('{"a": [1, 2.5, null]}', object_hook=lambda d: sorted(d.items())))
words = ["banana", "Apple", "cherry", "apple"]
print(sorted(words, key=lambda w: (w.lower(), w)))
print(sorted(words, key=str.lower, reverse=True))
print(min(words, key=lambda w: w[-1]), sorted(range(10), key=lambda n: n % 3))

class Emp(NamedTuple):
    name: str
    age: int = 30
print(Emp("ann"), Emp._fields)
class Movie(TypedDict):
    title: str
print(Movie(title="x"))
@runtime_checkable
class Closeable(Protocol):
    def close(self) -> None: ...
class F:
    def close(self):
        pass
print(isinstance(F(), Closeable), isinstance(1, Closeable))
T = typing.TypeVar("T")
def first(xs: typing.Sequence[T]) -> T:
    return xs[0]
print(first([9, 8]), typing.get_type_hints(first)["return"])
print(typing.cast(int, "not really"))
