"""cr_origin under sys.set_coroutine_origin_tracking_depth, the never-awaited warning that
shows it, and frame.clear() of a coroutine's, async generator's and generator's frame."""

import sys
import warnings


async def f():
    pass


def make():
    return f()


def show(origin):
    return None if origin is None else [(line, name) for _file, line, name in origin]


print(sys.get_coroutine_origin_tracking_depth())
c = make()
print(show(c.cr_origin))
c.close()
sys.set_coroutine_origin_tracking_depth(2)
c = make()
print(sys.get_coroutine_origin_tracking_depth(), show(c.cr_origin))
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    del c
print([str(x.message).replace(__file__, "FILE") for x in w])
try:
    sys.set_coroutine_origin_tracking_depth(-1)
except ValueError as e:
    print("ValueError", e)
sys.set_coroutine_origin_tracking_depth(0)

c = f()
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    c.cr_frame.clear()
print([str(x.message) for x in w])
c.close()


async def ag():
    try:
        yield 1
    finally:
        print("async generator finally")


g = ag()
try:
    g.asend(None).send(None)
except StopIteration as e:
    print("yielded", e.value)
g.ag_frame.clear()
print(g.ag_frame)


def gen():
    try:
        yield 1
    finally:
        print("generator finally")


x = gen()
next(x)
x.gi_frame.clear()
print(x.gi_frame)
