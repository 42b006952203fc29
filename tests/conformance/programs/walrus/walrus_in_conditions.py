import io
buf = io.StringIO("line one\nline two\n\nline four\n")
while (chunk := buf.readline()):
    print(repr(chunk))
nums = [3, 9, 14, 2]
if any((big := n) > 10 for n in nums):
    print("first big", big)
if all((small := n) < 10 for n in nums):
    print("never")
else:
    print("first not small", small)
stats = {"count": (c := len(nums)), "mean": sum(nums) / c}
print(stats)
print(f"{(w := 3) * 2} {w}")
def gen():
    while (v := (yield)) is not None:
        print("recv", v)
g = gen(); next(g); g.send(1); g.send(2)
try:
    g.send(None)
except StopIteration:
    print("gen ended")
