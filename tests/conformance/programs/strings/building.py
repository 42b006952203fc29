parts = []
for i in range(10):
    parts.append(str(i * i))
print(",".join(parts))
s = ""
for c in "abcdef":
    s += c.upper() + "-"
print(s)
import io
buf = io.StringIO()
for i in range(3):
    buf.write(f"row {i}\n")
print(buf.getvalue(), end="")
print("".join(reversed("stressed")), "".join(sorted("python")))
table = str.maketrans("abc", "xyz", "d")
print("abcd abcd".translate(table))
words = "the rain in spain stays mainly".split()
print(" ".join(w.capitalize() for w in words))
print(" | ".join(f"{w:>6}" for w in words[:3]))
print("\n".join(["multi", "line"]))
b = bytearray()
for i in range(5):
    b += bytes([65 + i])
print(b.decode())
