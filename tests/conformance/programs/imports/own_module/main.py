import helper
from helper import greet, CONSTANT as C
import helper as h2
print(greet("pvm"), C, h2 is helper, helper.__name__)
print(helper.__file__.endswith("helper.py"), helper.counter())
import helper
print(helper.counter())
import sys
print("helper" in sys.modules, __name__)
print(helper.Thing().describe())
print(type(helper).__name__, sorted(n for n in dir(helper) if not n.startswith("_")))
