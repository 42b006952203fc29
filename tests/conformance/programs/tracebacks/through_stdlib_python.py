import json

class Opaque:
    pass

def default(obj):
    raise TypeError(f"cannot serialise {type(obj).__name__}")

print(json.dumps({"ok": [1, 2]}, default=default))
json.dumps({"bad": Opaque()}, default=default, indent=2)
