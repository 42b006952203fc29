import sys
g_var = 1
print(sorted(k for k in globals() if not k.startswith("__")))
print(globals()["g_var"], "g_var" in dir())
def f(a, b=2):
    c = a + b
    loc = locals()
    return sorted(loc.items())
print(f(1))
def closure():
    x = 1
    def inner():
        y = x
        return sorted(locals())
    return inner()
print(closure())
class C:
    def __init__(self):
        self.p = 1
        self.q = 2
    def m(self): pass
print(sorted(vars(C()).items()), "m" in vars(C), "m" in dir(C()))
print([n for n in dir() if not n.startswith("_")])
def d():
    zz = 1
    return dir()
print(d())
try:
    vars(5)
except TypeError as e:
    print(e)
globals()["dyn"] = "made dynamically"
print(dyn)
class K:
    a = 1
    print(sorted(k for k in locals() if not k.startswith("__")))
print(sorted(vars(sys.modules[__name__]))[:3])
