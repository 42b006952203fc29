# Uncaught exception inside a nested async task: asyncio frames appear in CPython's traceback.
import asyncio

async def leaf(n):
    await asyncio.sleep(0)
    return {"a": 1}[n]

async def branch():
    return await asyncio.gather(leaf("a"), leaf("b"))

asyncio.run(branch())
