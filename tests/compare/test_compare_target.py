"""TARGET, --items and --args: what pvm compare accepts and the message for what it does not."""

from __future__ import annotations

import pytest

from pvm.compare.target import BUILTINS, TargetError, parse_target


def test_builtin_workloads_have_their_own_items() -> None:
    for name in BUILTINS:
        target = parse_target(name)
        assert target.kind == "builtin"
        items = target.items_for("pvm", 8, quick=False)
        assert len(items) == 8
    # pvm's countdown is shorter than python3's: both take about as long.
    cpu = parse_target("cpu")
    assert cpu.items_for("pvm", 1, False)[0] < cpu.items_for("python3", 1, False)[0]
    assert cpu.items_for("pvm", 1, True)[0] < cpu.items_for("pvm", 1, False)[0]


def test_module_and_file_targets(tmp_path) -> None:
    target = parse_target("mypkg.mod:work", items="[1, 2, 3]", args='["x"]')
    assert (target.kind, target.name, target.function) == ("module", "mypkg.mod", "work")
    assert target.items_for("python3", 8, False) == [1, 2, 3]
    assert target.args == ["x"]
    program = tmp_path / "prog.py"
    program.write_text("def f(): pass\n")
    target = parse_target(f"{program}:f")
    assert (target.kind, target.name) == ("file", str(program))
    assert target.items_for("pvm", 4, False) == [None] * 4  # f(*args), 4 times
    assert parse_target("m:f", items="3").items == [0, 1, 2]


@pytest.mark.parametrize(
    ("text", "items", "args", "message"),
    [
        ("nothing", None, None, "TARGET is MODULE:FUNCTION"),
        ("mod:", None, None, "TARGET is MODULE:FUNCTION"),
        ("mod:1f", None, None, "is not a function's name"),
        ("no/such.py:f", None, None, "no file no/such.py"),
        ("bad-name:f", None, None, "is not a module's name"),
        ("cpu", "[1]", None, "takes no --items"),
        ("m:f", "[]", None, "non-empty JSON list"),
        ("m:f", "{", None, "--items: not a JSON list"),
        ("m:f", "0", None, "at least 1"),
        ("m:f", None, "3", "--args: expected a JSON list"),
    ],
)
def test_bad_targets_say_why(text, items, args, message) -> None:
    with pytest.raises(TargetError, match=message):
        parse_target(text, items, args)
