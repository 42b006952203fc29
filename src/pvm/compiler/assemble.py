"""Assembler: basic blocks, exception regions, stack depth, jump resolution and tables."""

from __future__ import annotations

from typing import Any

from pvm.bytecode import opcode as op
from pvm.bytecode.code import CodeObject, ExceptionTableEntry, Position
from pvm.config import config

# Pipeline, per code object (as CPython 3.11's assemble()):
#
#   instrs (with LABEL / SETUP_* / POP_BLOCK / JUMP pseudo-instructions)
#     -> _split                      basic blocks; labels resolved to blocks
#     -> _label_exception_targets    innermost handler of every instruction
#     -> _stack_depth                start depth of every block; co_stacksize
#     -> _check_unbound_locals       LOAD_FAST -> LOAD_FAST_CHECK where needed
#     -> _thread_jumps               JUMP to a JUMP goes straight to the target
#     -> layout                      pseudo-instructions (and line-less jumps to the
#                                    next instruction) dropped, jumps resolved to
#                                    instruction indexes, exception table rows built
#                                    from runs of instructions with the same handler
#
# A handler's depth is the depth at its SETUP_*; SETUP_CLEANUP and SETUP_WITH
# handlers also get lasti:   [... depth items ..., lasti?, exc]

# Pseudo-instructions the code generator emits and the assembler removes.
# SETUP_* open a handler region (the handler is the jump target), POP_BLOCK closes
# it; JUMP / JUMP_NO_INTERRUPT become JUMP_FORWARD or JUMP_BACKWARD(_NO_INTERRUPT).
LABEL = -1
SETUP_FINALLY = 300
SETUP_CLEANUP = 301
SETUP_WITH = 302
POP_BLOCK = 303
JUMP = 304
JUMP_NO_INTERRUPT = 305
# Emits nothing; gives its line to the artificial instructions after it (CPython's NOP
# for `pass`, which its optimizer removes the same way).
LINE_NOP = 306

SETUPS = (SETUP_FINALLY, SETUP_CLEANUP, SETUP_WITH)
# Depth the handler starts at, above the depth at the SETUP, and whether it gets lasti.
_SETUP_PUSH = {SETUP_FINALLY: (1, False), SETUP_CLEANUP: (2, True), SETUP_WITH: (1, True)}
_JUMPS = op.JUMPS | {JUMP, JUMP_NO_INTERRUPT} | set(SETUPS)
_TERMINATORS = op.UNCONDITIONAL | {JUMP, JUMP_NO_INTERRUPT}


class Label:
    """A jump target; the code generator places it with a LABEL pseudo-instruction."""

    __slots__ = ("block",)

    def __init__(self) -> None:
        self.block: Block | None = None


class Block:
    """A basic block: straight-line instructions entered only at the top."""

    __slots__ = (
        "except_stack",
        "handler_lasti",
        "index",
        "instrs",
        "next",
        "startdepth",
        "unsafe",
        "visited",
    )

    def __init__(self) -> None:
        self.instrs: list[list] = []
        self.next: Block | None = None
        self.startdepth = -1
        self.except_stack: list | None = None
        self.visited = False
        self.index = 0
        self.unsafe = -1
        self.handler_lasti = False


def _stack_effect(opc: int, arg: int, jump: bool | None) -> int:
    if opc >= SETUP_FINALLY:
        if opc in SETUPS:
            return _SETUP_PUSH[opc][0] if jump else 0
        return 0
    return op.stack_effect(opc, arg, jump)


def _split(instrs: list) -> list[Block]:
    """Cut the instruction list into basic blocks, resolving labels to blocks."""
    blocks: list[Block] = []
    cur = Block()
    blocks.append(cur)
    for ins in instrs:
        opc = ins[0]
        if opc == LABEL:
            if cur.instrs:
                new = Block()
                cur.next = new
                blocks.append(new)
                cur = new
            ins[1].block = cur
            continue
        cur.instrs.append(ins)
        if opc in _TERMINATORS or opc in _JUMPS:
            new = Block()
            if opc not in _TERMINATORS:
                cur.next = new
            blocks.append(new)
            cur = new
    return blocks


