log = []
def t(tag, value=None):
    log.append(tag)
    return tag if value is None else value

class Meta(type):
    @classmethod
    def __prepare__(mcls, name, bases, **kw):
        log.append(("prepare", sorted(kw)))
        return {}
def deco(tag):
    log.append(("deco made", tag))
    def apply(c):
        log.append(("deco applied", tag))
        return c
    return apply

@deco(t("d1"))
@deco(t("d2"))
class K(t("base", object), metaclass=t("meta", Meta), z=t("kw_z"), a=t("kw_a")):
    log.append("body")
    attr = t("attr")
print(log); log.clear()

def gen():
    log.append("gen start")
    yield t("y1")
    log.append("after y1")
g = gen()
log.append("created")
next(g)
print(log); log.clear()
x = t("or1", 0) or t("or2", 0) or t("or3", 3)
y = t("and1", 1) and t("and2", 0) and t("and3", 3)
print(x, y, log); log.clear()
print([t(i) for i in range(2) if t(("cond", i), True)], log); log.clear()
lam = lambda a=t("lamdef"): a
print(log); log.clear()
try:
    t("try")
    raise t("exc", ValueError("v"))
except t("except_expr", ValueError):
    t("handler")
finally:
    t("finally")
print(log); log.clear()
match t("subject", {"k": 1}):
    case {"k": v} if t("guard", True):
        t(("matched", v))
print(log); log.clear()
n = 0
while t(("check", n), n < 2):
    n += 1
print(log)
