"""Run CPython's own regression tests under python3 and under pvm and compare what passes."""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

MODULES = [
    "test_grammar",
    "test_scope",
    "test_exceptions",
    "test_class",
    "test_augassign",
    "test_opcodes",
    "test_contextlib",
    "test_with",
    "test_raise",
    "test_keywordonlyarg",
    "test_dictcomps",
    "test_string_literals",
    "test_fstring",
    "test_patma",
    "test_super",
    "test_int",
    "test_list",
    "test_dict",
    "test_set",
    "test_bool",
    "test_builtin",
    "test_functools",  # its CachedPropertyTest.test_threaded hung with the library on the host
]
# The language's modules beside them (issue 15): functions, generators, coroutines, calls,
# comprehensions, types and descriptors, compile() and sys.settrace; --language.
LANGUAGE = [
    "test_except_star",
    "test_funcattrs",
    "test_generators",
    "test_coroutines",
    "test_call",
    "test_asyncgen",
    "test_genexps",
    "test_positional_only_arg",
    "test_dynamic",
    "test_decorators",
    "test_extcall",
    "test_unpack",
    "test_unpack_ex",
    "test_listcomps",
    "test_setcomps",
    "test_named_expressions",
    "test_global",
    "test_iter",
    "test_types",
    "test_descr",
    "test_property",
    "test_isinstance",
    "test_richcmp",
    "test_compile",
    "test_sys_settrace",
]
LATER = ["test_thread", "test_queue"]
# Builtin types and runtime modules (issue 15, item 5): each at 98% of python3's passes.
TYPES = [
    "test_copy",
    "test_collections",
    "test_tuple",
    "test_unicode",
    "test_bytes",
    "test_float",
    "test_complex",
    "test_long",
    "test_range",
    "test_slice",
    "test_sort",
    "test_print",
    "test_format",
    "test_weakref",
    "test_gc",
    "test_sys",
]
# test._test_multiprocessing by start method, through drivers as CPython's own
# test_multiprocessing_<method>.py (this host's 3.11 ships the tests, not the drivers).
MULTIPROCESSING = ["test_multiprocessing_forkserver", "test_multiprocessing_spawn"]
DRIVERS = Path(__file__).resolve().parents[1] / "tests" / "processes" / "cpython"
# CPython's test_asyncio is a package; each submodule runs on its own, the same way under both
# interpreters: `-m unittest -v test.test_asyncio.NAME` (so test ids are the dotted module path).
# test_windows_events and test_windows_utils are left out: they skip as a whole on Linux.
ASYNCIO = [
    f"test_asyncio.{name}"
    for name in (
        "test_base_events",
        "test_buffered_proto",
        "test_context",
        "test_events",
        "test_futures",
        "test_futures2",
        "test_locks",
        "test_pep492",
        "test_proactor_events",
        "test_protocols",
        "test_queues",
        "test_runners",
        "test_selector_events",
        "test_sendfile",
        "test_server",
        "test_sock_lowlevel",
        "test_ssl",
        "test_sslproto",
        "test_streams",
        "test_subprocess",
        "test_taskgroups",
        "test_tasks",
        "test_threads",
        "test_timeouts",
        "test_transports",
        "test_unix_events",
        "test_waitfor",
    )
]

# Modules whose `__main__` block is not unittest.main() (test_patma's runs a pyperf benchmark):
# both interpreters run them through DRIVER, which executes the file as a plain module (under
# pvm via pvm's own compile/exec) and hands it to unittest.main.
DRIVEN = {"test_patma"}
DRIVER = """\
import sys, types, unittest
path = sys.argv[1]
name = path.rsplit("/", 1)[-1].removesuffix(".py")
module = types.ModuleType(name)
module.__file__ = path
sys.modules[name] = module
with open(path, encoding="utf-8") as f:
    exec(compile(f.read(), path, "exec"), module.__dict__)
unittest.main(module=module, argv=[path, *sys.argv[2:]])
"""

# Modules whose tests are (mostly) doctests, which their load_tests adds as one
# doctest.DocTestSuite(): one test for hundreds of examples, and under `python3 FILE` the
# expected messages name test.NAME, not __main__.  Both interpreters import them as
# test.NAME through DOCTEST_DRIVER, which counts each doctest example as a test of its own
# (run in order in its docstring's globals, as doctest runs them).
DOCTESTS = {
    "test_generators",
    "test_genexps",
    "test_extcall",
    "test_unpack",
    "test_unpack_ex",
    "test_listcomps",
    "test_setcomps",
}
DOCTEST_DRIVER = """\
import doctest, importlib, sys, unittest

name = "test." + sys.argv[1]


class Example(unittest.TestCase):
    def __init__(self, test, index):
        super().__init__()
        self.test, self.index = test, index
        self.name = f"example_{index:03d}"

    def __str__(self):
        return f"{self.name} ({self.test.name}.{self.name})"

    def id(self):
        return f"{self.test.name}.{self.name}"

    def shortDescription(self):
        return None

    def runTest(self):
        t = self.test
        one = doctest.DocTest([t.examples[self.index]], t.globs, t.name, t.filename, t.lineno, "")
        one.globs = t.globs  # DocTest() copies them; the examples share them
        out = []
        if doctest.DocTestRunner(verbose=False).run(one, out=out.append, clear_globs=False).failed:
            self.fail("".join(out))


def by_example(module=None, **kwargs):
    suite = unittest.TestSuite()
    for test in sorted(doctest.DocTestFinder().find(sys.modules[name])):
        suite.addTests(Example(test, i) for i in range(len(test.examples)))
    return suite


doctest.DocTestSuite = by_example
unittest.main(module=importlib.import_module(name), argv=[name, *sys.argv[2:]])
"""

