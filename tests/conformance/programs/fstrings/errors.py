def t(fn):
    try:
        print(fn())
    except Exception as e:
        print(type(e).__name__, e)

t(lambda: f"{undefined_thing}")
t(lambda: f"{1:{'bad spec'}}")
t(lambda: f"{None:d}")
class R:
    def __repr__(self):
        raise RuntimeError("repr failed")
t(lambda: f"{R()!r}")
t(lambda: f"{R()}")
t(lambda: f"{3.5:x}")
val = 7
t(lambda: f"{val!r:>{val}}")