def _label_exception_targets(entry: Block) -> None:
    """Give every reachable instruction its innermost handler block (CPython's algorithm)."""
    entry.except_stack = []
    entry.visited = True
    todo = [entry]
    while todo:
        block = todo.pop()
        stack = list(block.except_stack)
        for ins in block.instrs:
            opc = ins[0]
            if opc in SETUPS:
                target = ins[1].block
                if not target.visited:
                    target.visited = True
                    target.except_stack = list(stack)
                    todo.append(target)
                stack.append(ins)
                ins[3] = stack[-2] if len(stack) > 1 else None
            elif opc == POP_BLOCK:
                if stack:
                    stack.pop()
                ins[3] = stack[-1] if stack else None
            else:
                ins[3] = stack[-1] if stack else None
                if opc in _JUMPS:
                    target = ins[1].block
                    if not target.visited:
                        target.visited = True
                        target.except_stack = list(stack)
                        todo.append(target)
        nxt = block.next
        if nxt is not None and not nxt.visited:
            nxt.visited = True
            nxt.except_stack = stack
            todo.append(nxt)


def _stack_depth(entry: Block, blocks: list[Block]) -> int:
    """Compute every reachable block's start depth and return the maximum depth."""
    maxdepth = 0
    entry.startdepth = 0
    todo = [entry]

    def reach(block: Block, depth: int) -> None:
        if block.startdepth < 0:
            block.startdepth = depth
            todo.append(block)
        elif block.startdepth != depth:
            raise SystemError(
                f"pvm compiler: inconsistent stack depth {block.startdepth} != {depth}"
            )

    while todo:
        block = todo.pop()
        depth = block.startdepth
        fell = True
        for ins in block.instrs:
            opc, arg = ins[0], ins[1]
            if opc in _JUMPS:
                target_depth = depth + _stack_effect(
                    opc, 0 if isinstance(arg, Label) else arg, True
                )
                maxdepth = max(maxdepth, target_depth)
                if opc in SETUPS:
                    arg.block.handler_lasti = _SETUP_PUSH[opc][1]
                reach(arg.block, target_depth)
                depth += _stack_effect(opc, 0, False)
            else:
                depth += _stack_effect(opc, arg, None)
            if depth < 0:
                raise SystemError(
                    f"pvm compiler: negative stack depth at {op.opname[opc] if opc < 256 else opc}"
                )
            maxdepth = max(maxdepth, depth)
            if opc in _TERMINATORS:
                fell = False
                break
        if fell and block.next is not None:
            reach(block.next, depth)
    return maxdepth


def _check_unbound_locals(entry: Block, blocks: list[Block], nparams: int, nlocals: int) -> None:
    """Turn LOAD_FAST into LOAD_FAST_CHECK wherever the local may be unbound."""
    if nlocals == 0:
        return
    all_mask = (1 << nlocals) - 1
    param_mask = (1 << nparams) - 1
    entry.unsafe = all_mask & ~param_mask
    todo = [entry]

    def merge(block: Block, mask: int) -> None:
        if block.unsafe < 0:
            block.unsafe = mask
            todo.append(block)
        elif mask & ~block.unsafe:
            block.unsafe |= mask
            todo.append(block)

    def walk(block: Block, rewrite: bool) -> None:
        mask = block.unsafe
        for ins in block.instrs:
            opc = ins[0]
            handler = ins[3]
            if handler is not None:
                merge(handler[1].block, mask)
            if opc == op.LOAD_FAST or opc == op.LOAD_FAST_CHECK:
                bit = 1 << ins[1]
                if mask & bit:
                    if rewrite:
                        ins[0] = op.LOAD_FAST_CHECK
                    mask &= ~bit
            elif opc == op.STORE_FAST:
                mask &= ~(1 << ins[1])
            elif opc == op.DELETE_FAST:
                mask |= 1 << ins[1]
            elif opc in _JUMPS and opc not in SETUPS:
                merge(ins[1].block, mask)
            if opc in _TERMINATORS:
                return
        if block.next is not None:
            merge(block.next, mask)

    while todo:
        walk(todo.pop(), False)
    for block in blocks:
        if block.unsafe >= 0:
            walk(block, True)


def _final_jump(block: Block) -> list | None:
    """Return the unconditional JUMP a block consists of (after pseudo-instructions), if any.

    A LINE_NOP counts as an instruction: a jump over it would lose its line's event.
    """
    for ins in block.instrs:
        if ins[0] == JUMP:
            return ins
        if ins[0] < SETUP_FINALLY or ins[0] == LINE_NOP:
            return None
    return None


