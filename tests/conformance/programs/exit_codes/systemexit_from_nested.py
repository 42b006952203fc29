import sys
def deep(n):
    if n == 0:
        raise SystemExit(42)
    return deep(n - 1)
try:
    deep(5)
finally:
    print("outer finally")
