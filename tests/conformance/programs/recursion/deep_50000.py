import sys
sys.setrecursionlimit(100_000)
print(sys.getrecursionlimit())

def depth(n):
    if n == 0:
        return 0
    return depth(n - 1) + 1

print(depth(50_000))

def sum_to(n, acc=0):
    return acc if n == 0 else sum_to(n - 1, acc + n)
print(sum_to(40_000))
