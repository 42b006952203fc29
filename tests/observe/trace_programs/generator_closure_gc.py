"""A generator paused at yield, a closure's cell, and a cycle freed by gc.collect()."""

import gc


def countdown(n):
    while n > 0:
        yield n
        n -= 1


def make_counter():
    count = 0

    def bump():
        nonlocal count
        count += 1
        return count

    return bump


class Node:
    def __init__(self, name):
        self.name = name
        self.other = None


gen = countdown(3)
first = next(gen)
counter = make_counter()
counter()
a = Node("a")
b = Node("b")
a.other = b
b.other = a
del a, b
found = gc.collect()
print(first, counter(), found > 0)
