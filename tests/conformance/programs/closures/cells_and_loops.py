def make():
    fs = []
    for i in range(3):
        def f():
            return i
        fs.append(f)
    return fs
print([f() for f in make()])

def make2():
    fs = []
    for i in range(3):
        def f(i=i):
            return i
        fs.append(f)
    return fs
print([f() for f in make2()])

def arg_cell(x):
    def get():
        return x
    x += 1
    return get
print(arg_cell(10)())

def unbound():
    def inner():
        return val
    try:
        inner()
    except NameError as e:
        print(type(e).__name__, e)
    val = 3
    return inner()
print(unbound())

def deleted():
    x = 1
    def g():
        return x
    del x
    try:
        g()
    except NameError as e:
        print(e)
deleted()
