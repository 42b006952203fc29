def attempt(v):
    try:
        r = 10 / v
    except ZeroDivisionError as e:
        print("zero:", e)
        return "handled"
    except (TypeError, ValueError) as e:
        print("type/value:", type(e).__name__)
        return "handled2"
    else:
        print("else ran", r)
        return r
    finally:
        print("finally for", repr(v))

print(attempt(2))
print(attempt(0))
print(attempt("x"))

try:
    try:
        raise KeyError("inner")
    finally:
        print("inner finally")
except KeyError as e:
    print("outer caught", e)
try:
    pass
except Exception:
    print("never")
else:
    print("no exception")
def name_cleared():
    try:
        raise ValueError
    except ValueError as err:
        pass
    try:
        err
    except NameError as e:
        print("NameError:", e)
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
name_cleared()
try:
    raise ValueError
except:
    print("bare except")
