print(__debug__)
if __debug__:
    print("debug branch")
else:
    print("optimized branch")
def f():
    return __debug__
print(f(), type(__debug__).__name__)
x = 0
if not __debug__:
    x = 1
print(x)
import sys
print(sys.flags.optimize)
