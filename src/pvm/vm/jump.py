"""Where a trace function's ``frame.f_lineno = N`` may jump, as CPython 3.11's frame_setlineno.

What belongs here: the static analysis of a code object that a jump needs (the kind of
every value stack entry before each instruction: CPython's mark_stacks; the
instructions that start a line: marklines) and the choice of the target instruction
with CPython's checks and error messages.  What does not: when a jump may be asked
for and how the frame is moved (pvm.vm.trace), the guest's frame view whose setter
asks (pvm.runtime.sysmodule).

A stack is an int, as in CPython: three bits per entry, the top entry lowest, so that
a deeper stack is a larger number.  An entry is an iterator (a for loop's), an
exception state (``Except``: what PUSH_EXC_INFO saved, restored when a jump pops it),
a plain object, a NULL, or a raising instruction's index (``Lasti``, below a re-raise).
"""

from __future__ import annotations

from typing import Any

from pvm.bytecode import opcode as _op

ITERATOR, EXCEPT, OBJECT, NULL, LASTI = 1, 2, 3, 4, 5
_BITS = 3
_MASK = (1 << _BITS) - 1
_MAX_ENTRIES = 63 // _BITS
_WILL_OVERFLOW = 1 << ((_MAX_ENTRIES - 1) * _BITS)
UNINITIALIZED, OVERFLOWED = -2, -1

_CONDITIONAL = {
    _op.POP_JUMP_IF_FALSE,
    _op.POP_JUMP_IF_TRUE,
    _op.POP_JUMP_IF_NONE,
    _op.POP_JUMP_IF_NOT_NONE,
}
_OR_POP = {_op.JUMP_IF_FALSE_OR_POP, _op.JUMP_IF_TRUE_OR_POP}
_ALWAYS = {_op.JUMP_FORWARD, _op.JUMP_BACKWARD, _op.JUMP_BACKWARD_NO_INTERRUPT}
_ENDS = {_op.RETURN_VALUE, _op.RAISE_VARARGS, _op.RERAISE}


def _push(stack: int, kind: int) -> int:
    if stack < 0 or stack >= _WILL_OVERFLOW:
        return OVERFLOWED
    return (stack << _BITS) | kind


def _pop(stack: int) -> int:
    return stack >> _BITS


def _top(stack: int) -> int:
    return stack & _MASK


def _peek(stack: int, n: int) -> int:
    return (stack >> (_BITS * (n - 1))) & _MASK


def _swap(stack: int, n: int) -> int:
    if stack < 0:
        return stack
    deep, top = _peek(stack, n), _top(stack)
    shift = _BITS * (n - 1)
    low = (stack & ~(_MASK << shift)) | (top << shift)
    return (low & ~_MASK) | deep


def _pop_to_level(stack: int, level: int) -> int:
    if level == 0:
        return 0
    level_max = _MASK << ((level - 1) * _BITS)
    while stack > level_max:
        stack = _pop(stack)
    return stack


