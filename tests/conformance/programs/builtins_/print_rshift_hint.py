# ruff: noqa: F633
"""print >> stream: CPython's TypeError names the Python 2 habit.

A right operand's __rrshift__ still wins.
"""

import sys

try:
    print >> sys.stderr
except TypeError as e:
    print(e)
try:
    print >> 42
except TypeError as e:
    print(e)
try:
    max >> sys.stderr
except TypeError as e:
    print(e)


class R:
    def __rrshift__(self, other):
        return ("rr", other is print)


print(print >> R())


class N:
    def __rrshift__(self, other):
        return NotImplemented


try:
    print >> N()
except TypeError as e:
    print(e)
