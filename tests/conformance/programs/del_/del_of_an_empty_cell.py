# Found by the run fuzz: deleting a captured variable twice raises, as a plain local does.
def outer():
    s = "xyz"

    def inner():
        return s

    del s
    try:
        del s
    except UnboundLocalError as exc:
        print("again:", exc)
    try:
        inner()
    except NameError as exc:
        print("inner:", type(exc).__name__, exc)

    def deleter():
        nonlocal s
        del s

    try:
        deleter()
    except NameError as exc:
        print("nonlocal:", type(exc).__name__, exc)


outer()
