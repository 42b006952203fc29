import contextlib

@contextlib.contextmanager
def tag(name):
    print(f"<{name}>")
    try:
        yield name
    except ValueError as e:
        print("handled", e)
    finally:
        print(f"</{name}>")

with tag("a") as t:
    print("inside", t)
with tag("b"):
    raise ValueError("in b")
with contextlib.suppress(KeyError, IndexError):
    [][1]
print("suppressed")
with contextlib.ExitStack() as stack:
    for n in "xyz":
        stack.enter_context(tag(n))
    stack.callback(print, "callback")
import io
buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    print("captured")
print(repr(buf.getvalue()))
class Closable:
    def close(self):
        print("closed")
with contextlib.closing(Closable()):
    pass
with contextlib.nullcontext(5) as v:
    print(v)
