"""`pvm gil` end to end: deterministic tables and traces, valid Chrome traces, clean errors."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

import pytest
from helpers import PYTHON, base_env, run
from test_gil_trace import validate_chrome_trace

from pvm.cli_gil import parse_gil_args

PVM_GIL = (PYTHON, "-m", "pvm", "gil")
PVM_RUN = (PYTHON, "-m", "pvm", "run")

TWO_THREADS = """\
import threading

def work(n):
    total = 0
    for i in range(n):
        total += square(i)
    return total

def square(x):
    return x * x

results = {}

def job(name, n):
    results[name] = work(n)

threads = [threading.Thread(target=job, args=(f"w{i}", 400), name=f"worker-{i}") for i in (1, 2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sorted(results.items()))
"""


@pytest.fixture
def program(tmp_path: Path) -> Path:
    """A small two-thread program in a fresh directory."""
    path = tmp_path / "two.py"
    path.write_text(TWO_THREADS)
    return path


def gil(tmp_path: Path, *args: str) -> tuple[str, str, int]:
    """Run `pvm gil ARGS` in tmp_path; return stdout, stderr and the exit status."""
    out = run([*PVM_GIL, *args], tmp_path, env={"COLUMNS": "60"})
    return out.stdout, out.stderr, out.returncode


def deterministic(tmp_path: Path, seed: int, tag: str) -> tuple[str, str, str, str]:
    """Run the program under the deterministic schedule; return stdout, report, trace, JSON."""
    trace, data = tmp_path / f"trace-{tag}.json", tmp_path / f"gil-{tag}.json"
    stdout, stderr, status = gil(
        tmp_path,
        "--schedule",
        "deterministic",
        "--seed",
        str(seed),
        "--slots",
        "all",
        "--chrome-trace",
        str(trace),
        "--json",
        str(data),
        "two.py",
    )
    assert status == 0, stderr
    report = stderr.replace(f"wrote {trace}", "wrote TRACE").replace(f"wrote {data}", "wrote JSON")
    return stdout, report, trace.read_text(), data.read_text()


def test_deterministic_runs_are_byte_identical(tmp_path: Path, program: Path) -> None:
    """Same seed: the same tables, statistics, Chrome trace and JSON, byte for byte."""
    first = deterministic(tmp_path, 7, "a")
    second = deterministic(tmp_path, 7, "b")
    assert first == second
    _stdout, report, trace, _ = first
    assert "Time slots" in report and "Per-thread GIL statistics" in report
    assert "worker-1" in report and "worker-2" in report and "MainThread" in report
    assert "ticks of the virtual clock" in report
    # Both workers held the GIL more than once: they really were interleaved.
    doc = json.loads(first[3])
    holders = [s["holder"] for s in doc["slots"]]
    assert max(holders.count(2), holders.count(3)) > 1, holders
    validate_chrome_trace(json.loads(trace))


def test_different_seeds_give_different_interleavings(tmp_path: Path, program: Path) -> None:
    """Seeds 1 and 2 give different sequences of slot holders and lengths."""
    runs = {}
    for seed in (1, 2):
        doc = json.loads(deterministic(tmp_path, seed, str(seed))[3])
        runs[seed] = [(s["holder"], s["end"] - s["start"]) for s in doc["slots"]]
    assert runs[1] != runs[2]


def test_program_output_and_status_are_as_under_pvm_run(tmp_path: Path) -> None:
    """The program's stdout is untouched, the report goes to stderr, the exit status is kept."""
    (tmp_path / "p.py").write_text(
        "import sys, threading\n"
        "t = threading.Thread(target=print, args=('from a thread',))\n"
        "t.start(); t.join()\n"
        "print('done')\n"
        "sys.exit(3)\n"
    )
    expected = run([*PVM_RUN, "p.py"], tmp_path)
    stdout, stderr, status = gil(tmp_path, "p.py")
    assert (stdout, status) == (expected.stdout, 3) == ("from a thread\ndone\n", 3)
    assert stderr.startswith("pvm gil: p.py: policy new")
    assert "Time slots" in stderr


def test_chrome_trace_of_a_real_run_validates(tmp_path: Path, program: Path) -> None:
    """Under the os schedule too: named tracks, ordered non-overlapping held slices."""
    _stdout, stderr, status = gil(tmp_path, "--chrome-trace", "t.json", "two.py")
    assert status == 0, stderr
    doc = json.loads((tmp_path / "t.json").read_text())
    slices = validate_chrome_trace(doc)
    names = {e["args"]["name"] for e in doc["traceEvents"] if e["name"] == "thread_name"}
    assert {"MainThread", "worker-1", "worker-2"} <= names
    assert all(any(e["name"] == "GIL held" for e in s) for s in slices.values())
    assert doc["otherData"]["policy"] == "new"
    assert doc["otherData"]["switch_interval_s"] == 0.005


def test_slots_limit_says_how_many_were_left_out(tmp_path: Path, program: Path) -> None:
    """--slots 2 shows two rows and a line counting the rest."""
    _, stderr, status = gil(
        tmp_path, "--schedule", "deterministic", "--seed", "1", "--slots", "2", "two.py"
    )
    assert status == 0
    assert "| T2 " in stderr and "| T3 " not in stderr
    assert "more slots not shown" in stderr


def test_help_goes_to_stdout(tmp_path: Path) -> None:
    """-h prints the usage and options and exits 0."""
    stdout, _, status = gil(tmp_path, "-h")
    assert status == 0 and "--chrome-trace FILE" in stdout and "--slots N" in stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--slots", "0", "x.py"], "--slots expects a positive number"),
        (["--slots", "-3", "x.py"], "--slots expects a positive number"),
        (["--slots", "many", "x.py"], "--slots expects a positive number"),
        (["--slots"], "--slots expects a value"),
        (["--json", "", "x.py"], "--json expects a file name"),
        (["--bogus", "x.py"], "unknown option --bogus"),
    ],
)
def test_bad_options_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    """A bad option value or an unknown option: a message, the usage line, status 2."""
    _stdout, stderr, status = gil(tmp_path, *args)
    assert status == 2 and message in stderr and "usage: pvm gil" in stderr, stderr
    assert "Traceback" not in stderr


