# ruff: noqa
import traceback


def boom(*a, **k):
    raise ValueError("boom")


class O:
    def m(self, *a):
        return boom()


o = O()
d = {}
cases = [
    lambda: o.m(1, 2),
    lambda: boom(1, 2),
    lambda: d["missing"],
    lambda: 1 + "a",
    lambda: o.nope,
    lambda: [x for x in (1, 2) if x / 0],
    lambda: {"k": boom()}["k"],
    lambda: f"{boom()}",
    lambda: o.m(*[1], **{}),
    lambda: None.attr.chain,
    lambda: int("x") if True else 0,
    lambda: not boom(),
    lambda: -d["a"],
    lambda: 1 < boom() < 3,
    lambda: d.get("a")["b"],
]


def stmt_cases():
    for i in range(6):
        try:
            if i == 0:
                x = d["q"]
            elif i == 1:
                d["x"] += None
            elif i == 2:
                del d["zz"]
            elif i == 3:
                a, b = [1, 2, 3]
            elif i == 4:
                assert i == 5, "multi line msg"
            elif i == 5:
                with open("/nonexistent"):
                    pass
        except Exception:
            print(traceback.format_exc())


for c in cases:
    try:
        c()
    except Exception:
        print(traceback.format_exc())
stmt_cases()
