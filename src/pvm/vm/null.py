"""NULL: the call-sequence sentinel that guest code never sees."""


class _NullType:
    """The type of NULL (PUSH_NULL's marker on the value stack, an unbound fast local)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<NULL>"

    def __reduce__(self) -> str:
        return "NULL"


NULL = _NullType()
