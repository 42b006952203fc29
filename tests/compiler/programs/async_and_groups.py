# ruff: noqa
import asyncio


class ACM:
    async def __aenter__(self):
        print("aenter")
        return self

    async def __aexit__(self, *a):
        print("aexit", a[0])
        return False


class AIt:
    def __init__(self):
        self.i = 0

    def __aiter__(self):
        return self

    async def __anext__(self):
        self.i += 1
        if self.i > 3:
            raise StopAsyncIteration
        return self.i


async def agen(n):
    for i in range(n):
        yield i
        await asyncio.sleep(0)


async def main():
    async with ACM() as c:
        print("body")
    async for x in AIt():
        print("it", x)
    print("else")
    print([y async for y in agen(3)])
    print({y: y async for y in agen(2)})
    print([await asyncio.sleep(0, result=z) for z in range(2)])
    g = (y * 2 async for y in agen(3))
    print([v async for v in g])
    for _ in range(2):
        async with ACM():
            break
    try:
        async with ACM():
            raise ValueError("inner")
    except ValueError as e:
        print("caught", e)
    return "done"


print(asyncio.run(main()))


def eg():
    try:
        raise ExceptionGroup("grp", [ValueError(1), TypeError(2), KeyError(3)])
    except* ValueError as e:
        print("V", repr(e))
    except* TypeError as e:
        print("T", repr(e))


try:
    eg()
except ExceptionGroup as e:
    print("rest", repr(e))
try:
    try:
        raise ExceptionGroup("g", [OSError("a")])
    except* OSError:
        raise RuntimeError("new")
except Exception as e:
    print(type(e).__name__, repr(e.exceptions) if hasattr(e, "exceptions") else e)
