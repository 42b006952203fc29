def cmd(c):
    match c:
        case []:
            return "empty"
        case [x]:
            return f"one {x}"
        case [x, y]:
            return f"two {x} {y}"
        case ["go", *rest]:
            return f"go with {rest}"
        case [first, *_, last]:
            return f"first {first} last {last}"
        case {"action": "move", "x": x, "y": y}:
            return f"move {x},{y}"
        case {"action": action, **others}:
            return f"action {action} extra {sorted(others)}"
        case (1, (2, z)):
            return "never seq"
        case _:
            return "unknown"

tests = [[], [1], (1, 2), ["go", 1, 2], [1, 2, 3, 4], {"action": "move", "x": 1, "y": 2, "z": 0},
         {"action": "jump", "h": 3, "a": 1}, "str", {"x": 1}, range(3), [1, [2, 3]]]
for t in tests:
    print(repr(t), "->", cmd(t))
match "abc":
    case [*chars]:
        print("strings are not sequences here", chars)
    case _:
        print("str not matched as sequence")
match [1, [2, [3, 4]]]:
    case [a, [b, [c, d]]]:
        print(a + b + c + d)
