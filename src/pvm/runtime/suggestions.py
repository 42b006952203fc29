"""CPython 3.11's "Did you mean" distance (Python/suggestions.c): the closest candidate name.

What belongs here: the weighted edit distance and the choice among candidates, as
suggestions.c computes them.  What does not: which names are candidates for an
exception (the frame's namespaces, dir() of the object): pvm.runtime.traceback.

In 3.11 only the C printer (not traceback.py) adds suggestions, and only for exceptions
whose type is exactly NameError or AttributeError.  Distances are computed on UTF-8
bytes: a move costs 2, a case flip 1, and at most a third of the characters may change.
"""

from __future__ import annotations

_MAX_CANDIDATE_ITEMS = 750
_MAX_STRING_SIZE = 40
_MOVE_COST = 2
_CASE_COST = 1


def _substitution_cost(a: int, b: int) -> int:
    if (a & 31) != (b & 31):
        return _MOVE_COST
    if a == b:
        return 0
    if 65 <= a <= 90:
        a += 32
    if 65 <= b <= 90:
        b += 32
    return _CASE_COST if a == b else _MOVE_COST


def _edit_distance(a: bytes, b: bytes, max_cost: int) -> int:
    """Return the weighted edit distance of a and b, or max_cost + 1 if it is larger."""
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    a, b = a[start:], b[start:]
    end = 0
    while end < len(a) and end < len(b) and a[len(a) - 1 - end] == b[len(b) - 1 - end]:
        end += 1
    if end:
        a, b = a[: len(a) - end], b[: len(b) - end]
    if not a or not b:
        return (len(a) + len(b)) * _MOVE_COST
    if len(a) > _MAX_STRING_SIZE or len(b) > _MAX_STRING_SIZE:
        return max_cost + 1
    if len(b) < len(a):
        a, b = b, a
    if (len(b) - len(a)) * _MOVE_COST > max_cost:
        return max_cost + 1
    # One row of the distance matrix, updated in place: row[i] is the cost of turning
    # the part of b seen so far into a[:i + 1].
    row = [(i + 1) * _MOVE_COST for i in range(len(a))]
    result = 0
    for b_index, code in enumerate(b):
        diagonal = result = b_index * _MOVE_COST
        minimum = None
        for i, ch in enumerate(a):
            substitute = diagonal + _substitution_cost(code, ch)
            diagonal = row[i]
            result = min(min(result, diagonal) + _MOVE_COST, substitute)
            row[i] = result
            if minimum is None or result < minimum:
                minimum = result
        if minimum is not None and minimum > max_cost:
            return max_cost + 1
    return result


def best_suggestion(candidates: list, name: str) -> str | None:
    """Return the closest candidate to name, as calculate_suggestions() does."""
    if len(candidates) >= _MAX_CANDIDATE_ITEMS:
        return None
    name_bytes = name.encode("utf-8", "surrogatepass")
    best, best_distance = None, None
    for item in candidates:
        if not isinstance(item, str):
            return None
        if item == name:
            continue
        item_bytes = item.encode("utf-8", "surrogatepass")
        max_distance = (len(name_bytes) + len(item_bytes) + 3) * _MOVE_COST // 6
        if best_distance is not None:
            max_distance = min(max_distance, best_distance - 1)
        distance = _edit_distance(name_bytes, item_bytes, max_distance)
        if distance > max_distance:
            continue
        if best is None or distance < best_distance:
            best, best_distance = item, distance
    return best
