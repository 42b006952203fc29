import sys
def g():
    try:
        yield
    except Exception:
        print("in gen", sys.exc_info()[0].__name__)
        yield
    print("after", sys.exc_info())
it = g(); next(it)
try:
    raise KeyError
except KeyError:
    it.throw(ValueError)
    print("outer", sys.exc_info()[0].__name__)
try:
    next(it)
except StopIteration:
    print("stop")
def ctx():
    try:
        raise IndexError
    except IndexError:
        yield sys.exc_info()[0].__name__
        yield sys.exc_info()[0].__name__
c = ctx()
print(next(c), sys.exc_info(), next(c))
def fromiter():
    yield from [1, 2]
    yield from (x for x in 'ab')
    return (yield from range(2))
print(list(fromiter()))
def inner():
    x = yield 1
    print('inner got', x)
    return 'I'
def outer():
    r = yield from inner()
    print('outer got', r)
o = outer(); next(o)
try:
    o.send('S')
except StopIteration:
    print('done')
def closing_inner():
    try:
        yield 1
    finally:
        print('inner closed')
def closing_outer():
    yield from closing_inner()
co = closing_outer(); next(co); co.close()
def gen_ret():
    return 5
    yield
try:
    next(gen_ret())
except StopIteration as e:
    print(e.value, e.args)
gi = gen_ret()
print(gi.__name__, gi.__qualname__, gi.gi_code.co_name, type(gi).__name__)
def throws_back():
    while True:
        try:
            yield
        except ValueError:
            print("VE")
t = throws_back(); next(t); t.throw(ValueError); t.throw(ValueError("x"))
try:
    t.throw(TypeError, TypeError("y"), None)
except TypeError as e:
    print("TE", e)
def infinite():
    n = 0
    while True:
        yield n
        n += 1
import itertools
print(list(itertools.takewhile(lambda v: v < 4, infinite())))
print(next(iter(infinite())), max(zip(infinite(), 'xyz')))
