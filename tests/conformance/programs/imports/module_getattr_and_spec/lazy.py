eager = "eager"

def __getattr__(name):
    if name.endswith("_value"):
        return name.upper()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

def __dir__():
    return ["eager", "computed_value"]
