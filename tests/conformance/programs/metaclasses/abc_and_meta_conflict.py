import abc

class Shape(abc.ABC):
    @abc.abstractmethod
    def area(self):
        ...

    @property
    @abc.abstractmethod
    def name(self):
        ...

class Sq(Shape):
    def __init__(self, s):
        self.s = s
    def area(self):
        return self.s ** 2
    @property
    def name(self):
        return "square"

try:
    Shape()
except TypeError as e:
    print(e)
class Half(Shape):
    def area(self):
        return 0
try:
    Half()
except TypeError as e:
    print(e)
s = Sq(3)
print(s.area(), s.name, isinstance(s, Shape))

class M1(type): pass
class M2(type): pass
class A(metaclass=M1): pass
class B(metaclass=M2): pass
try:
    class C(A, B): pass
except TypeError as e:
    print(e)

class Meta(type):
    def __instancecheck__(cls, obj):
        return obj == 42
class Magic(metaclass=Meta): pass
print(isinstance(42, Magic), isinstance(1, Magic))
Shape.register(int)
print(isinstance(5, Shape))
