"""__class__ and __module__ of functions, generators and coroutines, as the types module names them."""

import types


def f():
    pass


def gen():
    yield 1


async def coro():
    pass


async def agen():
    yield 1


# The function type says builtins; each function keeps its own, settable __module__.
print(type(f).__module__, f.__module__, repr(type(f)))
f.__module__ = "elsewhere"
print(f.__module__, type(f).__module__)
del f.__module__
print(f.__module__, "__module__" in f.__dict__)
print(f.__class__ is types.FunctionType, isinstance(f, types.FunctionType))

g, c, a = gen(), coro(), agen()
print(g.__class__ is types.GeneratorType, type(g) is types.GeneratorType)
print(c.__class__ is types.CoroutineType, type(c) is types.CoroutineType)
print(a.__class__ is types.AsyncGeneratorType, type(a) is types.AsyncGeneratorType)
print(c.__class__ in {types.GeneratorType, types.CoroutineType})
for obj in (g, c, a):
    print(obj.__class__.__name__, type(obj).__module__, hasattr(obj, "__module__"))
c.close()
