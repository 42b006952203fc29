x = 5
x += 3; print(x)
x -= 1; print(x)
x *= 2; print(x)
x /= 4; print(x)
x //= 1; print(x)
x **= 2; print(x)
x %= 7; print(x)
y = 0b1100
y &= 0b1010; print(y)
y |= 1; print(y)
y ^= 0b11; print(y)
y <<= 3; print(y)
y >>= 1; print(y)
s = "ab"
s *= 3; print(s)
lst = [1]
alias = lst
lst += [2, 3]
print(lst, alias is lst)
t = (1,)
talias = t
t += (2,)
print(t, talias)
class O:
    v = 1
o = O()
o.v += 10
print(o.v, O.v)
d = {"k": 1}
d["k"] += 1
d.setdefault("n", []).append(1)
print(d)
m = [[1, 2], [3, 4]]
m[1][0] *= 10
print(m)
import numbers
class M:
    def __init__(self): self.items = [1]
    def __matmul__(self, o): return "matmul"
mm = M()
mm @= 2
print(mm)
