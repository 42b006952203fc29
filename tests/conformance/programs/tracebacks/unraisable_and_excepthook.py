"""sys.unraisablehook and sys.excepthook as C's: a traceback of the frame running, failures."""

import _testcapi
import sys


def report():
    _testcapi.write_unraisable_exc(ValueError(42), "in the test", "an object")


report()
try:
    sys.unraisablehook(ValueError(1))
except TypeError as e:
    print("TypeError:", e)


class FailingHook:
    def __call__(self, args):
        raise RuntimeError("hook failed")

    def __repr__(self):
        return "<failing hook>"


sys.unraisablehook = FailingHook()
_testcapi.write_unraisable_exc(ValueError(42), "custom hook fail", None)
sys.unraisablehook = sys.__unraisablehook__
sys.excepthook(1, "1", 1)
sys.excepthook(None, None, None)
print("done")
