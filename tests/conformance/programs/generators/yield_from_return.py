def inner():
    x = yield 1
    print("inner got", x)
    y = yield 2
    print("inner got", y)
    return "inner-result"

def outer():
    r = yield from inner()
    print("outer got", r)
    yield from [10, 20]
    yield from range(2)
    return "outer-done"

g = outer()
print(next(g))
print(g.send("a"))
print(g.send("b"))
print(list(g))

def ret():
    yield 1
    return 99
gr = ret()
next(gr)
try:
    next(gr)
except StopIteration as e:
    print("value", e.value)

def delegating_throw():
    try:
        yield from inner()
    except ZeroDivisionError:
        yield "handled in outer"
d = delegating_throw()
next(d)
print(d.throw(ZeroDivisionError))

def chain(*its):
    for it in its:
        yield from it
print(list(chain("ab", [1], (2, 3))))
def gen_in_gen():
    def sub(n):
        for i in range(n):
            yield i
    for n in range(4):
        yield sum(sub(n))
print(list(gen_in_gen()))
