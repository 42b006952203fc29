log = []
class Box:
    def __init__(self):
        self._v = 1
    @property
    def v(self):
        log.append("get v")
        return self._v
    @v.setter
    def v(self, val):
        log.append(f"set v {val}")
        self._v = val

def obj():
    log.append("obj")
    return b
b = Box()
obj().v += 5
print(log, b.v)
log.clear()
class Cont:
    def __init__(self):
        self.d = {}
    def __getitem__(self, k):
        log.append(f"getitem {k}")
        return self.d.get(k, 0)
    def __setitem__(self, k, v):
        log.append(f"setitem {k} {v}")
        self.d[k] = v
def key():
    log.append("key")
    return "k"
c = Cont()
c[key()] += 2
print(log)
class Inplace:
    def __init__(self):
        self.n = 0
    def __iadd__(self, o):
        self.n += o
        return self
    def __isub__(self, o):
        return NotImplemented
    def __sub__(self, o):
        return "fallback sub"
i = Inplace()
i += 4
print(i.n)
i -= 1
print(i)
try:
    z = None
    z += 1
except TypeError as e:
    print(e)
try:
    undefined_aug += 1
except NameError as e:
    print(e)
