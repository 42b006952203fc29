import functools

def trace(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        print("call", fn.__name__, args, kwargs)
        result = fn(*args, **kwargs)
        print("ret", result)
        return result
    return wrapper

def repeat(n):
    def deco(fn):
        def inner(*a):
            return [fn(*a) for _ in range(n)]
        return inner
    return deco

@trace
def add(a, b=1):
    """Add two numbers."""
    return a + b

@repeat(3)
@trace
def sq(x):
    return x * x

print(add(2, b=5))
print(add.__name__, add.__doc__, add.__wrapped__.__name__)
print(sq(4))

order = []
def mark(tag):
    order.append("make " + tag)
    def deco(f):
        order.append("apply " + tag)
        return f
    return deco

@mark("a")
@mark("b")
def z():
    pass
print(order)
