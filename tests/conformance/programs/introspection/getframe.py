import sys, inspect

def where():
    f = sys._getframe()
    return f.f_code.co_name, f.f_lineno, f.f_back.f_code.co_name

def caller():
    return where()
print(caller())
def depth():
    f = sys._getframe()
    n = 0
    while f is not None:
        n += 1
        f = f.f_back
    return n
print(depth(), (lambda: depth())())
def caller_locals():
    return sys._getframe(1).f_locals["secret"]
def holder():
    secret = "found"
    return caller_locals()
print(holder())
print(sys._getframe().f_globals is globals(), sys._getframe().f_code.co_name)
def stack_names():
    return [fi.function for fi in inspect.stack()]
def a():
    return stack_names()
print(a())
print(inspect.currentframe().f_code.co_filename == __file__)
try:
    sys._getframe(1000)
except ValueError as e:
    print(e)
def gen():
    yield sys._getframe().f_code.co_name
print(next(gen()))
