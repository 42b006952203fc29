from mod_all import *
from mod_noall import *
print(public, sorted(k for k in globals() if not k.startswith("__")))
try:
    hidden
except NameError as e:
    print(e)
try:
    _private
except NameError as e:
    print(e)
print(exported_func())
