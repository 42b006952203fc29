a = [1, 2]
b = (3, 4)
print([*a, *b, 5])
print((*a, *b))
print({*a, *b, 2})
print({**{"x": 1}, "y": 2, **{"x": 3}})
print(*a, *b)
print(dict(**{"k": 1}, j=2))
print([*range(3), *"ab", *{"m": 1}])
print(*[], sep="|")
def f(*args, **kw):
    return args, kw
print(f(*a, 0, *b, **{"z": 1}, w=2))
s = *a, 9
print(s)
print([*[*[1], *[2]]])
try:
    print({**[1]})
except TypeError as e:
    print(e)
try:
    f(**{"a": 1}, a=2)
except TypeError as e:
    print(e)
