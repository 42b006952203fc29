x = 1
del x
try:
    x
except NameError as e:
    print(e)
lst = [0, 1, 2, 3, 4, 5]
del lst[0], lst[-1]
print(lst)
del lst[1:3]
print(lst)
d = {"a": 1, "b": 2}
del d["a"]
print(d)
try:
    del d["zz"]
except KeyError as e:
    print("KeyError", e)
class A:
    pass
a = A()
a.attr = 1
del a.attr
try:
    del a.attr
except AttributeError as e:
    print(e)
def f():
    y = 2
    del y
    try:
        return y
    except UnboundLocalError as e:
        return str(e)
print(f())
p, q = 1, 2
del (p, q)
print("p" in globals(), "q" in globals())
[r, s] = 3, 4
del [r, s]
try:
    del undefined_for_del
except NameError as e:
    print(e)
def g():
    z = 1
    def h():
        return z
    del z
    return h
try:
    g()()
except NameError as e:
    print(e)
