"""sys.flags: a read-only struct sequence whose type makes no new instances."""

import sys

flags_type = type(sys.flags)
try:
    flags_type(sys.flags)
except TypeError as e:
    print("TypeError:", e)
try:
    flags_type.__new__(flags_type, sys.flags)
except TypeError:
    print("TypeError")
print(sys.flags.optimize, sys.flags[0] == sys.flags.debug, len(sys.flags) > 10)
try:
    sys.flags.optimize = 1
except AttributeError:
    print("AttributeError")
