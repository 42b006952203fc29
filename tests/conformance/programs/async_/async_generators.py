import asyncio

async def agen(n):
    for i in range(n):
        await asyncio.sleep(0)
        yield i * 10
    print("agen finished")

async def echo():
    v = None
    while True:
        v = yield v
        if v == "stop":
            return

async def main():
    print([v async for v in agen(3)])
    print({v: v async for v in agen(2) if v})
    print([v for v in range(2)], [await asyncio.sleep(0, result=i) for i in range(2)])
    g = agen(5)
    print(await g.__anext__(), await anext(g))
    await g.aclose()
    e = echo()
    print(await e.asend(None), await e.asend(1), await e.asend("x"))
    try:
        await e.asend("stop")
    except StopAsyncIteration:
        print("echo stopped")
    gen = (x async for x in agen(2))
    print(type(gen).__name__, [x async for x in gen])
    print(type(agen(1)).__name__)

asyncio.run(main())
