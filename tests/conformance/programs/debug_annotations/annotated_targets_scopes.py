def g():
    x: int
    try:
        print(x)
    except UnboundLocalError as e:
        print("unbound:", e)
    x = 1
    return x
print(g())
class K:
    a: int
    print("a" in dir())
    b: int = 2
    print("b" in dir(), __annotations__ if "__annotations__" in dir() else None)
import dataclasses
@dataclasses.dataclass
class P:
    x: int
    y: float = 0.0
print(P(1), dataclasses.fields(P)[1].name)
