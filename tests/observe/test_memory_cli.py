"""pvm memory's command line: options, bad input, bounded snapshots (acceptance 6)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAM = """\
import sys
x = 10
if len(sys.argv) > 5:
    print("never")
def add(a, b):
    return a + b
print(add(x, 1), sys.argv[1:])
sys.exit(3 if "fail" in sys.argv else 0)
"""


def pvm_memory(tmp: Path, *args: str, source: str = PROGRAM) -> subprocess.CompletedProcess:
    """Write prog.py and run `pvm memory ARGS` in tmp."""
    (tmp / "prog.py").write_text(source)
    return subprocess.run(
        [sys.executable, "-m", "pvm", "memory", *args],
        cwd=tmp,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONHASHSEED="0"),
        timeout=300,
        check=False,
    )


def assert_clean_error(proc: subprocess.CompletedProcess, status: int, *words: str) -> None:
    """A message naming the problem, the given status, no pvm traceback."""
    assert proc.returncode == status, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    for word in words:
        assert word in proc.stderr


def test_help() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pvm", "memory", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("usage: pvm memory FILE [options]")
    for option in ("--at LINE:K", "--every-instruction", "--refs", "--max-objects", "-o FILE"):
        assert option in proc.stdout


def test_line_that_never_runs(tmp_path: Path) -> None:
    proc = pvm_memory(tmp_path, "prog.py", "--at", "4")
    assert proc.stdout.startswith("11 []\n")  # the program ran and its output is kept
    assert_clean_error(proc, 1, "--at 4: line 4 of prog.py never ran")


def test_kth_time_never_reached(tmp_path: Path) -> None:
    proc = pvm_memory(tmp_path, "prog.py", "--at", "6:2")
    assert_clean_error(proc, 1, "line 6 of prog.py ran only 1 time(s)")


def test_line_beyond_the_file(tmp_path: Path) -> None:
    proc = pvm_memory(tmp_path, "prog.py", "--at", "99")
    assert proc.stdout == ""
    assert_clean_error(proc, 2, "line 99 is beyond the end of prog.py (8 lines)")


def test_line_without_code(tmp_path: Path) -> None:
    proc = pvm_memory(tmp_path, "prog.py", "--at", "1", source="# comment\nx = 1\n")
    assert_clean_error(proc, 2, "line 1 of prog.py has no code")


def test_unknown_function(tmp_path: Path) -> None:
    proc = pvm_memory(tmp_path, "prog.py", "--at", "nosuch")
    assert_clean_error(proc, 2, "no function named 'nosuch' in prog.py")


def test_function_never_called(tmp_path: Path) -> None:
    source = "def f():\n    pass\nprint('no call')\n"
    proc = pvm_memory(tmp_path, "prog.py", "--at", "f", source=source)
    assert proc.stdout.startswith("no call\n")
    assert_clean_error(proc, 1, "function f was never called")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--bogus", "prog.py"], ["unknown option --bogus"]),
        (["--format", "xml", "prog.py"], ["invalid choice: 'xml'"]),
        (["--max-objects", "0", "prog.py"], ["expected a positive integer"]),
        (["--at", "3:x", "prog.py"], ["K in LINE:K"]),
        (["--at", "1+2", "prog.py"], ["expected LINE, LINE:K or a function name"]),
        ([], ["no program given"]),
        (["-m", "json.tool"], ["-m: pvm memory runs a program file only"]),
        (["-c", "print(1)"], ["-c: pvm memory runs a program file only"]),
    ],
)
def test_bad_options(tmp_path: Path, args: list[str], words: list[str]) -> None:
    proc = pvm_memory(tmp_path, *args)
    assert_clean_error(proc, 2, *words)


def test_missing_file(tmp_path: Path) -> None:
    proc = pvm_memory(tmp_path, "nope.py")
    assert_clean_error(proc, 2, "can't open file 'nope.py'")


def test_syntax_error_reported_as_python_does(tmp_path: Path) -> None:
    proc = pvm_memory(tmp_path, "prog.py", source="x = (\n")
    assert proc.returncode == 1
    assert "SyntaxError" in proc.stderr and "pvm/" not in proc.stderr


def test_program_arguments_and_exit_status_kept(tmp_path: Path) -> None:
    proc = pvm_memory(tmp_path, "prog.py", "one", "--", "--two", "fail")
    assert proc.returncode == 3
    assert proc.stdout.startswith("11 ['one', '--two', 'fail']\n")
    assert "exit status 3" in proc.stdout


def test_output_file_is_written_and_stdout_is_the_programs(tmp_path: Path) -> None:
    proc = pvm_memory(tmp_path, "--format", "json", "-o", "out.json", "prog.py")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "11 []\n"
    doc = json.loads((tmp_path / "out.json").read_text())
    assert doc["schema_version"] == 1 and doc["exit_status"] == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".pvm-memory-")] == []


PRINTS_EVERYWHERE = """\
import os, subprocess, sys
print("from print")
os.write(1, b"from fd 1\\n")
subprocess.run([sys.executable, "-c", "print('from a child')"], check=True)
x = 10
"""


@pytest.mark.parametrize("fmt", ["json", "dot"])
def test_report_on_stdout_stays_parseable(tmp_path: Path, fmt: str) -> None:
    """A json or dot report on stdout is all stdout holds: the program's output, by print,
    by its descriptor and by a child, goes to stderr meanwhile."""
    proc = pvm_memory(tmp_path, "--format", fmt, "prog.py", source=PRINTS_EVERYWHERE)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == ["from print", "from fd 1", "from a child"]
    if fmt == "json":
        assert json.loads(proc.stdout)["exit_status"] == 0
    else:
        text = proc.stdout.strip()
        assert text.startswith("digraph ") and text.endswith("}"), text[:200]


def test_unwritable_output(tmp_path: Path) -> None:
    proc = pvm_memory(tmp_path, "-o", "no/such/dir/out.txt", "prog.py")
    assert_clean_error(proc, 1, "cannot write 'no/such/dir/out.txt'")


def test_million_objects_bounded(tmp_path: Path) -> None:
    source = "data = [[i] for i in range(1_000_000)]\nprint(len(data))\n"
    proc = pvm_memory(tmp_path, "--format", "json", "-o", "out.json", "prog.py", source=source)
    assert proc.returncode == 0, proc.stderr
    heap = json.loads((tmp_path / "out.json").read_text())["snapshots"][0]["heap"]
    assert len(heap["objects"]) == heap["max_objects"] == 500
    assert heap["left_out"] >= 999_500
    (big,) = [o for o in heap["objects"] if o["value"] == "list len=1000000"]
    assert big["truncated"] is True and len(big["refs"]) == 500


def test_max_objects_in_text(tmp_path: Path) -> None:
    source = "data = list(range(100, 200))\n"
    proc = pvm_memory(tmp_path, "--max-objects", "10", "prog.py", source=source)
    assert proc.returncode == 0, proc.stderr
    assert (
        "10 objects shown; 91 more reference(s) to objects left out (--max-objects 10)"
        in proc.stdout
    )


def test_max_snapshots_and_max_steps(tmp_path: Path) -> None:
    source = "total = 0\nfor i in range(50):\n    total += i\nprint(total)\n"
    proc = pvm_memory(
        tmp_path, "--every-line", "--max-snapshots", "3", "--format", "json", "-o", "o.json",
        "prog.py", source=source,
    )  # fmt: skip
    assert proc.returncode == 0 and proc.stdout == "1225\n"
    doc = json.loads((tmp_path / "o.json").read_text())
    assert len(doc["snapshots"]) == 3 and doc["snapshots_left_out"] > 90
    proc = pvm_memory(
        tmp_path, "--every-line", "--max-steps", "5", "--format", "json", "-o", "o.json",
        "prog.py", source=source,
    )  # fmt: skip
    assert proc.returncode == 0 and proc.stdout == "1225\n"
    doc = json.loads((tmp_path / "o.json").read_text())
    assert len(doc["snapshots"]) == 5 and doc["stopped_at_max_steps"] is True


SETTRACE = """\
import sys
def f(x):
    y = x + 1
    return y
