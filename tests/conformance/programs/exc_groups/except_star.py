def raiser():
    raise ExceptionGroup("many", [ValueError("v1"), TypeError("t1"), ValueError("v2"), KeyError("k")])

try:
    try:
        raiser()
    except* ValueError as eg:
        print("values:", [str(e) for e in eg.exceptions], type(eg).__name__, eg.message)
    except* TypeError as eg:
        print("types:", [str(e) for e in eg.exceptions])
except* KeyError as eg:
    print("outer keys:", [repr(e) for e in eg.exceptions])

try:
    raise ValueError("naked")
except* ValueError as eg:
    print("wrapped:", type(eg).__name__, repr(eg.exceptions[0]))

try:
    try:
        raise ExceptionGroup("g", [OSError("o")])
    except* ValueError:
        print("never")
except ExceptionGroup as eg:
    print("unhandled rest:", eg.message, [type(e).__name__ for e in eg.exceptions])
def nested():
    try:
        raise ExceptionGroup("outer", [ExceptionGroup("inner", [ValueError(1)]), TypeError(2)])
    except* ValueError as eg:
        print("nested values", repr(eg))
    except* TypeError as eg:
        print("nested types", repr(eg))
nested()
