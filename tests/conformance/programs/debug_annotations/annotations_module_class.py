from typing import Optional, List
a: int = 1
b: "forward"
c: List[int] = []
print(__annotations__)
class C:
    x: int
    y: Optional[str] = None
    z: "C"
    def m(self, p: int = 3) -> "C":
        q: int = p
        return q
print(C.__annotations__)
print(C.m.__annotations__)
print(C().m())
def f():
    local: int = 5
    unset: str
    return local
print(f())
class D:
    pass
d = D()
d.attr: int = 7
print(d.attr)
lst = [0]
lst[0]: int = 9
print(lst)
(paren): int = 3
print(paren)
import typing
print(typing.get_type_hints(C.m))
