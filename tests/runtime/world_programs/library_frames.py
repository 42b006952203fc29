"""Walk the stack from callbacks that pure-Python library code calls: every frame is a pvm frame."""

import contextlib
import dataclasses
import heapq
import os
import sys
import threading
import unittest

PROGRAM_FRAME = type(sys._getframe())


def show(tag):
    rows = []
    f = sys._getframe(1)
    while f is not None:
        name = os.path.basename(f.f_code.co_filename)
        rows.append(f"{f.f_code.co_name}:{name}:{type(f) is PROGRAM_FRAME}")
        f = f.f_back
    print(tag, "<-", " < ".join(rows))


def key(x):
    show("heapq.merge key")
    return x


print(list(heapq.merge([1], [2], key=key)))

t = threading.Thread(target=show, args=("thread target",))
t.start()
t.join()


@contextlib.contextmanager
def managed():
    show("contextmanager body")
    yield


with managed():
    pass


@dataclasses.dataclass
class Point:
    x: int

    def __post_init__(self):
        show("dataclass __post_init__")


Point(1)


class Case(unittest.TestCase):
    def test_it(self):
        show("unittest method")


unittest.TextTestRunner(stream=open(os.devnull, "w")).run(
    unittest.defaultTestLoader.loadTestsFromTestCase(Case)
)
