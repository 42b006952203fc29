import asyncio
async def add(a, b):
    await asyncio.sleep(0)
    return a + b
async def agen(n):
    for i in range(n):
        await asyncio.sleep(0)
        yield i
class CM:
    async def __aenter__(self):
        print("enter")
        return self
    async def __aexit__(self, *a):
        print("exit", a[0])
        return False
async def main():
    r = await add(1, 2)
    xs = [x async for x in agen(3)]
    async with CM() as cm:
        print("in", type(cm).__name__)
    res = await asyncio.gather(add(1, 1), add(2, 2))
    async for v in agen(2):
        print("v", v)
    t = asyncio.create_task(add(5, 5))
    print(await t)
    try:
        async with CM():
            raise KeyError('k')
    except KeyError:
        print("propagated")
    return r, xs, res
print(asyncio.run(main()))
async def c(): pass
co = c()
print(type(co).__name__)
co.close()
async def ag2():
    yield 1
    yield 2
async def m2():
    g = ag2()
    print(await g.__anext__(), await g.asend(None))
    await g.aclose()
    try:
        await g.__anext__()
    except StopAsyncIteration:
        print("done")
asyncio.run(m2())
