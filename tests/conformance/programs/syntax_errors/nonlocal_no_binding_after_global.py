print("hi")
def f(x):
    global y
    y = 1
    nonlocal z
