def needs(a, b, *, c):
    return a + b + c

def caller():
    return needs(1, c=2)

print("before")
caller()
