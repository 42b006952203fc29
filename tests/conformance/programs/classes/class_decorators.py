registry = []

def register(cls):
    registry.append(cls.__name__)
    return cls

def add_method(cls):
    cls.greet = lambda self: "hi from " + type(self).__name__
    return cls

@register
@add_method
class A:
    pass

@register
class B(A):
    pass

print(registry, B().greet())

def singleton(cls):
    instances = {}
    def get(*a):
        if cls not in instances:
            instances[cls] = cls(*a)
        return instances[cls]
    return get

@singleton
class Config:
    def __init__(self, v):
        self.v = v
print(Config(1).v, Config(2).v, Config(3) is Config(4))

class Counter:
    def __init__(self, fn):
        self.fn = fn
        self.calls = 0
    def __call__(self, *a):
        self.calls += 1
        return self.fn(*a)

@Counter
def f(x):
    return x + 1
print(f(1), f(2), f.calls)
