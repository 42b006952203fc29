def stub():
    ...
def stub2():
    pass
print(stub(), stub2(), ..., Ellipsis is ...)
class Empty: ...
print(Empty.__name__)
if True: print("one-liner"); print("second")
x = 1; y = 2; print(x + y)
def multiple_returns(v):
    if v == 1:
        return 1, 2
    return
print(multiple_returns(1), multiple_returns(0))
def set_global():
    global global_in_module
    global_in_module = 1
set_global()
print(global_in_module)
lst = []
for i in range(3): lst.append(i)
print(lst)
while False: pass
try: raise ValueError
except ValueError: print("compact try")
with open(__file__) as f: print(len(f.readline()) > 0)
