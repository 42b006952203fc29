# ruff: noqa: S102
"""Interactive-mode expression statements go through sys.displayhook, read from sys itself."""

import builtins
import sys

code = compile("6 * 7", "<string>", "single")
exec(code)
print(builtins._)


def shout(value):
    print("displayhook got", value)


sys.displayhook = shout
exec(code)
exec(compile("if 1:\n    'a'\n    'b'\n", "<string>", "single"))
del sys.displayhook
print(hasattr(sys, "displayhook"))
try:
    exec(code)
except RuntimeError as e:
    print("RuntimeError:", e)
sys.displayhook = sys.__displayhook__
exec(code)
