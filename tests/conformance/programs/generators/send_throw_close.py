def echo():
    print("start")
    received = None
    try:
        while True:
            try:
                received = yield received
                print("got", received)
            except ValueError as e:
                print("caught", e)
                received = "recovered"
    finally:
        print("cleanup")

g = echo()
print(next(g))
print(g.send(1))
print(g.send("two"))
print(g.throw(ValueError("bad")))
g.close()
print("closed")
try:
    next(g)
except StopIteration:
    print("StopIteration after close")

def stubborn():
    try:
        yield 1
    except GeneratorExit:
        yield 2
s = stubborn()
next(s)
try:
    s.close()
except RuntimeError as e:
    print(e)

def gen():
    yield 1
g2 = gen()
try:
    g2.send(5)
except TypeError as e:
    print(e)
try:
    g2.throw(KeyError, "k")
except KeyError as e:
    print("KeyError", e)
print(list(g2))
