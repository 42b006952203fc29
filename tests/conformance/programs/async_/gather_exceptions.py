import asyncio

async def fail(n):
    await asyncio.sleep(0)
    raise ValueError(f"fail {n}")

async def ok(n):
    await asyncio.sleep(0)
    return n

async def main():
    res = await asyncio.gather(ok(1), fail(2), ok(3), return_exceptions=True)
    print([type(r).__name__ for r in res], str(res[1]))
    try:
        await asyncio.gather(ok(1), fail(7))
    except ValueError as e:
        print("caught", e)
    try:
        await asyncio.wait_for(asyncio.sleep(10), timeout=0.01)
    except asyncio.TimeoutError:
        print("timeout")
    q = asyncio.Queue()
    async def producer():
        for i in range(3):
            await q.put(i)
        await q.put(None)
    async def consumer():
        out = []
        while (item := await q.get()) is not None:
            out.append(item)
        return out
    _, got = await asyncio.gather(producer(), consumer())
    print(got)
    lock = asyncio.Lock()
    async with lock:
        print("locked", lock.locked())
    ev = asyncio.Event()
    async def setter():
        ev.set()
    await asyncio.gather(setter(), ev.wait())
    print("event", ev.is_set())

asyncio.run(main())
