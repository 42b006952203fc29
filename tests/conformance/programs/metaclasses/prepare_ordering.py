class OrderedMeta(type):
    @classmethod
    def __prepare__(mcls, name, bases, **kw):
        print("prepare", name, bases, kw)
        return {"injected": 42}

    def __new__(mcls, name, bases, ns, **kw):
        ns["order"] = [k for k in ns if not k.startswith("__")]
        return super().__new__(mcls, name, bases, ns)

class A(metaclass=OrderedMeta, flag=True):
    z = 1
    a = 2
    def m(self):
        return injected if False else self.injected

print(A.order, A().m())

class Registry(type):
    classes = {}
    def __new__(mcls, name, bases, ns):
        cls = super().__new__(mcls, name, bases, ns)
        mcls.classes[name] = cls
        return cls

class X(metaclass=Registry): pass
class Y(X): pass
print(sorted(Registry.classes))
T = type("T", (X,), {"val": 3, "get": lambda self: self.val})
print(T().get(), type(T).__name__, T.__name__)
print(type(3), type("s"), type(type))
