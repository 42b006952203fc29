def counter():
    n = 0
    def inc():
        nonlocal n
        n += 1
        return n
    return inc
c = counter()
c(); c()
print(c(), c.__closure__[0].cell_contents)
def outer(x):
    def mid():
        def inner():
            return x
        return inner
    return mid()()
print(outer(7))
G = 1
def setg():
    global G
    G = 2
setg(); print(G)
def late():
    fs = [lambda: i for i in range(3)]
    return [f() for f in fs]
print(late())
def unb():
    print(y)
    y = 1
try:
    unb()
except UnboundLocalError as e:
    print("UnboundLocalError", e)
def free():
    def g():
        return z
    try:
        g()
    except NameError as e:
        print("NameError", e)
    z = 1
free()
