print("a starting")
import b
def from_b():
    return "a sees " + b.NAME
NAME = "A"
print("a done")
