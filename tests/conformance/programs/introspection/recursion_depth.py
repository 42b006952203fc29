"""_testinternalcapi.get_recursion_depth() (test.support's) counts the guest's frames."""

import sys

from test import support


def f():
    return support.get_recursion_depth()


def check():
    depth = support.get_recursion_depth()
    old = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(depth + 2)
        sys.setrecursionlimit(old)
        try:
            sys.setrecursionlimit(depth + 1)
        except RecursionError as e:
            msg = str(e)
    finally:
        sys.setrecursionlimit(old)
    print(msg)


print(support.get_recursion_depth(), f())
check()
