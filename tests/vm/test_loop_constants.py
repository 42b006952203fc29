"""The dispatch loop's numbers agree with decode.INLINE: the if-tree's literals and named constants."""

from __future__ import annotations

import inspect
import re

from pvm.vm import decode, interpreter

# `elif op == 26:  # LOAD_NAME` and `else:  # 27: CALL_FUNCTION_EX`, superinstructions
# written as their pair (`# 1: LOAD_FAST; LOAD_FAST`).
_NAME = r"([A-Za-z_]+(?:; [A-Za-z_]+)*)"
_TESTED = re.compile(r"op == (\d+):\s*# " + _NAME)
_COMMENTED = re.compile(r"#\s*(\d+): " + _NAME)


def loop_comments(source: str) -> dict[int, set[str]]:
    """Return, for each operation number the loop's source names, the names it gives it."""
    found: dict[int, set[str]] = {}
    for pattern in (_TESTED, _COMMENTED):
        for m in pattern.finditer(source):
            found.setdefault(int(m.group(1)), set()).add(m.group(2))
    return found


def inline_name(spelled: str) -> str:
    """Return decode.INLINE's spelling of a name as the loop writes it."""
    parts = spelled.split("; ")
    return parts[0] if len(parts) == 1 else "_".join(parts).lower()


def test_every_inline_operation_has_its_branch_named_as_in_decode():
    found = loop_comments(inspect.getsource(interpreter._run))
    assert sorted(found) == list(range(len(decode.INLINE)))
    for number, spelled in found.items():
        assert {inline_name(s) for s in spelled} == {decode.INLINE[number]}, number


def test_a_wrong_comment_is_caught():
    found = loop_comments("if op == 3:  # LOAD_CONST\n    pass\nelse:  # 4: STORE_FAST\n")
    assert {inline_name(s) for s in found[3]} != {decode.INLINE[3]}
    assert {inline_name(s) for s in found[4]} != {decode.INLINE[4]}


def test_the_named_numbers_are_the_operations():
    for name in ("CALL", "CALL_KW", "CALL_FUNCTION_EX"):
        assert decode.INLINE[getattr(interpreter, name)] == name
    code, values = interpreter._run.__code__, interpreter._run.__defaults__
    defaults = dict(zip(code.co_varnames[: code.co_argcount][-len(values) :], values))
    assert defaults["_CALL_OPS"] == {
        decode.INLINE.index(name) for name in ("CALL", "CALL_KW", "CALL_FUNCTION_EX")
    }
    mode = interpreter.RaiseMode
    assert (defaults["_FRESH"], defaults["_RERAISED"], defaults["_RAISED"]) == (
        mode.FRESH,
        mode.RERAISED,
        mode.RAISED,
    )


def test_the_table_starts_after_the_inline_operations():
    assert decode.FIRST_TABLE_OP == len(decode.INLINE)
    for number in range(decode.FIRST_TABLE_OP):
        assert decode.names[number] == decode.INLINE[number]
