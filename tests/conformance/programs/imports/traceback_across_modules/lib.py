def parse_one(s):
    return int(s)

def parse_all(items):
    return [parse_one(s) for s in items]