_COPYABLE = frozenset((op.LOAD_CONST, op.LOAD_FAST, op.RETURN_VALUE))
_MAX_COPY_SIZE = 4


def _small_exit(block: Block) -> list | None:
    """Return the instructions of a short block that only loads and returns, if it is one."""
    instrs = block.instrs
    if not instrs or len(instrs) > _MAX_COPY_SIZE or instrs[-1][0] != op.RETURN_VALUE:
        return None
    if all(ins[0] in _COPYABLE for ins in instrs):
        return instrs
    return None


def _thread_jumps(blocks: list[Block]) -> None:
    """Point a JUMP to a block that only jumps on at that jump's target, and copy small exits.

    Runs after the flow analyses: a skipped jump has no stack effect, and every
    instruction (copies included) keeps the handler it was assigned. As CPython,
    a jump to `return` is replaced by the return itself.
    """
    for block in blocks:
        instrs = block.instrs
        for k, ins in enumerate(instrs):
            if ins[0] != JUMP:
                continue
            seen = 0
            while seen < 8:
                nxt = _final_jump(ins[1].block)
                if nxt is None or nxt is ins or nxt[1].block is ins[1].block:
                    break
                if _line_of(nxt) != _line_of(ins):
                    break  # as CPython's jump_thread: each line keeps its event
                ins[1] = nxt[1]
                seen += 1
            if k == len(instrs) - 1:
                exit_instrs = _small_exit(ins[1].block)
                if exit_instrs is not None:
                    # An artificial return takes the jump's line (or, if the jump has
                    # none either, the line of what precedes it).
                    jump_pos = ins[2]
                    instrs[k:] = [
                        [o, a, p if p is not None and p.lineno is not None else jump_pos, h]
                        for o, a, p, h in exit_instrs
                    ]
                    break


def _line_of(ins: list) -> int | None:
    pos = ins[2]
    return pos.lineno if pos is not None else None


def _next_real(blocks: list[Block], b: int, k: int) -> list | None:
    """Return the instruction (a LINE_NOP included) that follows blocks[b].instrs[k] in layout."""
    instrs = blocks[b].instrs
    for ins in instrs[k + 1 :]:
        if ins[0] < SETUP_FINALLY or ins[0] >= JUMP:
            return ins
    for block in blocks[b + 1 :]:
        for ins in block.instrs:
            if ins[0] < SETUP_FINALLY or ins[0] >= JUMP:
                return ins
    return None


def _keep_line_nops(blocks: list[Block]) -> None:
    """Turn a LINE_NOP into a real NOP where its line would otherwise have no instruction.

    As CPython's remove_redundant_nops: a `pass` (or `try:`, `break` ...) line keeps
    a NOP, so line tracing sees it, unless the instruction before it in its block or
    the one after it is on the same line, or the one after is artificial (it then
    takes the NOP's line).
    """
    for b, block in enumerate(blocks):
        prev_line = None
        for k, ins in enumerate(block.instrs):
            opc = ins[0]
            if opc != LINE_NOP:
                if opc < SETUP_FINALLY or opc == JUMP or opc == JUMP_NO_INTERRUPT:
                    line = _line_of(ins)
                    if line is not None:
                        prev_line = line
                continue
            line = _line_of(ins)
            if line is None or line == prev_line:
                continue
            nxt = _next_real(blocks, b, k)
            if nxt is not None:
                next_line = _line_of(nxt)
                if next_line == line:
                    continue
                # A line-less next instruction takes the NOP's line only in the same
                # block (clean_basic_block): a later block's may be reached other ways.
                if next_line is None and any(ins is nxt for ins in block.instrs):
                    continue
            ins[0] = op.NOP
            prev_line = line


def _reachable(entry: Block, blocks: list[Block]) -> list[Block]:
    """Drop blocks that jump threading and exit copying left unreachable."""
    seen = {id(entry)}
    todo = [entry]
    while todo:
        block = todo.pop()
        targets = []
        falls = True
        for ins in block.instrs:
            if ins[0] in _JUMPS:
                targets.append(ins[1].block)
            if ins[3] is not None:
                targets.append(ins[3][1].block)
            if ins[0] in _TERMINATORS:
                falls = False
                break
        if falls and block.next is not None:
            targets.append(block.next)
        for target in targets:
            if id(target) not in seen:
                seen.add(id(target))
                todo.append(target)
    return [b for b in blocks if id(b) in seen]


