def f(*args, **kwargs):
    return args, kwargs

print(f())
print(f(1, 2, a=3))
a, k = f(*range(3), **{"x": 1})
print(type(a).__name__, type(k).__name__, a, k)

def g(a, *args, b=5, **kwargs):
    return a, args, b, kwargs

print(g(1))
print(g(1, 2, 3))
print(g(1, b=2, c=3))
print(g(a=1))

def h(self, *args, **kwargs):
    return self, args, kwargs
print(h(1, self=None) if False else h(1, z=2))
try:
    h(1, self=2)
except TypeError as e:
    print(e)
def kwself(**kw):
    return kw
print(kwself(self=1, cls=2))
