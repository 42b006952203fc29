def g():
    x = yield 1
    print("got", x)
    y = yield 2
    return x + y
it = g()
print(next(it), it.send(10))
try:
    it.send(5)
except StopIteration as e:
    print("ret", e.value)
def sub():
    yield 1
    yield 2
    return 'r'
def deleg():
    r = yield from sub()
    print("sub returned", r)
    yield 3
print(list(deleg()))
def thrower():
    try:
        yield 1
    except ValueError as e:
        yield 'caught ' + str(e)
t = thrower(); next(t)
print(t.throw(ValueError('v')))
def d2():
    yield from thrower()
t = d2(); next(t)
print(t.throw(ValueError('w')))
def stop():
    raise StopIteration
    yield
try:
    next(stop())
except RuntimeError as e:
    print("RuntimeError", e, type(e.__cause__).__name__)
def running():
    yield me.send(None)
me = running()
try:
    next(me)
except ValueError as e:
    print(e)
import itertools
print(list(itertools.islice(itertools.count(), 3)), list(zip(g(), 'ab')))
ge = (x * 2 for x in range(4))
print(ge.gi_running, list(ge))
def closer():
    try:
        yield 1
    finally:
        print('cleanup')
c = closer(); next(c); c.close()
def ign():
    while True:
        try:
            yield
        except GeneratorExit:
            pass
i = ign(); next(i)
try:
    i.close()
except RuntimeError as e:
    print(e)
