import sys
def walk(n):
    if n:
        for x in walk(n - 1):
            yield x
    yield n
print(sum(walk(300)))
def raiser():
    yield 1
    raise KeyError("from gen")
try:
    for v in raiser():
        print("got", v)
except KeyError as e:
    print("caught", e)
def stopper():
    yield 1
    raise StopIteration("bad")
try:
    for v in stopper():
        pass
except RuntimeError as e:
    print(type(e).__name__, e, type(e.__cause__).__name__, e.__cause__)
def fin():
    try:
        yield 1
        yield 2
    finally:
        print("fin closed")
for v in fin():
    print("v", v)
    break
print("after break")
def ctx():
    try:
        raise ValueError("inner")
    except ValueError:
        yield sys.exc_info()[0].__name__
        yield sys.exc_info()[0].__name__
    yield sys.exc_info()[0]
try:
    raise TypeError
except TypeError:
    print([x for x in ctx()])
    print(list(ctx()))
def me():
    yield g.gi_running
    yield g.gi_frame.f_lineno
g = me()
print([x for x in g], g.gi_frame, g.gi_running)
def outer():
    for a in "ab":
        for b in gen2():
            yield a + b
def gen2():
    yield from ["1", "2"]
    return "r"
print(list(outer()))
def infinite():
    i = 0
    while True:
        yield i
        i += 1
for i in infinite():
    if i > 5:
        break
print(i)
def uses_send():
    x = yield 1
    yield x
it = uses_send()
for v in it:
    print("sendless", v)
def nested_try():
    for i in range(3):
        try:
            if i == 1:
                raise ValueError(i)
            yield i
        except ValueError as e:
            yield f"handled {e}"
print(list(nested_try()))
sys.setrecursionlimit(200)
def deep(n):
    yield from ()
    for x in deep(n + 1):
        yield x
try:
    for _ in deep(0):
        pass
except RecursionError as e:
    print("RecursionError", e)
def tb_gen():
    yield 1
    1 / 0
def use_tb():
    for x in tb_gen():
        pass
use_tb()
