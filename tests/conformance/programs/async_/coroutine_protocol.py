import types

class Awaitable:
    def __await__(self):
        v = yield "suspended"
        return v * 2

async def use():
    r = await Awaitable()
    return r + 1

c = use()
print(c.send(None))
try:
    c.send(20)
except StopIteration as e:
    print("result", e.value)

@types.coroutine
def legacy():
    yield "legacy"
    return 5

async def uses_legacy():
    return await legacy()
c2 = uses_legacy()
print(c2.send(None))
try:
    c2.send(None)
except StopIteration as e:
    print(e.value)
async def nothing():
    pass
try:
    await_me = nothing()
    for x in await_me:
        pass
except TypeError as e:
    print(e)
await_me.close()
import inspect
print(inspect.iscoroutinefunction(nothing), inspect.iscoroutine(await_me))
