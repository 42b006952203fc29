print("b starting")
import a
partial_seen = hasattr(a, "NAME")
NAME = "B"
def from_a():
    return "b sees " + a.NAME
print("b done")
