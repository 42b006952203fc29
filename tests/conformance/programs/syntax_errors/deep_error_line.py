def ok():
    return 1

class A:
    def m(self):
        for i in range(3):
            pass
        else:
            def inner():
                yield from