# A verbose unittest line starts with "name (module.Class.name)"; the verdict follows " ... ".
HEADER = re.compile(r"^(\w+) \(([\w.]+)\)", re.MULTILINE)
VERDICT = re.compile(
    r"(?:^|\.\.\. )(ok|FAIL|ERROR|skipped.*|expected failure|unexpected success)$", re.MULTILINE
)
SUMMARY_BAD = re.compile(r"^(?:FAIL|ERROR|UNEXPECTED SUCCESS): \w+ \(([\w.]+)\)", re.MULTILINE)
RAN = re.compile(r"^Ran (\d+) tests? in", re.MULTILINE)


def testdir() -> Path:
    """Return the directory of the host's `test` package (CPython's regression tests)."""
    out = subprocess.run(
        [sys.executable, "-c", "import test, os; print(os.path.dirname(test.__file__))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip())


@dataclass
class Run:
    """What one interpreter did with one test module."""

    passed: set[str] = field(default_factory=set)
    ran: int | None = None
    status: str = "ok"
    seconds: float = 0.0
    tail: str = ""


def parse(output: str) -> tuple[set[str], int | None]:
    """Return the ids of tests reported `ok` in verbose unittest output, and the `Ran N` count."""
    passed = set()
    headers = list(HEADER.finditer(output))
    for i, m in enumerate(headers):
        end = headers[i + 1].start() if i + 1 < len(headers) else len(output)
        # The verdict may sit on a later line when the test printed something or has a docstring.
        verdict = VERDICT.search(output, m.end(), end)
        if verdict and verdict.group(1) == "ok":
            passed.add(m.group(2))
    passed -= set(SUMMARY_BAD.findall(output))
    ran = RAN.search(output)
    return passed, int(ran.group(1)) if ran else None


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_module(cmd: list[str], target: list[str], timeout: float, log: Path | None = None) -> Run:
    """Run one test target (a file, or `-m unittest NAME`) with -v in a scratch directory.

    The output goes to a file as it is written (log, if given, else one in the scratch
    directory), so that a long run can be followed with `tail -f`.
    """
    result = Run()
    with tempfile.TemporaryDirectory(prefix="pvm-cpytest-") as scratch:
        log = log or Path(scratch) / "output.log"
        env = dict(os.environ, TMPDIR=scratch, PYTHONHASHSEED="0")
        start = time.perf_counter()
        # A session of its own, so that a timeout kills the test's children too: a child
        # holding the output pipe would keep the read going after the parent is killed.
        with open(log, "wb") as sink:
            proc = subprocess.Popen(
                [*cmd, *target, "-v"],
                cwd=scratch,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                code = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                _kill_group(proc.pid)
                proc.wait()
                code = None
                result.status = f"timeout {timeout:.0f}s"
            _kill_group(proc.pid)  # whatever it left behind
        output = log.read_bytes().decode("utf-8", "replace")
        result.seconds = time.perf_counter() - start
    result.passed, result.ran = parse(output)
    if code is not None and result.ran is None:
        result.status = f"crashed (exit {code})"
    result.tail = "\n".join(output.strip().splitlines()[-15:])
    return result


@dataclass
class Row:
    """The comparison for one module."""

    module: str
    python: Run
    pvm: Run

    @property
    def both(self) -> int:
        """Return how many of python3's passing tests also pass under pvm (matched by id)."""
        return len(self.python.passed & self.pvm.passed)

    @property
    def percent(self) -> float:
        """Return both / python3-passing as a percentage."""
        return 100.0 * self.both / len(self.python.passed) if self.python.passed else 0.0


def compare_module(module: str, tdir: Path, timeout: float, logs: Path | None = None) -> Row:
    """Run one test module under python3 and under pvm, the same way for both.

    With logs, each run's whole output is kept there as MODULE.python3.log / MODULE.pvm.log.
    A dotted module (a package's submodule, `test_asyncio.test_tasks`) runs through
    `-m unittest`; a doctest module (DOCTESTS) through DOCTEST_DRIVER; a plain one runs as
    a file of the test directory.
    """
    driver = ["-c", DRIVER] if module in DRIVEN else []
    if module in DOCTESTS:
        driver, target = ["-c", DOCTEST_DRIVER], [module]
    elif "." in module:
        target = ["-m", "unittest", f"test.{module}"]
    else:
        target = [str((DRIVERS if module in MULTIPROCESSING else tdir) / f"{module}.py")]
    ref_timeout = 1800.0 if module in MULTIPROCESSING else 300.0
    ref_log = got_log = None
    if logs is not None:
        logs.mkdir(parents=True, exist_ok=True)
        ref_log, got_log = logs / f"{module}.python3.log", logs / f"{module}.pvm.log"
    ref = run_module([sys.executable, *driver], target, ref_timeout, ref_log)
    got = run_module([sys.executable, "-m", "pvm", "run", *driver], target, timeout, got_log)
    return Row(module, ref, got)


def render(rows: list[Row], markdown: bool) -> str:
    """Format the table: module, passing under python3, under pvm, percent, times, a total."""
    table = []
    for r in rows:
        note = "" if r.pvm.status == "ok" else r.pvm.status
        table.append(
            (
                r.module,
                str(len(r.python.passed)),
                str(r.both),
                f"{r.percent:.1f}%",
                f"{r.python.seconds:.1f}",
                f"{r.pvm.seconds:.1f}",
                note,
            )
        )
    total_py = sum(len(r.python.passed) for r in rows)
    total_both = sum(r.both for r in rows)
    pct = 100.0 * total_both / total_py if total_py else 0.0
    reaching = sum(1 for r in rows if r.percent >= 95.0)
    table.append(
        (
            "total",
            str(total_py),
            str(total_both),
            f"{pct:.1f}%",
            f"{sum(r.python.seconds for r in rows):.1f}",
            f"{sum(r.pvm.seconds for r in rows):.1f}",
            f"{reaching}/{len(rows)} modules at >= 95%",
        )
    )
    head = ("module", "python3 pass", "pvm pass", "percent", "python3 s", "pvm s", "note")
    if markdown:
        out = ["| " + " | ".join(head) + " |", "|---|---:|---:|---:|---:|---:|---|"]
        out += ["| " + " | ".join(row) + " |" for row in table]
        return "\n".join(out)
    widths = [max(len(x) for x in col) for col in zip(head, *table)]
    fmt = "  ".join(f"{{:<{w}}}" if i in (0, 6) else f"{{:>{w}}}" for i, w in enumerate(widths))
    lines = [fmt.format(*head), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*row) for row in table]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the selected modules under both interpreters and print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("modules", nargs="*", help="test modules (default: the acceptance list)")
    parser.add_argument("--later", action="store_true", help="also run test_thread, test_queue")
    parser.add_argument(
        "--multiprocessing",
        action="store_true",
        help="also run test._test_multiprocessing by forkserver and spawn",
    )
    parser.add_argument(
        "--asyncio", action="store_true", help="also run test_asyncio, submodule by submodule"
    )
    parser.add_argument(
        "--language", action="store_true", help="also run the language modules (LANGUAGE)"
    )
    parser.add_argument(
        "--types", action="store_true", help="also run the builtin-type and runtime modules"
    )
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per module under pvm")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="modules run in parallel")
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    parser.add_argument(
        "--logs", type=Path, help="keep each run's whole output in this directory, as it runs"
    )
    parser.add_argument(
        "--show-failures",
        action="store_true",
        help="list tests passing under python3 but not pvm, and pvm's output tail",
    )
    opts = parser.parse_args(argv)
    # `test_asyncio` on the command line stands for all of its submodules.
    named = [m for name in opts.modules for m in (ASYNCIO if name == "test_asyncio" else [name])]
    modules = named or (
        MODULES
        + (LANGUAGE if opts.language else [])
        + (LATER if opts.later else [])
        + (MULTIPROCESSING if opts.multiprocessing else [])
        + (ASYNCIO if opts.asyncio else [])
        + (TYPES if opts.types else [])
    )
    tdir = testdir()

    def one(module: str) -> Row:
        row = compare_module(module, tdir, opts.timeout, opts.logs)
        print(
            f"  {module}: python3 {len(row.python.passed)} ({row.python.seconds:.1f}s), "
            f"pvm {len(row.pvm.passed)} ({row.pvm.seconds:.1f}s) {row.pvm.status}",
            file=sys.stderr,
            flush=True,
        )
        return row

    with ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        rows = list(pool.map(one, modules))
    print(render(rows, opts.markdown))
    if opts.show_failures:
        for r in rows:
            missing = sorted(r.python.passed - r.pvm.passed)
            if missing:
                print(f"\n## {r.module}: {len(missing)} not passing under pvm ({r.pvm.status})")
                for test_id in missing[:40]:
                    print("  ", test_id)
                print("  --- pvm output tail ---\n" + r.pvm.tail)
    return 0


if __name__ == "__main__":
    sys.exit(main())
