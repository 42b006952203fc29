class Proxy:
    def __init__(self, target):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "log", [])
    def __getattr__(self, name):
        self.log.append(("get", name))
        return getattr(self._target, name)
    def __setattr__(self, name, value):
        self.log.append(("set", name))
        setattr(self._target, name, value)
    def __delattr__(self, name):
        self.log.append(("del", name))
        delattr(self._target, name)

class T:
    pass
t = T()
p = Proxy(t)
p.x = 5
print(p.x, t.x)
del p.x
print(hasattr(t, "x"), p.log)

class GA:
    def __getattribute__(self, name):
        if name == "magic":
            return 42
        return object.__getattribute__(self, name)
    def __dir__(self):
        return ["b", "a"]
g = GA()
g.real = 1
print(g.magic, g.real, dir(g))

class Ctx:
    def __enter__(self):
        return "entered"
    def __exit__(self, *a):
        print("exit", a[0])
        return False
with Ctx() as v:
    print(v)
class Fmt:
    def __format__(self, spec):
        return "<" + spec + ">"
    def __str__(self):
        return "str!"
    def __repr__(self):
        return "repr!"
print(f"{Fmt():abc}", str(Fmt()), repr(Fmt()), f"{Fmt()!r}", f"{Fmt()!s}", format(Fmt(), "x"))
class Idx:
    def __index__(self):
        return 2
print([10, 20, 30][Idx()], bin(Idx()), range(10)[Idx()])
class N:
    def __int__(self): return 7
    def __float__(self): return 1.5
    def __round__(self, n=None): return "rounded"
print(int(N()), float(N()), round(N()))
