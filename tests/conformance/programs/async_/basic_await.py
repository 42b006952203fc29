import asyncio

async def add(a, b):
    await asyncio.sleep(0)
    return a + b

async def main():
    r = await add(1, 2)
    print("result", r)
    results = await asyncio.gather(add(1, 1), add(2, 2), add(3, 3))
    print(results)
    t = asyncio.create_task(add(10, 20))
    print(await t, t.done())
    return "main done"

print(asyncio.run(main()))

async def say_hello():
    print("Hello")
    await asyncio.sleep(0.01)
    print("World")
asyncio.run(say_hello())
coro = add(1, 2)
print(type(coro).__name__)
coro.close()
