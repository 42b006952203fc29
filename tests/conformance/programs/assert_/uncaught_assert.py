def check(v):
    assert v % 2 == 0, "expected even"
    return v // 2

print(check(4))
print(check(3))