def mark_stacks(code: Any) -> list[int]:
    """Return the stack (see the module docstring) before each instruction of code."""
    raw = list(code.instructions())
    stacks = [UNINITIALIZED] * (len(raw) + 1)
    stacks[0] = 0
    todo = True
    while todo:
        todo = False
        for i, op, arg in raw:
            nxt = stacks[i]
            if nxt == UNINITIALIZED:
                continue
            target = None
            if op in _CONDITIONAL:
                nxt = target = _pop(nxt)
            elif op in _OR_POP:
                target, nxt = nxt, _pop(nxt)
            elif op in _ALWAYS:
                target, nxt = nxt, None
            elif op == _op.GET_ITER or op == _op.GET_AITER:
                nxt = _push(_pop(nxt), ITERATOR)
            elif op == _op.FOR_ITER:
                target, nxt = _pop(nxt), _push(nxt, OBJECT)
            elif op == _op.SEND:
                target = _pop(nxt)
            elif op in _ENDS:
                nxt = None
            elif op == _op.PUSH_NULL:
                nxt = _push(nxt, NULL)
            elif op == _op.LOAD_METHOD:
                nxt = _push(_push(_pop(nxt), NULL), OBJECT)
            elif op == _op.PUSH_EXC_INFO:
                nxt = _push(nxt, EXCEPT)
            elif op == _op.SWAP:
                nxt = _swap(nxt, arg)
            elif op == _op.COPY:
                nxt = _push(nxt, _peek(nxt, arg) if nxt >= 0 else OBJECT)
            else:
                delta = _op.stack_effect(op, arg, False)
                for _ in range(-delta):
                    nxt = _pop(nxt)
                for _ in range(delta):
                    nxt = _push(nxt, OBJECT)
            if target is not None:
                if stacks[arg] == UNINITIALIZED and arg < i:
                    todo = True
                stacks[arg] = target
            if nxt is not None:
                stacks[i + 1] = nxt
        for entry in code.co_exceptiontable:
            start, target, level, lasti = entry[0], entry[2], entry[3], entry[4]
            if stacks[start] != UNINITIALIZED and stacks[target] == UNINITIALIZED:
                todo = True
                stack = _pop_to_level(stacks[start], level)
                if lasti:
                    stack = _push(stack, LASTI)
                stacks[target] = _push(stack, EXCEPT)
    return stacks


def mark_lines(code: Any) -> list[int]:
    """Return the line each instruction starts, or -1 (CPython's marklines)."""
    lines = []
    last = -1
    for position in code.co_linetable:
        line = position.lineno
        if line is not None and line != last:
            lines.append(line)
            last = line
        else:
            lines.append(-1)
    return lines


def _compatible_kind(source: int, to: int) -> bool:
    if to == 0:
        return False
    if to == OBJECT:
        return source != NULL
    if to == NULL:
        return True
    return source == to


def _compatible(source: int, to: int) -> bool:
    if source < 0 or to < 0:
        return False
    while source > to:
        source = _pop(source)
    while source:
        if not _compatible_kind(_top(source), _top(to)):
            return False
        source, to = _pop(source), _pop(to)
    return to == 0


def _explain(to: int) -> str:
    if to == OVERFLOWED:
        return "stack to deep to analyze"
    if to == UNINITIALIZED:
        return "can't jump into an exception handler, or code may be unreachable"
    kind = _top(to)
    if kind == EXCEPT:
        return "can't jump into an 'except' block as there's no exception"
    if kind == LASTI:
        return "can't jump into a re-raising block as there's no location"
    if kind == ITERATOR:
        return "can't jump into the body of a for loop"
    return "incompatible stacks"


def target(code: Any, lasti: int, lineno: int) -> tuple[int, list[int]]:
    """Return the instruction a jump from lasti to line lineno lands on, and the kinds of
    the stack entries it pops (top first); raise CPython's ValueError if it may not."""
    if lineno < code.co_firstlineno:
        raise ValueError(f"line {lineno} comes before the current code block")
    lines = mark_lines(code)
    after = [line for line in lines if line >= lineno]
    if not after:
        raise ValueError(f"line {lineno} comes after the current code block")
    lineno = min(after)
    stacks = mark_stacks(code)
    start = stacks[lasti]
    best_stack, best = OVERFLOWED, -1
    error: str | None = "cannot find bytecode for specified line"
    explained = False
    for i, line in enumerate(lines):
        if line != lineno:
            continue
        stack = stacks[i]
        if _compatible(start, stack):
            error = None
            if stack > best_stack:
                best_stack, best = stack, i
        elif error is not None and not explained:
            if start == OVERFLOWED:
                error = "stack to deep to analyze"
            elif start == UNINITIALIZED:
                error = "can't jump from unreachable code"
            else:
                error = _explain(stack)
                explained = True
    if error is not None:
        raise ValueError(error)
    pops = []
    while start > best_stack:
        pops.append(_top(start))
        start = _pop(start)
    return best, pops
