import sys
sys.setrecursionlimit(60)

def depth(n):
    return 1 + depth(n + 1) if n < 1000 else 0
try:
    depth(0)
    print("no error")
except RecursionError as e:
    print("caught at low limit:", e)
sys.setrecursionlimit(5000)
def d2(n):
    return 0 if n == 0 else 1 + d2(n - 1)
print(d2(3000))
try:
    sys.setrecursionlimit(0)
except ValueError as e:
    print(e)
print(sys.getrecursionlimit())
