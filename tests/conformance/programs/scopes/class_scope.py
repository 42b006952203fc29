x = "global"
class C:
    x = "class"
    y = x
    def m(self):
        return x
    z = [x for _ in range(1)]
    w = (lambda: x)()
print(C.y, C().m(), C.z, C.w)

def f():
    x = "func"
    class D:
        print(x)
        x = "classbody"
        print(x)
        def m(self):
            return x
    return D
print(f()().m())

def g():
    v = 1
    class E:
        nonlocal v
        v = 2
    return v
print(g())

class F:
    a = 1
    b = [a * i for i in range(3)] if False else None
    try:
        c = [a for i in range(2)]
    except NameError as e:
        c = str(e)
print(F.c)
