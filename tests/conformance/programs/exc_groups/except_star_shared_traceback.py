"""The parts except* splits from a group share its traceback object, as split() parts do."""

orig = ExceptionGroup("eg", [ValueError(1), OSError(2)])
try:
    try:
        raise orig
    except* OSError:
        raise TypeError(3)
except ExceptionGroup as e:
    exc = e

context = exc.exceptions[0].__context__
print(repr(context), context.__traceback__ is orig.__traceback__)
print(
    exc.__traceback__ is orig.__traceback__,
    exc.exceptions[1].__traceback__ is orig.__traceback__,
)
match, rest = orig.split(OSError)
print(
    match.__traceback__ is orig.__traceback__, rest.__traceback__ is orig.__traceback__
)

try:
    try:
        raise ExceptionGroup("eg", [ValueError(1), OSError(2)])
    except* ValueError as eg:
        caught = eg
        raise
except ExceptionGroup as e:
    print(repr(e), caught.__traceback__.tb_lineno, e.__traceback__.tb_lineno)
