eg = ExceptionGroup("top", [ValueError("a"), ExceptionGroup("sub", [TypeError("b"), ValueError("c")])])
print(repr(eg))
print(str(eg))
match, rest = eg.split(ValueError)
print(repr(match))
print(repr(rest))
print(repr(eg.subgroup(lambda e: isinstance(e, TypeError))))
print(eg.subgroup(KeyError))
beg = BaseExceptionGroup("b", [KeyboardInterrupt()])
print(type(beg).__name__, repr(beg))
mixed = BaseExceptionGroup("m", [ValueError()])
print(type(mixed).__name__)
try:
    ExceptionGroup("x", [])
except ValueError as e:
    print(e)
try:
    ExceptionGroup("x", [KeyboardInterrupt()])
except TypeError as e:
    print(e)
class MyEG(ExceptionGroup):
    def derive(self, excs):
        return MyEG(self.message + "!", excs)
m, r = MyEG("mine", [ValueError(), KeyError()]).split(ValueError)
print(type(m).__name__, m.message, r.message)
