import asyncio
async def worker(name, q, out):
    while True:
        item = await q.get()
        if item is None:
            q.task_done()
            break
        out.append((name, item * 2))
        q.task_done()
async def cancel_me():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("cancelled inside")
        raise
    finally:
        print("cleanup")
async def agen():
    try:
        for i in range(10):
            yield i
            await asyncio.sleep(0)
    finally:
        print("agen finally")
async def slow():
    await asyncio.sleep(5)
async def main():
    q = asyncio.Queue()
    out = []
    ws = [asyncio.create_task(worker(f"w{i}", q, out)) for i in range(2)]
    for i in range(5):
        await q.put(i)
    for _ in ws:
        await q.put(None)
    await q.join()
    await asyncio.gather(*ws)
    print(sorted(x for _, x in out))
    t = asyncio.create_task(cancel_me())
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("task cancelled", t.cancelled())
    async for v in agen():
        if v == 2:
            break
    try:
        await asyncio.wait_for(slow(), timeout=0.01)
    except asyncio.TimeoutError:
        print("timeout")
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(asyncio.sleep(0, result=1))
        b = tg.create_task(asyncio.sleep(0, result=2))
    print(a.result() + b.result())
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(asyncio.sleep(0))
            async def bad():
                raise ValueError("tg")
            tg.create_task(bad())
    except* ValueError as eg:
        print("eg", [str(e) for e in eg.exceptions])
    r = [x async for x in agen() if x % 2]
    print(r)
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_soon(fut.set_result, 7)
    print(await fut)
    print(await asyncio.to_thread(lambda: 5))
asyncio.run(main())
print(asyncio.iscoroutinefunction(main), asyncio.iscoroutine(main()))
