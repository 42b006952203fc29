def a():
    x = "a"
    def b():
        y = "b"
        def c():
            z = "c"
            def d():
                nonlocal x
                x = x + "!"
                return x + y + z
            return d
        return c
    r = b()()()
    return r, x

print(a())

def gen_closure():
    total = 0
    def acc():
        nonlocal total
        while True:
            v = yield total
            total += v
    return acc

g = gen_closure()()
next(g)
print(g.send(1), g.send(2), g.send(3))

class Outer:
    def method(self):
        secret = 7
        class Inner:
            def peek(self):
                return secret
        return Inner().peek()

print(Outer().method())
