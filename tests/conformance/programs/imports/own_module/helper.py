"""A helper module."""
print("helper imported as", __name__)
CONSTANT = 99
_count = 0

def greet(who):
    return f"hello {who}"

def counter():
    global _count
    _count += 1
    return _count

class Thing:
    def describe(self):
        return f"{type(self).__module__}.{type(self).__qualname__}"