f(1)
events = []
def tracer(frame, event, arg):
    events.append((event, frame.f_code.co_name, frame.f_lineno))
    return tracer
sys.settrace(tracer)
f(2)
sys.settrace(None)
print(events, sys.gettrace())
f(3)
"""


@pytest.mark.parametrize("mode", [[], ["--at", "f"], ["--every-line"], ["--refs"]])
def test_guest_settrace_works_under_observation(tmp_path: Path, mode: list[str]) -> None:
    (tmp_path / "prog.py").write_text(SETTRACE)
    expected = subprocess.run(
        [sys.executable, "prog.py"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    proc = pvm_memory(tmp_path, "-o", "report.txt", *mode, "prog.py", source=SETTRACE)
    assert (proc.stdout, proc.returncode) == (expected.stdout, 0), proc.stderr


def test_deep_recursion_shows_innermost_frames(tmp_path: Path) -> None:
    source = "def down(n):\n    if n == 0:\n        return 0\n    return down(n - 1)\ndown(500)\n"
    proc = pvm_memory(
        tmp_path, "--format", "json", "-o", "o.json", "--at", "3", "prog.py", source=source
    )
    assert proc.returncode == 0, proc.stderr
    (thread,) = json.loads((tmp_path / "o.json").read_text())["snapshots"][0]["threads"]
    assert len(thread["frames"]) == 100 and thread["frames_left_out"] == 402
    assert (
        thread["frames"][-1]["args"] and thread["frames"][0]["return_address"]["function"] == "down"
    )


def test_keyboard_interrupt_ends_as_pvm_run_does(tmp_path: Path) -> None:
    source = "print('before')\nraise KeyboardInterrupt\n"
    (tmp_path / "prog.py").write_text(source)
    expected = subprocess.run(
        [sys.executable, "-m", "pvm", "run", "prog.py"],
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    proc = pvm_memory(tmp_path, "-o", "report.txt", "prog.py", source=source)
    assert proc.returncode == expected.returncode == -2
    assert proc.stdout == "before\n" and (tmp_path / "report.txt").exists()
