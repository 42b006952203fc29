import asyncio

async def inner():
    await asyncio.sleep(0)
    raise RuntimeError("deep failure")

async def main():
    await inner()

asyncio.run(main())
