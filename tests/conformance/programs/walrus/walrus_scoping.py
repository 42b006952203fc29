def outer():
    results = [last := x for x in range(4)]
    return results, last
print(outer())

class C:
    vals = [1, 2]
    total = 0
print(C.total)
g = 0
def uses_global():
    global g
    [g := i for i in range(3)]
    return g
print(uses_global(), g)
def nonlocal_walrus():
    a = 0
    def inner():
        nonlocal a
        return [a := a + i for i in range(4)]
    r = inner()
    return r, a
print(nonlocal_walrus())
print((x := 1, x + 1))
def lam():
    return (lambda: (q := 7) * 2)()
print(lam())
