"""print/input follow the guest's sys streams; warnings are the guest's own module."""

import contextlib
import io
import sys
import warnings

buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    print("captured", 1, sep="-")
print(repr(buf.getvalue()))

sys.stdin = io.StringIO("typed line\nsecond\n")
print(input("prompt> "))
print(repr(input()))
try:
    input()
except EOFError as e:
    print("EOFError:", e)
sys.stdin = sys.__stdin__

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    warnings.warn("careful", UserWarning)
print([str(w.message) for w in caught], caught[0].category.__name__)

with warnings.catch_warnings():
    warnings.simplefilter("error")
    try:
        warnings.warn("now an error")
    except UserWarning as e:
        print("raised:", e)

old = sys.stderr
sys.stderr = io.StringIO()
print("to the guest's stderr", file=sys.stderr)
text = sys.stderr.getvalue()
sys.stderr = old
print(repr(text))
