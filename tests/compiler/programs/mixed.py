# ruff: noqa
import asyncio


class AIt:
    def __init__(self, n):
        self.i, self.n = 0, n

    def __aiter__(self):
        return self

    async def __anext__(self):
        self.i += 1
        if self.i > self.n:
            raise StopAsyncIteration
        return self.i


class ACM:
    async def __aenter__(self):
        print("aenter")
        return 1

    async def __aexit__(self, *a):
        print("aexit", a[0])
        return False


async def f():
    async for i in AIt(5):
        try:
            async with ACM():
                if i == 2:
                    continue
                if i == 4:
                    return i
        finally:
            print("finally", i)


async def g():
    try:
        async for i in AIt(3):
            if i == 2:
                break
    finally:
        print("g finally")
    return [j async for j in AIt(3) if j != 2]


print(asyncio.run(f()), asyncio.run(g()))


def h():
    try:
        raise ExceptionGroup("x", [ValueError(1)])
    except* ValueError:
        print("v")
    else:
        print("no")
    finally:
        print("fin")
    try:
        pass
    except* ValueError:
        print("v")
    else:
        print("else ran")
    finally:
        print("fin2")


h()


def m(cmds):
    out = []
    for c in cmds:
        match c.split():
            case ["skip", *_]:
                continue
            case ["stop"]:
                break
            case [("go" | "run") as verb, target] if target.isdigit():
                out.append((verb, int(target)))
            case [verb, *args]:
                out.append((verb, args))
    return out


print(m(["go 1", "run x", "skip me", "jump a b", "stop", "go 2"]))
width, prec, val = 10, 3, 3.14159
print(f"{val:{width}.{prec}f}|{val!r:>{width}}|{'nested {}'.format(f'{width}')}")


class K:
    base = 2
    f = lambda base=base: base * 2
    global GG
    GG = "global from class"


def outer():
    v = 1

    class In:
        def get(self):
            nonlocal v
            v += 1
            return v

    return In().get()


print(K.f(), GG, outer())
a = {(1, 2): "t"}
b = [1, 2]
print(a[*b,] if False else a[tuple(b)])
xs = [1, 2, 3]
del (xs[0]), [xs[0]]
print(xs)
print(*[1, 2], sep="-", end="!\n")


def kwo(a, *, b=a if False else 5, c):
    return a, b, c


print(kwo(1, c=3))
print([y for x in [[1, 2], [3]] for y in x if (z := y) > 1], z)
total = 0


def gen_ret():
    x = yield 1
    return x * 2


def driver():
    r = yield from gen_ret()
    yield r


d = driver()
next(d)
print(d.send(21))
print({**{"a": 1}, "b": 2, **{"c": 3}}, {*[1], *(2,)}, [*range(2), *[9]])
i = 0
while i < 3:
    i += 1
    if i == 2:
        continue
else:
    print("while else", i)
