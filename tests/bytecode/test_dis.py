"""The disassembler: golden output in `python3 -m dis` layout, and its data functions."""

from __future__ import annotations

import io
import re

from bytecode_samples import assemble, make_code, sample_function, sample_module

from pvm.bytecode import dis
from pvm.bytecode.code import Position


def hide_addresses(text: str) -> str:
    return re.sub(r" at 0x[0-9a-f]+", " at 0x...", text)


GOLDEN_MODULE = """\
  1           0 LOAD_CONST               0 (<code object f at 0x..., file "sample.py", line 1>)
              4 MAKE_FUNCTION            0
              8 STORE_NAME               0 (f)
             12 LOAD_CONST               2 (None)
             16 RETURN_VALUE

Disassembly of <code object f at 0x..., file "sample.py", line 1>:
  2           0 NOP
              4 LOAD_FAST                0 (a)
              8 LOAD_FAST                1 (b)
             12 BINARY_OP                0 (+)
             16 STORE_DEREF              0 (c)
             20 JUMP_FORWARD            13 (to 52)

  3     >>   24 PUSH_EXC_INFO
             28 LOAD_GLOBAL              0 (ValueError)
             32 CHECK_EXC_MATCH
             36 POP_JUMP_IF_FALSE       12 (to 48)
             40 POP_TOP
             44 POP_EXCEPT
        >>   48 RERAISE                  0

  4     >>   52 LOAD_DEREF               0 (c)
             56 RETURN_VALUE
ExceptionTable:
  4 to 16 -> 24 [0]
  24 to 48 -> 48 [1] lasti
"""


def test_golden_module():
    assert hide_addresses(dis.format_code(sample_module())) == GOLDEN_MODULE


def test_dis_prints_to_file():
    out = io.StringIO()
    dis.dis(sample_module(), file=out)
    assert hide_addresses(out.getvalue()) == GOLDEN_MODULE


def test_not_recursive():
    text = dis.format_code(sample_module(), recursive=False)
    assert "Disassembly of" not in text


def test_argument_resolution():
    consts = (None, "s", (1, 2), 1.5)
    code = assemble(
        ("LOAD_CONST", 1),
        ("LOAD_CONST", 2),
        ("BINARY_OP", 13),
        ("COMPARE_OP", 3),
        ("FORMAT_VALUE", 2),
        ("FORMAT_VALUE", 4),
        ("FORMAT_VALUE", 7),
        ("MAKE_FUNCTION", 0x0B),
        ("CALL", 2),
        ("IS_OP", 1),
        ("LOAD_CLOSURE", 1),
        ("LOAD_DEREF", 0),
        ("FOR_ITER", 0),
        "RETURN_VALUE",
    )
    co = make_code(co_code=code, co_consts=consts, co_cellvars=("c",), co_freevars=("f",))
    reprs = [(i.opname, i.arg, i.argrepr) for i in dis.get_instructions(co)]
    assert reprs == [
        ("LOAD_CONST", 1, "'s'"),
        ("LOAD_CONST", 2, "(1, 2)"),
        ("BINARY_OP", 13, "+="),
        ("COMPARE_OP", 3, "!="),
        ("FORMAT_VALUE", 2, "repr"),
        ("FORMAT_VALUE", 4, "with format"),
        ("FORMAT_VALUE", 7, "ascii, with format"),
        ("MAKE_FUNCTION", 11, "defaults, kwdefaults, closure"),
        ("CALL", 2, ""),
        ("IS_OP", 1, ""),
        ("LOAD_CLOSURE", 1, "f"),
        ("LOAD_DEREF", 0, "c"),
        ("FOR_ITER", 0, "to 0"),
        ("RETURN_VALUE", None, ""),
    ]
    first = next(dis.get_instructions(co))
    assert first.is_jump_target and first.starts_line == 1 and first.argval == "s"


def test_wide_line_numbers_and_offsets():
    n = 2600  # last offset 10396 >= 10000: the offset column widens to 5
    code = assemble(*(["NOP"] * (n - 2)), ("LOAD_CONST", 0), "RETURN_VALUE")
    positions = tuple(Position(1000 + i // 1000, None, None, None) for i in range(n))
    text = dis.format_code(make_code(co_code=code, co_linetable=positions))
    lines = text.splitlines()
    assert lines[0] == "1000            0 NOP"
    assert lines[-1] == " " * 12 + "10396 RETURN_VALUE"
    assert "\n1001         4000 NOP\n" in text


def test_no_line_numbers():
    code = assemble(("LOAD_CONST", 0), "RETURN_VALUE")
    positions = (Position(None, None, None, None),) * 2
    text = dis.format_code(make_code(co_code=code, co_linetable=positions))
    assert (
        text == " " * 10 + "0 LOAD_CONST               0 (None)\n" + " " * 10 + "4 RETURN_VALUE\n"
    )


def test_unknown_opcode_and_bad_index_do_not_crash():
    code = b"\xee\x05\x00\x00" + assemble(("LOAD_NAME", 9), "RETURN_VALUE")
    text = dis.format_code(make_code(co_code=code))
    assert "<238>                    5" in text
    assert "LOAD_NAME                9\n" in text


def test_nested_code_depth_first():
    inner = sample_function().replace(co_name="g", co_qualname="f.<locals>.g")
    outer = sample_function().replace(co_consts=(None, inner))
    module = make_code(co_consts=(outer, None, make_code(co_name="h")))
    headers = [
        line for line in dis.format_code(module).splitlines() if line.startswith("Disassembly")
    ]
    assert [h.split()[4] for h in headers] == ["f", "g", "h"]


def test_line_starts_skip_repeats_and_none():
    code = assemble("NOP", "NOP", "NOP", "NOP", ("LOAD_CONST", 0), "RETURN_VALUE")
    positions = (
        Position(3, 3, 0, 1),
        Position(None, None, None, None),
        Position(3, 3, 0, 1),
        Position(5, 5, 0, 1),
        Position(3, 3, 0, 1),
        Position(3, 3, 0, 1),
    )
    co = make_code(co_code=code, co_linetable=positions)
    assert list(dis.findlinestarts(co)) == [(0, 3), (12, 5), (16, 3)]
