def f(a, b=2, *args, c, d=4, **kw):
    return (a, b, args, c, d, sorted(kw.items()))

print(f(1, c=3))
print(f(1, 5, 6, 7, c=3, e=9, d=0))
print(f(*[1, 2, 3], **{"c": 10, "z": 1}))

def g(x, y=[]):
    y.append(x)
    return y

print(g(1), g(2), g(3, []))
print(f.__defaults__, f.__kwdefaults__)
print(f.__code__.co_argcount, f.__code__.co_kwonlyargcount, f.__code__.co_varnames[:6])
print(f.__name__, f.__qualname__)

def h(a, /, b, *, c):
    return a + b + c

print(h(1, 2, c=3), h(1, b=2, c=3))
print(h.__code__.co_posonlyargcount)

def defaults_eval_once():
    print("evaluated")
    return 5

def k(x=defaults_eval_once()):
    return x

print(k(), k(), k(1))
