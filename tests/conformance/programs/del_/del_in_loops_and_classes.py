class C:
    a = 1
    b = 2
    del a
print(hasattr(C, "a"), C.b)
del C.b
print(hasattr(C, "b"))
for i in range(3):
    pass
del i
print("i" in dir())
data = list(range(10))
while data:
    del data[::2]
    print(data)
ns = {"x": 1}
exec("del x", ns)
print("x" in ns)
def f():
    for v in range(2):
        del v
    try:
        v
    except UnboundLocalError as e:
        print(e)
f()