def test_missing_program_is_reported_as_pvm_run_does(tmp_path: Path) -> None:
    """A file that does not exist: pvm run's message and status, no report, no traceback."""
    expected = run([*PVM_RUN, "nope.py"], tmp_path)
    _stdout, stderr, status = gil(tmp_path, "nope.py")
    assert status == expected.returncode == 2
    assert "can't open file" in stderr and "Traceback" not in stderr


@pytest.mark.parametrize("option", ["--chrome-trace", "--json"])
def test_unwritable_output_path_fails_before_running(
    tmp_path: Path, program: Path, option: str
) -> None:
    """A path in a missing directory: a clear error, status 2, and the program never ran."""
    stdout, stderr, status = gil(tmp_path, option, "no/such/dir/t.json", "two.py")
    assert status == 2 and "cannot write no/such/dir/t.json" in stderr, stderr
    assert stdout == "" and "Traceback" not in stderr


def test_run_options_and_guest_arguments_are_told_apart() -> None:
    """Own options anywhere before the program; run options keep their values; the guest's argv is its own."""
    request = parse_gil_args(
        ["--gil", "legacy", "--slots", "5", "--seed=3", "-B", "prog.py", "--slots", "9", "x"]
    )
    assert request.slots == 5
    assert request.run_args == ["--gil", "legacy", "--seed=3", "-B", "prog.py", "--slots", "9", "x"]
    request = parse_gil_args(["--json", "j.json", "-c", "print(1)", "--json", "k"])
    assert request.json_path == "j.json"
    assert request.run_args == ["-c", "print(1)", "--json", "k"]


