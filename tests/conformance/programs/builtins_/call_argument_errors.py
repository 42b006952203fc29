"""Builtins' argument errors as the C builtins word them: print's keywords, input's
arguments, compile's integers taken by __index__."""


class BadStr(str):
    def __eq__(self, other):
        return True

    def __hash__(self):
        return str.__hash__(self)


def attempt(f, *args, **kwargs):
    try:
        f(*args, **kwargs)
        print("no error")
    except TypeError as e:
        print("TypeError:", e)


attempt(print, 0, sep=1, end=2, file=3, flush=4, foo=5)
try:
    print(0, 1, **{BadStr("foo"): ","})
except TypeError as e:
    print("TypeError:", e)
print("a", "b", sep=BadStr("-"), end=BadStr("!\n"))
attempt(input, 1, 2)
attempt(input, prompt="x")


class Index:
    def __index__(self):
        return 0


print(type(compile("pass", "", "exec", Index(), optimize=Index())).__name__)
attempt(compile, "pass", "", "exec", "x")
