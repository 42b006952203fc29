"""NULL: the call-sequence sentinel that guest code never sees.

What belongs here: ``NULL`` and its type (PUSH_NULL's marker, an unbound fast local).
What does not: anything else; docs/bytecode.md says where NULL may appear.
"""


class _NullType:
    """The type of NULL (PUSH_NULL's marker on the value stack, an unbound fast local)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<NULL>"

    def __reduce__(self) -> str:
        return "NULL"


NULL = _NullType()
