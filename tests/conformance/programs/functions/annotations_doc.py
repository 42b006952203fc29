def f(a: int, b: "str" = "x", *args: float, c: list[int] = None, **kw: dict) -> bool:
    "doc here"
    return True

print(f.__annotations__)
print(f.__doc__)

def g():
    pass
print(g.__doc__, g.__annotations__)

def nested():
    def inner(x: int) -> int:
        return x
    return inner
print(nested().__qualname__, nested().__annotations__)
x: int = 5
y: str
print(__annotations__)
class C:
    a: int
    b: str = "s"
print(C.__annotations__, C.b)
