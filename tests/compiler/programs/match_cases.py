# ruff: noqa
class P:
    __match_args__ = ("x", "y")

    def __init__(self, x, y):
        self.x, self.y = x, y


def f(v):
    match v:
        case 0 | 1:
            return "small"
        case [a, b]:
            return f"pair {a} {b}"
        case [a, *rest] if a > 10:
            return f"big head {a} {rest}"
        case [first, *_, last]:
            return f"fl {first} {last}"
        case {"k": val, **others}:
            return f"map {val} {others}"
        case P(x=0, y=yy):
            return f"P0 {yy}"
        case P(xx, 5) as whole:
            return f"P5 {xx} {whole.y}"
        case str() | bytes() as s:
            return f"str {s!r}"
        case None:
            return "none"
        case (1, z) | (2, z):
            return f"alt {z}"
        case -1:
            return "minus one"
        case _:
            return "other"


for v in [
    0,
    1,
    [1, 2],
    [11, 2, 3],
    [1, 2, 3, 4],
    {"k": 1, "j": 2},
    P(0, 9),
    P(3, 5),
    "s",
    b"b",
    None,
    (2, 7, 8),
    -1,
    3.5,
    P(1, 1),
]:
    print(f(v))
