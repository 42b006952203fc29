def gen():
    yield 1
    raise ValueError("in gen")
def use():
    return [x for x in gen()]
class K:
    def __init__(self):
        use()
sorted([1, 2], key=lambda v: K())
