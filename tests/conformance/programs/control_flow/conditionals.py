def classify(n):
    if n < 0:
        return "negative"
    elif n == 0:
        return "zero"
    elif n < 10:
        return "small"
    else:
        return "large"
print([classify(v) for v in (-5, 0, 3, 50)])
x = 5
y = "odd" if x % 2 else "even"
print(y)
print("nested " + ("a" if x > 3 else "b" if x > 1 else "c"))
if x:
    pass
elif undefined_never_evaluated:
    pass
if [] or 0:
    print("no")
elif {}:
    print("no")
else:
    print("falsy chain")
def early(v):
    if v:
        return "truthy"
print(early(0), early(1))
val = None
print(val or "default", val and "x", not val)
if (a := 3) and a > 2:
    print("walrus in if", a)
