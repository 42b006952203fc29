def f(a, b=2, *args, c, d=4, **kw):
    return a, b, args, c, d, kw
print(f(1, c=3))
print(f(1, 2, 3, 4, c=5, e=6))
print(f(*[1, 2], **{'c': 7}))
x = [i * i for i in range(10) if i % 2]
print(x, {i: i for i in range(3)}, {i % 3 for i in range(10)})
print(list(map(lambda v: v + 1, x)))
print(sorted(['b', 'a', 'c'], key=lambda s: -ord(s)))
a, *b, c = range(6)
print(a, b, c)
s = 'abc'
print(f"{s!r:>10} {3.14159:.2f} {s=}")
t = (1, 2, 3)
print(t[::-1], t[1:], s[::2])
d = {'a': 1}
d['b'] = d.get('a', 0) + 1
del d['a']
print(d)
n = 0
while n < 5:
    n += 1
    if n == 2:
        continue
    if n == 4:
        break
else:
    print("no")
print(n)
print(1 < 2 < 3, 1 < 3 < 2, not 1, -5 // 2, 2 ** 10, 7 % 3, ~5)
g = (i for i in range(3))
print(sum(g))
print(isinstance(f, type(print)), callable(f))
def deco(fn):
    def wrapper(*a, **k):
        return ('wrapped', fn(*a, **k))
    return wrapper
@deco
def h(x): return x
print(h(5))
