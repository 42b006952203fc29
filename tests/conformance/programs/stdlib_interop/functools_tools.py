import functools

@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(80), fib.cache_info())

@functools.cache
def sq(x):
    print("computing", x)
    return x * x
print(sq(3), sq(3))

def power(base, exp):
    return base ** exp
square = functools.partial(power, exp=2)
cube = functools.partial(power, exp=3)
print(square(5), cube(2), square.func is power, square.keywords)

@functools.singledispatch
def show(x):
    return f"object {x!r}"
@show.register
def _(x: int):
    return f"int {x}"
@show.register(list)
def _(x):
    return f"list of {len(x)}"
print(show(1), show([1, 2]), show("s"), show(True))

def deco(fn):
    @functools.wraps(fn)
    def w(*a):
        return fn(*a)
    return w
@deco
def documented(a):
    """Docs."""
    return a
print(documented.__name__, documented.__doc__, documented.__wrapped__.__name__)
print(functools.reduce(lambda a, b: a * b, range(1, 8)))
class Lazy:
    @functools.cached_property
    def value(self):
        print("computing value")
        return 42
l = Lazy()
print(l.value, l.value)
class M:
    @functools.partialmethod
    def noop(self):
        pass
print(sorted([3, 1, 2], key=functools.cmp_to_key(lambda a, b: b - a)))
