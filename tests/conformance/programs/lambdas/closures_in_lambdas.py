def make_adders():
    return [lambda x, n=n: x + n for n in range(3)]

print([f(10) for f in make_adders()])

def late():
    return [lambda x: x + n for n in range(3)]

print([f(10) for f in late()])
compose = lambda f, g: lambda x: f(g(x))
inc = lambda x: x + 1
dbl = lambda x: x * 2
print(compose(inc, dbl)(5), compose(dbl, inc)(5))
curry = lambda a: lambda b: lambda c: a * 100 + b * 10 + c
print(curry(1)(2)(3))
y = 5
print((lambda: y)())
class K:
    v = 3
    f = lambda self: self.v
print(K().f())
print((lambda x: (lambda: x)())(9))
