import importlib
import sys
names = ["plugins.alpha", "plugins.beta"]
for n in names:
    m = importlib.import_module(n)
    print(m.__name__, m.run())
rel = importlib.import_module(".alpha", package="plugins")
print(rel is sys.modules["plugins.alpha"])
m = __import__("plugins.beta", fromlist=["run"])
print(m.__name__)
top = __import__("plugins.alpha")
print(top.__name__)
try:
    importlib.import_module("plugins.missing")
except ModuleNotFoundError as e:
    print(type(e).__name__, e, e.name)
import json, collections.abc
print(json.dumps({"native": True}), collections.abc.Mapping.__name__)
alpha = sys.modules["plugins.alpha"]
alpha.STATE = "changed"
importlib.reload(alpha)
print(alpha.STATE)
