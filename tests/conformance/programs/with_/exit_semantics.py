class Recorder:
    def __enter__(self):
        return self
    def __exit__(self, *args):
        self.args = args
        return True

with Recorder() as r:
    raise IndexError("idx")
print(r.args[0].__name__, r.args[1], type(r.args[2]).__name__)
with Recorder() as r2:
    pass
print(r2.args)

class Swallow:
    def __enter__(self): pass
    def __exit__(self, *a): return 1
def f():
    for i in range(3):
        with Swallow():
            raise ValueError
    return i
print(f())
class ExitRaises:
    def __enter__(self): pass
    def __exit__(self, *a):
        raise KeyError("from exit")
try:
    with ExitRaises():
        raise ValueError("body")
except KeyError as e:
    print(repr(e), repr(e.__context__))
import threading
lock = threading.Lock()
with lock:
    print(lock.locked())
print(lock.locked())
with open(__file__) as fh:
    print(fh.readline().strip())
print(fh.closed)
