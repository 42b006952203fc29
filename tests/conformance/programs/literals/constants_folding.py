print(2 * 3 + 4, "ab" * 3, (1, 2) + (3,), -(-5), not not 1)
print(1 / 2 * 4, 2 ** 3 ** 2, (2 ** 3) ** 2, -2 ** 2, (-2) ** 2)
print(10 - 3 - 2, 100 / 10 / 5, 2 * 3 % 4, 7 // 2 * 2)
print("x" in "xyz", 3 in (1, 2, 3), "k" not in {"k": 1})
big = 2 ** 64
print(big, big - 1, big * big, -big // 3)
print(1_0.0_1, 0b_1, 0x_f)
s = "concat" " " "literals"
print(s, len(s))
t = ((1, 2), (3, (4, 5)))
print(t[1][1][0], t[-1][-1])
print(type(1 + 1.0).__name__, type(1 + 1j).__name__, type(True + 1).__name__)
print(1e309, -1e309, 5e-324, 1e-400)
print(float("nan") != float("nan"), 0.0 == -0.0, str(-0.0))
