class A:
    def who(self):
        return __class__.__name__
    def sup(self):
        return super()

class B(A):
    def who(self):
        return "B>" + super().who()

print(B().who(), A().who())
print(type(B().sup()).__name__)

class C:
    def f(self):
        return __class__
print(C().f() is C)

class D:
    def no_args_super_in_static():
        pass
    @staticmethod
    def s():
        try:
            super()
        except RuntimeError as e:
            return str(e)
print(D.s())

def outside():
    try:
        super()
    except RuntimeError as e:
        return str(e)
print(outside())

class E:
    def m(self):
        def inner():
            return __class__
        return inner()
print(E().m().__name__)
