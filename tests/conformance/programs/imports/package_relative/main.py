import shapes
from shapes import area_of
from shapes.sub import deep
from shapes.sub.deep import depth as dp
print(shapes.__name__, shapes.__package__, shapes.VERSION)
print(area_of("square", 3), area_of("circle", 1))
print(deep.where(), dp())
print(shapes.sub.deep.__name__, deep.__package__)
import shapes.square as sq
print(sq.Square(2).area(), sq.__name__)
print(shapes.__doc__)
