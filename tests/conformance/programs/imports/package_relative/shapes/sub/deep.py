from .. import VERSION
from ..square import Square
from ..circle import Circle as circle_cls
from .. import circle
def where():
    return f"{__name__} sees VERSION {VERSION} and {Square.__name__} and {circle.__name__}"
def depth():
    return __package__.count(".") + 1
