def src():
    print("src called")
    return iter(range(3))

g = (x * 2 for x in src())
print("created")
print(next(g), list(g))

def fails():
    return (1 / x for x in [1, 0])
gen = fails()
print(next(gen))
try:
    next(gen)
except ZeroDivisionError as e:
    print("ZeroDivisionError", e)
try:
    bad = (x for x in 5)
except TypeError as e:
    print(e)
print(list(x for x in range(3) if x))
print(dict((k, len(k)) for k in ["a", "bb"]))
print(max((len(w), w) for w in "the quick brown fox".split()))
print(tuple(i for i in "abc"), frozenset(i % 2 for i in range(5)))
gg = (i for i in range(2))
print(next(gg), next(gg), next(gg, "done"))