def test_report_text_is_fixed_width_when_not_a_terminal(tmp_path: Path, program: Path) -> None:
    """COLUMNS does not change the report when stderr is a pipe (golden text stays stable)."""
    env = base_env({"COLUMNS": "40"})
    args = [*PVM_GIL, "--schedule", "deterministic", "--seed", "1", "two.py"]
    narrow = run(args, tmp_path, env=env).stderr
    wide = run(args, tmp_path, env={"COLUMNS": "300"}).stderr
    assert narrow == wide
    assert max(len(line) for line in narrow.splitlines()) <= 120


def test_header_says_when_the_program_changed_the_switch_interval(tmp_path: Path) -> None:
    """sys.setswitchinterval in the guest shows next to the configured interval."""
    (tmp_path / "p.py").write_text("import sys\nsys.setswitchinterval(0.001)\n")
    _, stderr, status = gil(tmp_path, "--switch-interval", "0.002", "p.py")
    assert status == 0
    assert stderr.startswith(
        "pvm gil: p.py: policy new, switch interval 2 ms (the program set 1 ms), schedule os\n"
    ), stderr


def test_ctrl_c_in_a_deadlocked_program_ends_it_with_the_report(tmp_path: Path) -> None:
    """The program's threads deadlock; Ctrl-C ends it as under python3 and the report still shows."""
    (tmp_path / "dead.py").write_text(
        "import threading\n"
        "lock = threading.Lock()\n"
        "lock.acquire()\n"
        "def wait():\n"
        "    lock.acquire()\n"
        # A daemon: shutdown must not wait for it wherever the Ctrl-C lands (before the
        # join, CPython too would wait for a non-daemon thread until a second Ctrl-C).
        "t = threading.Thread(target=wait, name='stuck', daemon=True)\n"
        "t.start()\n"
        "print('ready', flush=True)\n"
        "t.join()\n"
    )
    proc = subprocess.Popen(
        [*PVM_GIL, "dead.py"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=base_env(),
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == -signal.SIGINT, stderr
    assert "KeyboardInterrupt" in stderr and "Time slots" in stderr
    assert "| stuck " in stderr  # the thread stuck on the lock has its column


WAITS = """\
import threading, time, queue
ev = threading.Event(); q = queue.Queue(); lock = threading.Lock(); b = threading.Barrier(2)
def on_event(): ev.wait()
def on_queue(): q.get()
def on_lock():
    with lock:
        pass
def on_barrier(): b.wait()
lock.acquire()
ts = [threading.Thread(target=f, name=f.__name__) for f in (on_event, on_queue, on_lock, on_barrier)]
for t in ts: t.start()
time.sleep(0.2)
ev.set(); q.put(1); lock.release(); b.wait()
for t in ts: t.join()
"""


def test_blocked_cells_name_what_each_thread_waits_for(tmp_path: Path) -> None:
    """A blocked thread's cell says what it waits for: an event, a queue, a lock, a
    barrier, a sleep, a join (not "Blocked (I/O)" for all)."""
    (tmp_path / "waits.py").write_text(WAITS)
    _out, err, status = gil(tmp_path, "--json", "g.json", "waits.py")
    assert status == 0, err
    doc = json.loads((tmp_path / "g.json").read_text())
    on: dict[str, set[str]] = {}
    for e in doc["events"]:
        if e["reason"] == "BLOCKING" or e["kind"] == "BLOCK_START":
            on.setdefault(e["name"], set()).add(e["on"])
    assert on["on_event"] == {"event"} and on["on_queue"] == {"queue"}
    assert on["on_lock"] == {"lock"} and on["on_barrier"] == {"barrier"}
    assert {"sleep", "join", "event"} <= on["MainThread"]  # Thread.start waits on an Event
    cells = {c for slot in doc["slots"] for c in slot["cells"].values()}
    assert {"Blocked (queue)", "Blocked (lock)", "Blocked (event)"} <= cells
    assert "Blocked (I/O)" not in cells
