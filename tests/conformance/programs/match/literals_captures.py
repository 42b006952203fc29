def describe(v):
    match v:
        case 0:
            return "zero"
        case 1 | 2 | 3:
            return "small"
        case -1:
            return "minus one"
        case 1.5:
            return "one and a half"
        case "hello":
            return "greeting"
        case b"bytes":
            return "bytes"
        case True:
            return "true"
        case None:
            return "none"
        case 2+3j:
            return "complex"
        case str() as s if len(s) > 3:
            return f"long str {s}"
        case int(n) if n > 100:
            return f"big {n}"
        case x:
            return f"other {x!r}"

for v in [0, 2, -1, 1.5, "hello", b"bytes", True, None, 2+3j, "abcdef", 500, 50, "ab", 1.0]:
    print(repr(v), "->", describe(v))
