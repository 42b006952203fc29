def counter():
    count = 0
    def inc(step=1):
        nonlocal count
        count += step
        return count
    return inc

c1, c2 = counter(), counter()
print(c1(), c1(), c1(5), c2())
print(c1.__closure__[0].cell_contents)
print(counter.__code__.co_cellvars, c1.__code__.co_freevars)

def outer():
    x = 1
    def mid():
        def inner():
            return x
        return inner
    x = 2
    return mid()

print(outer()())

def shared():
    v = []
    def add(i):
        v.append(i)
    def get():
        return list(v)
    return add, get

a, g = shared()
a(1); a(2)
print(g())
