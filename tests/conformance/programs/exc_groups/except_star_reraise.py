try:
    try:
        raise ExceptionGroup("eg", [ValueError(1), TypeError(2)])
    except* ValueError:
        print("handling value, reraise")
        raise
    except* TypeError as e:
        print("handling type")
except ExceptionGroup as outer:
    print(repr(outer))

try:
    try:
        raise ExceptionGroup("eg", [ValueError(1)])
    except* ValueError:
        raise KeyError("new")
except (ExceptionGroup, KeyError) as outer:
    print(repr(outer), repr(outer.__context__))

try:
    raise ExceptionGroup("eg", [ValueError(1)])
except* (ValueError, TypeError) as e:
    print("tuple match", repr(e))
def with_finally():
    try:
        raise ExceptionGroup("eg", [ValueError(1)])
    except* ValueError:
        print("in except*")
    finally:
        print("finally")
    print("after")
with_finally()
