class Tracked:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("finalized", self.name)

t = Tracked("one")
del t
print("after del one")
def scope():
    Tracked("temp")
    print("in scope")
scope()
lst = [Tracked("in list")]
lst.clear()
print("cleared")
d = {"k": Tracked("in dict")}
del d["k"]
x = Tracked("rebound")
x = None
print("end")
