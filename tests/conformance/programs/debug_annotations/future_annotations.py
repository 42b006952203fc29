from __future__ import annotations

def f(x: list[int], y: Undefined = None) -> dict[str, Nope]:
    return x
print(f.__annotations__)
class C:
    attr: SomethingUndefined
    other: int = 5
print(C.__annotations__)
v: 1 + 2 = 3
print(__annotations__)
