"""Reference counting made visible: try `pvm memory --refs examples/memory_refs.py`."""


class Resource:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("freeing", self.name)


a = []
b = a
c = [a, a]
del b
del c
del a

r = Resource("r")
alias = r
del r
print("r is gone, alias still holds it")
del alias
print("done")