# -- line numbers of artificial instructions (CPython 3.11's duplicate_exits_without_lineno
# and propagate_line_numbers): an instruction the code generator left without a line
# takes the line of the instruction before it in its block, or, at a block's start, of
# the one way into the block (a fall-through or a jump) if there is only one. An exit
# block (an implicit `return None`, a re-raise) reached by several jumps is copied for
# each, so each copy takes its jump's line.

_EXITS = frozenset((op.RETURN_VALUE, op.RAISE_VARARGS, op.RERAISE))
_REAL_JUMPS = (op.JUMPS | {JUMP, JUMP_NO_INTERRUPT}) - set(SETUPS)


def _is_real(ins: list) -> bool:
    return ins[0] < SETUP_FINALLY or ins[0] == JUMP or ins[0] == JUMP_NO_INTERRUPT


def _no_line(ins: list) -> bool:
    return ins[2] is None or ins[2].lineno is None


def _first(block: Block) -> list | None:
    """Return a block's first instruction that will exist or give a line (LINE_NOP)."""
    for ins in block.instrs:
        if _is_real(ins) or ins[0] == LINE_NOP:
            return ins
    return None


def _falls_through(block: Block) -> bool:
    instrs = block.instrs
    return block.next is not None and not (instrs and instrs[-1][0] in _TERMINATORS)


def _predecessors(blocks: list[Block]) -> dict[int, int]:
    preds = {id(b): 0 for b in blocks}
    for block in blocks:
        for ins in block.instrs:
            if ins[0] in _JUMPS:
                target = id(ins[1].block)
                preds[target] = preds.get(target, 0) + 1
        if _falls_through(block):
            preds[id(block.next)] = preds.get(id(block.next), 0) + 1
    return preds


def _is_exit_without_lineno(block: Block) -> bool:
    real = [ins for ins in block.instrs if _is_real(ins) or ins[0] == LINE_NOP]
    if not real or real[-1][0] not in _EXITS:
        return False
    return all(_no_line(ins) for ins in real)


def _duplicate_exits_without_lineno(blocks: list[Block]) -> list[Block]:
    """Give each jump to a line-less exit block reached several ways its own copy."""
    preds = _predecessors(blocks)
    out = list(blocks)
    for block in blocks:
        if not block.instrs:
            continue
        last = block.instrs[-1]
        if last[0] not in _REAL_JUMPS:
            continue
        target = last[1].block
        if preds.get(id(target), 0) > 1 and _is_exit_without_lineno(target):
            copy = Block()
            copy.instrs = [list(ins) for ins in target.instrs]
            copy.startdepth = target.startdepth
            copy.visited = True
            copy.handler_lasti = target.handler_lasti
            first = _first(copy)
            if first is not None:
                first[2] = last[2]
            label = Label()
            label.block = copy
            last[1] = label
            preds[id(target)] -= 1
            preds[id(copy)] = 1
            out.insert(out.index(target) + 1, copy)
    return out


def _propagate_line_numbers(blocks: list[Block]) -> None:
    """Give line-less instructions the line of what comes before them (see above)."""
    preds = _predecessors(blocks)
    for block in blocks:
        prev = None
        last = None
        for ins in block.instrs:
            if not (_is_real(ins) or ins[0] == LINE_NOP):
                continue
            if _no_line(ins):
                if prev is not None:
                    ins[2] = prev
            else:
                prev = ins[2]
            if _is_real(ins):
                last = ins
        if prev is None:
            continue
        nxt = block.next
        if _falls_through(block) and preds.get(id(nxt)) == 1:
            first = _first(nxt)
            if first is not None and _no_line(first):
                first[2] = prev
        if last is not None and last[0] in _REAL_JUMPS:
            target = last[1].block
            if preds.get(id(target)) == 1:
                first = _first(target)
                if first is not None and _no_line(first):
                    first[2] = prev


def _guarantee_lineno_for_exits(blocks: list[Block], firstlineno: int) -> None:
    """A line-less block that returns takes the line of the block before it in the
    layout (the def's line at first), as CPython's guarantee_lineno_for_exits."""
    line = firstlineno
    for block in blocks:
        real = [ins for ins in block.instrs if _is_real(ins)]
        if not real:
            continue
        last = real[-1]
        if not _no_line(last):
            line = last[2].lineno
        elif last[0] == op.RETURN_VALUE:
            for ins in real:
                if _no_line(ins):
                    ins[2] = Position(line, line, None, None)


