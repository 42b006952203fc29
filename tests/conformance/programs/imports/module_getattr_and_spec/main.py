import sys
import lazy
print(lazy.eager, lazy.computed_value, lazy.other_value)
try:
    lazy.bad_name
except AttributeError as e:
    print(e)
print(dir(lazy))
import pkg
from pkg import sub
print(pkg.__spec__.name, pkg.__spec__.submodule_search_locations is not None, sub.__spec__.parent)
print(lazy.__spec__.name, lazy.__spec__.origin.endswith("lazy.py"), lazy.__loader__ is not None)
print(sys.modules["pkg.sub"] is sub, pkg.sub is sub, "pkg.sub" in sys.modules)
print(pkg.__path__[0].endswith("pkg"), pkg.__file__.endswith("__init__.py"))
print(__spec__, __package__ if __package__ else repr(__package__))
import pkg.sub as again
print(again is sub, sub.where())
sys.modules["fake_mod"] = type(sys)("fake_mod")
import fake_mod
print(fake_mod.__name__)
