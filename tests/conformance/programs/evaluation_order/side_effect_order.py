log = []
def t(tag, value=None):
    log.append(tag)
    return tag if value is None else value

d = {t("k1"): t("v1"), t("k2"): t("v2"), **{t("k3"): t("v3")}}
print(log); log.clear()
def f(*a, **k):
    return a, k
f(t("a"), *[t("b")], c=t("c"), **{t("d"): t("e")})
print(log); log.clear()
x = [0, 0, 0]
i = 0
x[t("i", 1)] = i = t("val", 2)
print(log, x, i); log.clear()
def g(a=t("default1"), b=t("default2")):
    pass
print(log); log.clear()
t("obj", type("O", (), {}))().__class__
res = t("left", 1) if t("cond", True) else t("right", 2)
print(log); log.clear()
a, b = t("ta", 1), t("tb", 2)
[c, d2] = t("list", [3, 4])
print(log); log.clear()
print(t("x", 1) + t("y", 2) * t("z", 3), log); log.clear()
s = t("s1", "a") < t("s2", "b") < t("s3", "c")
print(log); log.clear()
lst = [t("l1"), *t("l2", [1]), t("l3")]
print(log); log.clear()
t("target", {})[t("key", "k")] = t("value", 1)
print(log); log.clear()
r = t("o", [1, 2, 3])[t("lo", 0):t("hi", 2)]
print(log, r); log.clear()
with open(__file__) as fh, t("second_cm", open(__file__)) as fh2:
    pass
print(log); log.clear()
print(f"{t('f1')}{t('f2')!r:>{t('w', 5)}}", log); log.clear()
assert t("assert_cond", True), t("assert_msg")
print(log); log.clear()
del t("del_target", {"k": 1})[t("del_key", "k")]
print(log)
