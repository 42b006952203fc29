class Logger:
    def __getitem__(self, k):
        print("get", k)
        return 0
    def __setitem__(self, k, v):
        print("set", k, v)
    def __delitem__(self, k):
        print("del", k)
L = Logger()
L[1:2] = 5
L[::3] = 6
L[1:2:3, 4] = 7
del L[:5]
L[0:1] += 1
x = L[-1:]
import array
a = array.array("i", range(6))
a[1:3] = array.array("i", [9, 9, 9])
print(a.tolist())
lst = [1, 2, 3, 4, 5]
lst[1:4] = []
print(lst)
lst[:0] = [-1, 0]
print(lst)
lst[len(lst):] = [99]
print(lst)
