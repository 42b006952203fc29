x = 1
def f():
    global x
    x += 1
    return x
print(f(), f(), x)

def g():
    global newname
    newname = "made"
g()
print(newname)

def h():
    a = 1
    def i():
        nonlocal a
        a = 2
        def j():
            nonlocal a
            a = 3
        j()
    i()
    return a
print(h())

def shadow():
    x = "local"
    def inner():
        return x
    return inner()
print(shadow(), x)

def local_before_assign():
    try:
        print(x)
        x = 5
    except UnboundLocalError as e:
        print(type(e).__name__, e)
local_before_assign()
