s = list(range(10))
print(s[2:5], s[:3], s[7:], s[::2], s[::-1], s[-3:], s[:-7], s[1:8:3], s[8:1:-2])
print(s[100:], s[-100:2], s[5:2], "hello"[1:4], "hello"[::-1], (1, 2, 3)[1:])
t = s[:]
t[2:4] = ["a", "b", "c"]
print(t)
t[::3] = [0, 0, 0, 0]
print(t)
del t[1:3]
print(t)
del t[::2]
print(t)
try:
    t[::2] = [1]
except ValueError as e:
    print(e)
sl = slice(1, 5, 2)
print(s[sl], sl.start, sl.stop, sl.step, sl.indices(3))
class Sliceable:
    def __getitem__(self, key):
        return key
o = Sliceable()
print(o[1:2], o[::], o[1:2, 3], o[..., 1], o[:, ::2])
b = bytearray(b"abcdef")
b[1:3] = b"XYZ"
print(b, b[::2], memoryview(b)[1:3].tobytes())
print("abcdef"[slice(None, None, -2)])
try:
    s[::0]
except ValueError as e:
    print(e)
try:
    s["a":]
except TypeError as e:
    print(e)
