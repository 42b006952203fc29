"""pvm.runtime: guest-visible objects (functions, generators, classes) and services."""


class _NullType:
    """The type of NULL, the call-sequence sentinel that guest code never sees."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<NULL>"

    def __reduce__(self) -> str:
        return "NULL"


NULL = _NullType()
