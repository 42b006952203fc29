"""Globals that are a dict subclass: LOAD_GLOBAL asks its __missing__ for names it lacks."""


class MyGlobals(dict):
    def __missing__(self, key):
        if key.startswith("_number_"):
            return int(key.removeprefix("_number_"))
        raise KeyError(key)


code = "lambda: " + "+".join(f"_number_{i}" for i in range(50))
sum_50 = eval(code, MyGlobals())
print(sum_50(), sum(range(50)))
print(eval("len('abc')", MyGlobals()))
try:
    eval("(lambda: undefined_name)()", MyGlobals())
except NameError as e:
    print("NameError", e)
