# The types of generators, coroutines, async generators, frames and code objects print
# as CPython's builtin types, and types.* names them the same way.
import sys
import types


def gen():
    yield 1


async def coro():
    pass


async def agen():
    yield 1


c = coro()
a = agen()
for obj in (gen(), c, a, a.asend(None), sys._getframe(), gen.__code__):
    t = type(obj)
    print(t, t.__module__, t.__name__, t.__qualname__)
c.close()
print(types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType)
print(types.FrameType, types.CodeType, types.FunctionType)
print(type(gen()) is types.GeneratorType, type(sys._getframe()) is types.FrameType)
