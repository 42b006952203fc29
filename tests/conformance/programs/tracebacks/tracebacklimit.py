"""sys.tracebacklimit, set by the program, limits the uncaught exception's report."""

import sys


def f1():
    return 1 / 0


def f2():
    f1()


sys.tracebacklimit = 2
f2()
