"""The seed's asyncio example: a coroutine prints, awaits a sleep, and prints again."""

import asyncio


async def say_hello():
    print("Hello")
    await asyncio.sleep(1)
    print("World")


asyncio.run(say_hello())
