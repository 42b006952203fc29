# ruff: noqa: F811, F821
"""A function revived by a finalizer after the collector cleared its cycle still has a repr."""

import gc
import weakref


class LateFin:
    __slots__ = ("ref",)

    def __del__(self):
        global func
        func = self.ref()


class Cyclic(tuple):
    __slots__ = ()

    def __del__(self):
        self[1].ref = weakref.ref(self[0])
        global latefin
        del latefin


latefin = LateFin()


def func():
    pass


cyc = tuple.__new__(Cyclic, (func, latefin))
func.__module__ = cyc
del func, cyc
gc.collect()
print(repr(func).split(" at ")[0])
