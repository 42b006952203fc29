def load(key):
    data = {"a": 1}
    try:
        return data[key]
    except KeyError as exc:
        raise LookupError(f"no such key: {key}") from exc

def process():
    try:
        load("zz")
    except LookupError:
        raise RuntimeError("processing failed")

process()
