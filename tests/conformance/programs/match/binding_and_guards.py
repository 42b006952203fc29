def f(v):
    match v:
        case [x, y] if x == y:
            return f"pair of {x}"
        case [x, y]:
            return f"pair {x} {y}"
        case (("a" | "b") as letter, n):
            return "never"
        case {"k": {"inner": [_, second]}}:
            return f"deep {second}"
    return "fell through"

print(f([1, 1]), f([1, 2]), f({"k": {"inner": [0, 9]}}), f(42))
x = "unchanged"
match 5:
    case 6:
        x = "six"
print(x)
match (1, 2):
    case (a, b) as whole:
        print(a, b, whole)
match {"a": 1, "b": 2}:
    case {"a": 1}:
        print("mapping partial match ok")
match [1, 2, 3]:
    case [1, *mid, 3]:
        print("mid", mid)
value = 42
match value:
    case n if n > 40 and (half := n // 2):
        print("guard walrus", half)
import collections
match collections.OrderedDict(a=1):
    case {"a": v}:
        print("ordered dict", v)
match 3.0:
    case 3:
        print("3.0 == 3 matches")
