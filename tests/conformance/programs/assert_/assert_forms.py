assert True
assert 1 == 1, "never"
try:
    assert False
except AssertionError as e:
    print("bare", repr(e), e.args)
try:
    assert 1 > 2, "one is not greater"
except AssertionError as e:
    print("msg", e)
try:
    assert [], ["list", "message"]
except AssertionError as e:
    print(e.args)
def side():
    print("message evaluated")
    return "lazy"
assert True, side()
try:
    assert None, side()
except AssertionError as e:
    print(e)
x = 5
try:
    assert x < 0, f"x={x}"
except AssertionError as e:
    print(e)
print(__debug__)
