x = "outer"
res = [x for x in range(3)]
print(res, x)

def f():
    y = 10
    return [y + i for i in range(3)]
print(f())

def g():
    return [lambda: i for i in range(3)]
print([h() for h in g()])

class C:
    vals = [1, 2, 3]
    doubled = [v * 2 for v in vals]
    try:
        bad = [v * factor for v in vals for factor in [2]]
    except NameError as e:
        bad = str(e)
    factor = 3
    try:
        scaled = [v * factor for v in vals]
    except NameError as e:
        scaled = str(e)
print(C.doubled, C.bad, C.scaled)

def h():
    n = 2
    return {k: [k * n for _ in range(n)] for k in "ab"}
print(h())
gen = (i for i in range(3))
print(gen.gi_code.co_name if hasattr(gen, "gi_code") else "nocode")
lst = [1, 2]
print([a for a in lst for lst in [[9]]])
