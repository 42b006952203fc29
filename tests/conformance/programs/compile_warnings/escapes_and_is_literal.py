import re
pattern = "\d+"
print(re.findall(pattern, "a1b22"))
x = 5
print(x is 5, x is not 5, "a" is "a")
print(b"\q")
