def show(e):
    print(type(e).__name__, e, "| cause:", repr(e.__cause__), "| context:", repr(e.__context__), "| suppress:", e.__suppress_context__)

try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError("during")
except ValueError as e:
    show(e)

try:
    try:
        1 / 0
    except ZeroDivisionError as z:
        raise ValueError("from") from z
except ValueError as e:
    show(e)

try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError("none") from None
except ValueError as e:
    show(e)

try:
    raise KeyError("k") from OSError("os")
except KeyError as e:
    show(e)

def reraise():
    try:
        raise TypeError("orig")
    except TypeError:
        raise
try:
    reraise()
except TypeError as e:
    show(e)
try:
    raise ValueError("x") from 5
except TypeError as e:
    print(e)
class MyErr(Exception):
    def __init__(self, code, msg):
        super().__init__(code, msg)
        self.code = code
try:
    raise MyErr(3, "oops")
except MyErr as e:
    print(e.args, e.code, str(e), repr(e))
try:
    raise Exception
except Exception as e:
    print(repr(e), e.args)
e = ValueError("note")
e.add_note("a note")
print(e.__notes__)
