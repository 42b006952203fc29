"""A function whose body has no code returns on its def line, as CPython's code says."""


def no_code1():
    "doc string"


def no_code2():
    a: int  # noqa: F842


for f in (no_code1, no_code2):
    code = f.__code__
    print(
        f.__name__,
        [line - code.co_firstlineno for _, _, line in code.co_lines() if line][:1],
    )
