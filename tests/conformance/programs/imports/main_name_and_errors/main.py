import sys
print(__name__, sys.argv[1:], __file__.endswith("main.py"))
import tool
print(tool.main_guard_ran)
try:
    import does_not_exist_anywhere
except ImportError as e:
    print(type(e).__name__, e)
try:
    from tool import nothing_here
except ImportError as e:
    print(e)
try:
    import broken
except ZeroDivisionError as e:
    print("broken module raised", e)
print("broken" in sys.modules)
from tool import *
print(sys.path[0] == __file__.rsplit("/", 1)[0])
