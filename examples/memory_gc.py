"""Garbage collection made visible: try `pvm memory --refs examples/memory_gc.py`."""

import gc
import weakref


class Node:
    def __init__(self, name):
        self.name = name
        self.peer = None

    def __del__(self):
        print("finalizing", self.name)


a = []
a.append(a)  # a list that contains itself
del a  # unreachable now, but its count is still 1: reference counting cannot free it

x = Node("x")
y = Node("y")
x.peer = y
y.peer = x
probe = weakref.ref(x)
del x, y  # the same for two objects that refer to each other
print("x alive before gc.collect():", probe() is not None)
gc.collect()  # the report names what this collection found and freed
print("x alive after gc.collect():", probe() is not None)
print("thresholds", gc.get_threshold())
