import a
print(a.from_b(), a.b.from_a())
import b
print(b.partial_seen)
