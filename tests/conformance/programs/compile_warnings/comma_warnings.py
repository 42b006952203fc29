def f():
    return 0[0:1]
def g():
    return (1, 2)(3)
print("ok")
if False:
    print(0[1])
while 0:
    print((1,)(2))
