def parse(s):
    try:
        return int(s)
    except ValueError:
        raise TypeError("bad input") from None

def outer():
    try:
        parse("x")
    finally:
        print("cleanup done")

outer()
