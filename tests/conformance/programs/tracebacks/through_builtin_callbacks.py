def bad_key(item):
    return item["missing"]

records = [{"a": 1}, {"a": 2}]
try:
    sorted(records, key=bad_key)
except KeyError as e:
    print("caught", repr(e))

def mapper(v):
    return 10 // v

print(list(map(mapper, [1, 2])))
print(sorted([3, 1, 2], key=lambda v: -v))
total = sum(map(mapper, [5, 0]))