def _number(blocks: list[Block]) -> bool:
    """Give each block the index of its first instruction; drop a line-less JUMP to the
    very next instruction (CPython's NOP for it goes) and return True to number again."""
    index = 0
    for block in blocks:
        block.index = index
        for ins in block.instrs:
            if ins[0] < SETUP_FINALLY or ins[0] == JUMP or ins[0] == JUMP_NO_INTERRUPT:
                index += 1
    for block in blocks:
        for k, ins in enumerate(block.instrs):
            if ins[0] == JUMP and _no_line(ins) and ins[1].block.index == _index_after(block, k):
                del block.instrs[k]
                return True
    return False


def _index_after(block: Block, k: int) -> int:
    """Return the index the instruction after block.instrs[k] gets."""
    return block.index + sum(1 for ins in block.instrs[: k + 1] if _is_real(ins))


# An artificial instruction that no line reached alone (code generation unset the
# location, and propagation found no single line to give it) has no line, as in
# CPython: reaching it starts no line (no 'line' event) of its own.
_NO_POSITION = Position(None, None, None, None)


def assemble(unit: Any) -> CodeObject:
    """Turn a finished code unit into a CodeObject."""
    for ins in unit.instrs:
        if len(ins) == 3:
            ins.append(None)
    blocks = _split(unit.instrs)
    entry = blocks[0]
    _label_exception_targets(entry)
    blocks = [b for b in blocks if b.visited]
    stacksize = _stack_depth(entry, blocks)
    if unit.optimized:
        _check_unbound_locals(entry, blocks, unit.nparams, len(unit.varnames))
    _thread_jumps(blocks)
    blocks = _reachable(entry, blocks)
    _keep_line_nops(blocks)
    blocks = _duplicate_exits_without_lineno(blocks)
    _propagate_line_numbers(blocks)
    _guarantee_lineno_for_exits(blocks, unit.firstlineno)

    # Lay out: drop pseudo-instructions, number the rest.
    while _number(blocks):
        pass
    code = bytearray()
    positions: list[Position] = []
    handlers: list = []
    i = 0
    debug_ranges = config.code_debug_ranges
    for block in blocks:
        for ins in block.instrs:
            opc, arg, pos, handler = ins
            if opc >= SETUP_FINALLY:
                if opc == JUMP or opc == JUMP_NO_INTERRUPT:
                    target = arg.block.index
                    if target <= i:
                        opc = op.JUMP_BACKWARD if opc == JUMP else op.JUMP_BACKWARD_NO_INTERRUPT
                    else:
                        opc = op.JUMP_FORWARD
                    arg = target
                else:
                    continue
            elif opc in op.JUMPS:
                arg = arg.block.index
            if arg > op.MAX_ARG:
                raise SystemError("pvm compiler: instruction argument too large")
            code += (opc | (arg << 8)).to_bytes(4, "little")
            if pos is None or pos.lineno is None:
                pos = _NO_POSITION
            if not debug_ranges:  # -X no_debug_ranges: lines only, as CPython's tables
                pos = Position(pos.lineno, pos.lineno, None, None)
            positions.append(pos)
            handlers.append(handler)
            i += 1

    table: list[ExceptionTableEntry] = []
    start = 0
    current = None
    for j, handler in enumerate(handlers + [None]):
        if handler is not current:
            if current is not None:
                block = current[1].block
                lasti = block.handler_lasti
                depth = block.startdepth - 1 - (1 if lasti else 0)
                table.append(ExceptionTableEntry(start, j, block.index, depth, lasti))
            current = handler
            start = j

    return CodeObject(
        co_argcount=unit.argcount,
        co_posonlyargcount=unit.posonlyargcount,
        co_kwonlyargcount=unit.kwonlyargcount,
        co_stacksize=stacksize,
        co_flags=unit.flags,
        co_code=bytes(code),
        co_consts=tuple(unit.consts),
        co_names=tuple(unit.names),
        co_varnames=tuple(unit.varnames),
        co_freevars=tuple(unit.freevars),
        co_cellvars=tuple(unit.cellvars),
        co_filename=unit.filename,
        co_name=unit.name,
        co_qualname=unit.qualname,
        co_firstlineno=unit.firstlineno,
        co_linetable=tuple(positions),
        co_exceptiontable=tuple(table),
    )
