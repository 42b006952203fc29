import asyncio
import contextlib

@contextlib.asynccontextmanager
async def session(name):
    print("open", name)
    try:
        yield name.upper()
    finally:
        print("close", name)

async def job(n):
    await asyncio.sleep(0)
    if n == 2:
        raise ValueError(f"job {n} failed")
    return n * 10

async def agen():
    try:
        yield 1
        yield 2
    finally:
        print("agen cleanup")

async def main():
    async with session("db") as s:
        print("using", s)
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(job(i)) for i in (0, 1, 3)]
    print([t.result() for t in tasks])
    try:
        async with asyncio.TaskGroup() as tg:
            for i in range(4):
                tg.create_task(job(i))
    except* ValueError as eg:
        print("task group failed:", [str(e) for e in eg.exceptions])
    try:
        async with asyncio.timeout(0.01):
            await asyncio.sleep(5)
    except TimeoutError:
        print("timed out")
    g = agen()
    print(await g.asend(None))
    try:
        await g.athrow(KeyError("thrown in"))
    except KeyError as e:
        print("athrow propagated", e)
    sem = asyncio.Semaphore(2)
    order = []
    async def limited(i):
        async with sem:
            order.append(i)
            await asyncio.sleep(0)
    await asyncio.gather(*(limited(i) for i in range(5)))
    print(sorted(order))
    async with contextlib.AsyncExitStack() as stack:
        v = await stack.enter_async_context(session("cache"))
        print("stacked", v)

asyncio.run(main())
