def outer():
    x = 1
    class C:
        y = x
        x = 2
        def m(self):
            return x
        z = [x for _ in range(2)]
    return C
C = outer()
print(C.y, C.x, C().m(), C.z)
x = 'g'
class D:
    x = 'class'
    l = [x for _ in range(1)]
    def f():
        return x
print(D.l, D.f())
def gen_scope():
    return [(lambda: i)() for i in range(3)]
print(gen_scope())
def kw(*, a, b=2):
    return a, b
print(kw(a=1))
try:
    kw(1)
except TypeError as e:
    print(e)
def many(a, b, c):
    pass
for args in [(1,), (1, 2, 3, 4)]:
    try:
        many(*args)
    except TypeError as e:
        print(e)
try:
    many(1, 2, 3, d=4)
except TypeError as e:
    print(e)
try:
    many(1, 2, a=3)
except TypeError as e:
    print(e)
try:
    print(**{'sep': 1}, **{'sep': 2})
except TypeError as e:
    print(e)
try:
    many(*1)
except TypeError as e:
    print(e)
try:
    many(**[])
except TypeError as e:
    print(e)
class M:
    def meth(self, a): return a
try:
    M().meth()
except TypeError as e:
    print(e)
try:
    M.meth(1, 2, 3)
except TypeError as e:
    print(e)
l = lambda q, *r, **s: (q, r, s)
print(l(1, 2, z=3), l.__name__, l.__qualname__)
def annotated(a: int, b: 'str' = 'x') -> list: pass
print(annotated.__annotations__)
def defaults(a, b=[]):
    b.append(a)
    return b
print(defaults(1), defaults(2), defaults.__defaults__)
import functools
def dec(f):
    @functools.wraps(f)
    def w(*a):
        return f(*a)
    return w
@dec
def named():
    "docstring"
print(named.__name__, named.__doc__, named.__wrapped__.__name__)
@functools.singledispatch
def sd(x): return 'any'
@sd.register
def _(x: int): return 'int'
print(sd(1), sd('s'))
import pickle
def picklable(): return 1
print(pickle.loads(pickle.dumps(picklable)) is picklable)
import inspect
print(inspect.signature(kw))
