def f():
    "a docstring"
    return 1

f.custom = 42
print(f.custom, f.__dict__)
print(f.__module__, f.__name__)
f.__name__ = "renamed"
print(f.__name__)
print(callable(f), type(f).__name__)

class A:
    def m(self):
        return self
    print(m.__qualname__)

a = A()
print(a.m() is a)
bm = a.m
print(bm.__self__ is a, bm.__func__ is A.m)
print(A.m(a) is a)
print(f.__code__.co_name, f.__code__.co_filename.endswith("function_attrs.py"))
print(f.__globals__ is globals())
import inspect
def sig(a, b=1, *c, d, e=2, **f):
    pass
print(inspect.signature(sig))
print(inspect.isfunction(sig), inspect.isgeneratorfunction(sig))
