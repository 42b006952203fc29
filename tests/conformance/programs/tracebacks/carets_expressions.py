class Obj:
    def __init__(self):
        self.items = {"x": [1, 2, 3]}

def get(o, key, idx):
    return o.items[key][idx] + o.items["x"][0]

def run():
    o = Obj()
    print(get(o, "x", 1))
    value = get(o, "x", 10)
    return value

run()
