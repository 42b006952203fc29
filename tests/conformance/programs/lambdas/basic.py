sq = lambda x: x * x
print(sq(7), sq.__name__, sq.__qualname__)
add = lambda a, b=10, *r, k=1, **kw: (a + b + sum(r) + k, kw)
print(add(1), add(1, 2, 3, 4, k=5, z=6))
print((lambda: 42)())
print(list(filter(lambda v: v % 3 == 0, range(20))))
print(sorted([(1, "b"), (0, "z"), (1, "a")], key=lambda t: (t[0], t[1])))
fs = [lambda i=i: i * 10 for i in range(4)]
print([f() for f in fs])
print((lambda *a: a)(1, 2), (lambda **k: sorted(k))(b=1, a=2))
