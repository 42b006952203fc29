import sys, gc, traceback, warnings
def f():
    return sys._getframe().f_back.f_lineno
x = f()
print(x)
try:
    1/0
except ZeroDivisionError as e:
    print(traceback.format_exc().splitlines()[-1])
    print(len(traceback.extract_tb(e.__traceback__)))
    print(traceback.format_exception(e)[-1].strip())
warnings.warn("careful")
def g():
    warnings.warn("in g", DeprecationWarning, stacklevel=2)
warnings.simplefilter("always")
g()
print(sys.getrefcount(object()) > 0)
class A: pass
print(gc.is_tracked(A()))
print(__builtins__.__name__ if hasattr(__builtins__, "__name__") else type(__builtins__).__name__)
import builtins
print(builtins.__dict__ is vars(builtins), type(print).__name__)
print(repr(f).startswith("<function f at "))
print(f.__code__.co_positions is not None)
print(sys.argv[1:])
print(help.__class__.__name__)
