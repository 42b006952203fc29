# The order of iteration, unpacking and assignment in loops, comprehensions and with.
log = []
class Tracked:
    def __init__(self, items):
        self.items = items
    def __iter__(self):
        log.append("iter")
        for i in self.items:
            log.append(("next", i))
            yield i
class Target:
    def __setattr__(self, name, value):
        log.append(("setattr", name, value))
        object.__setattr__(self, name, value)
o = Target()
for o.a, o.b in Tracked([(1, 2), (3, 4)]):
    log.append("body")
print(log); log.clear()
o.x, (o.y, o.z) = 1, (2, 3)
print(log); log.clear()
first, *rest = Tracked([1, 2, 3])
print(first, rest, log); log.clear()
print({k: v for k, v in Tracked([("a", 1)])}, log); log.clear()
print(sum(Tracked([1, 2])), log); log.clear()
print(list(zip(Tracked("ab"), Tracked("xy"))), log)
