import asyncio
import contextvars

request_id = contextvars.ContextVar("request_id", default="none")

async def handler(i):
    request_id.set(f"req-{i}")
    await asyncio.sleep(0)
    return request_id.get()

async def cancel_me(started):
    started.set()
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("cancelled cleanly")
        raise

async def main():
    print(await asyncio.gather(*(handler(i) for i in range(3))), request_id.get())
    started = asyncio.Event()
    t = asyncio.create_task(cancel_me(started))
    await started.wait()
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("task cancelled:", t.cancelled())
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_soon(fut.set_result, "callback result")
    print(await fut)
    r = await loop.run_in_executor(None, sum, [1, 2, 3])
    print("executor", r)
    done, pending = await asyncio.wait([asyncio.create_task(handler(9))])
    print(len(done), len(pending), done.pop().result())
    async def ticker():
        for i in range(3):
            yield i
            await asyncio.sleep(0)
    print([i async for i in ticker()])
    print(await asyncio.shield(handler(7)))

asyncio.run(main())
