import inspect

def g():
    yield 1
    yield 2

it = g()
print(inspect.getgeneratorstate(it))
next(it)
print(inspect.getgeneratorstate(it))
list(it)
print(inspect.getgeneratorstate(it))

def raises_stop():
    yield 1
    raise StopIteration("x")
try:
    list(raises_stop())
except RuntimeError as e:
    print(type(e).__name__, e, type(e.__cause__).__name__)

def running():
    yield me.gi_running
me = running()
print(next(me))

def self_next():
    yield next(sn)
sn = self_next()
try:
    next(sn)
except ValueError as e:
    print(e)

def count():
    n = 0
    while True:
        yield n
        n += 1
import itertools
print(list(itertools.islice(count(), 5)))
print(it.__name__, it.__qualname__, iter(it) is it)
def fin():
    try:
        yield 1
        yield 2
    finally:
        print("finally ran")
f = fin()
next(f)
del f
print("after del")
