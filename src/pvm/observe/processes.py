"""The process tree of one observed run: every pvm process records itself, the root gathers.

What belongs here: how `pvm gil` and `pvm memory` reach the processes a program starts,
what each process records about itself and writes at its exit, and how the root
collects those records.  What does not: merging and showing them
(pvm.observe.proctrace, pvm.observe.render.proctables, the cli_* commands).

    root (`pvm gil prog.py`)                  child (any pvm process it starts)
    ------------------------                  ---------------------------------
    Tree.open(): a fresh directory in         pvm-python / `pvm run` sees PVM_OBSERVE_DIR
      PVM_OBSERVE_DIR (+ kind, root pid),       (cli.cmd_run -> child_log()): records its
      which every child inherits                 GIL events, IPC messages, snapshots
    the program runs, children come and go    writes DIR/<pid>.start when it begins and
                                                DIR/<pid>.json (atomically) when it ends
    Tree.records(): waits for each started    a fork child (os.fork, multiprocessing's
      child to end, reads every record          fork and forkserver) starts at the fork
                                                 (os.register_at_fork) and writes its
                                                 record in os._exit, which it ends with

A child's clock is the machine's (perf_counter_ns is CLOCK_MONOTONIC, shared by every
process), so the root can put all records on one time axis.  A child killed by a
signal writes no record; the root says so.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from enum import Enum
from typing import Any

from pvm import fileutil
from pvm.concurrency import gil as gilmod
from pvm.concurrency.gil import EventKind, GILEvent, Reason
from pvm.observe import giltrace, ipc
from pvm.runtime import world
from pvm.vm import events, hooks
from pvm.vm.threadstate import current

ENV_DIR = "PVM_OBSERVE_DIR"  # where each process of the tree writes its record
ENV_ROOT = "PVM_OBSERVE_ROOT"  # the pid of the process that gathers the records
ENV_KIND = "PVM_OBSERVE"  # what the children record: a Kind's value
ENV_MEMORY = "PVM_OBSERVE_MEMORY"  # pvm memory's options for the children (JSON)

# How long the root waits, after its program ended, for children still running.
WAIT_SECONDS = 10.0
# Helpers that multiprocessing starts and that live until the root itself exits: the
# root cannot wait for their records, and says so.
HELPERS = ("multiprocessing.resource_tracker", "multiprocessing.forkserver")


class Kind(Enum):
    """Which command observes the tree."""

    GIL = "gil"
    MEMORY = "memory"


def _set_env(name: str, value: str | None) -> None:
    """Set (or remove) a variable for children, and for the guest's os.environ."""
    import posix

    key = name.encode()
    if value is None:
        os.environ.pop(name, None)
        posix.environ.pop(key, None)
    else:
        os.environ[name] = value
        # The guest's os.environ is built from posix.environ when the guest imports os,
        # so that env=dict(os.environ) passes the variable on, as it would in python3.
        posix.environ[key] = value.encode()


def _alive(pid: int) -> bool:
    """Return whether process pid is running (a zombie is not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return True
    return stat[stat.rfind(b")") + 2 : stat.rfind(b")") + 3] != b"Z"


def is_helper(argv: list[str]) -> bool:
    """Return whether a process is one of multiprocessing's long-lived helper servers."""
    text = " ".join(argv)
    return any(helper in text for helper in HELPERS)


class Tree:
    """The root's side: the directory every process of the tree writes its record to."""

    def __init__(self, kind: Kind, directory: str) -> None:
        self.kind = kind
        self.directory = directory
        self.root = os.getpid()
        self.missing: list[dict[str, Any]] = []  # started, but left no record

    @classmethod
    def open(cls, kind: Kind, memory_options: dict[str, Any] | None = None) -> Tree:
        """Make the directory and tell every child to come (through the environment)."""
        directory = tempfile.mkdtemp(prefix=f"pvm-{kind.value}-")
        _set_env(ENV_DIR, directory)
        _set_env(ENV_ROOT, str(os.getpid()))
        _set_env(ENV_KIND, kind.value)
        _set_env(ENV_MEMORY, json.dumps(memory_options) if memory_options else None)
        return cls(kind, directory)

    def close(self) -> None:
        """Remove the directory and the variables (children started later record nothing)."""
        for name in (ENV_DIR, ENV_ROOT, ENV_KIND, ENV_MEMORY):
            _set_env(name, None)
        shutil.rmtree(self.directory, ignore_errors=True)

    def records(self, wait: float = WAIT_SECONDS) -> list[dict[str, Any]]:
        """Return every child's record, waiting for the ones still running (not helpers)."""
        deadline = time.monotonic() + wait
        while True:
            started = self._read("start")
            done = self._read("json")
            pending = [
                s
                for pid, s in started.items()
                if pid not in done and not is_helper(s.get("command", [])) and _alive(pid)
            ]
            if not pending or time.monotonic() >= deadline:
                break
            time.sleep(0.02)
        self.missing = [s for pid, s in sorted(started.items()) if pid not in done]
        return [done[pid] for pid in sorted(done)]

    def _read(self, suffix: str) -> dict[int, dict[str, Any]]:
        out: dict[int, dict[str, Any]] = {}
        try:
            names = os.listdir(self.directory)
        except OSError:
            return out
        for name in names:
            stem, dot, ext = name.partition(".")
            if ext != suffix or not stem.isdigit():
                continue
            try:
                with open(os.path.join(self.directory, name), encoding="utf-8") as f:
                    out[int(stem)] = json.load(f)
            except (OSError, ValueError):
                continue  # written atomically: a file is whole or absent
        return out


# -- the process's own log -----------------------------------------------------------


class ProcessLog:
    """What one process of an observed tree records about itself: GIL events, IPC, snapshots.

    The root has one too (its command keeps the GIL recorder or the memory session and
    gives them to the log), so that a fork of the root starts its own record.
    """

    def __init__(
        self,
        kind: Kind,
        directory: str,
        root: int,
        argv: list[str],
        recorder: giltrace.Recorder | None = None,
        run_info: giltrace.RunInfo | None = None,
    ) -> None:
        self.kind = kind
        self.directory = directory
        self.root = root
        self.argv = list(argv)
        self.recorder = recorder
        self.run_info = run_info
        self.ipc: list[ipc.IPCEvent] = []
        self.pid = os.getpid()
        self.ppid = os.getppid()
        self.started = time.perf_counter_ns()
        self.name = "MainProcess" if self.pid == root else _argv_name(argv)
        self.how = "root" if self.pid == root else "exec"
        self.written = False
        self.subscriptions: list[events.Subscription] = []
        # pvm memory's parts (set by the memory command or child_log)
        self.session: Any = None
        self.snapshot_log: Any = None
        self.memory_result: Callable[[int], dict[str, Any]] | None = None

    @property
    def is_child(self) -> bool:
        """Return whether this process is not the tree's root."""
        return os.getpid() != self.root

    def start(self) -> None:
        """Start recording this process's IPC messages (and its GIL events, if it has a recorder)."""
        if self.recorder is not None:
            self.subscriptions.append(self.recorder.subscribe())
        self.subscriptions.append(events.subscribe(events.Topic.IPC, self.ipc.append))
        ipc.install()
        _install_process_hooks()
        _logs[:] = [self]
        if self.is_child:
            self._mark_started()

    def stop(self) -> None:
        """Stop recording (the root, before it shows what it recorded)."""
        for sub in self.subscriptions:
            sub.close()
        self.subscriptions.clear()

    def note_name(self) -> None:
        """Take the process's name from the guest's multiprocessing, if it has one."""
        mp = hooks.services.modules.get("multiprocessing.process")
        proc = getattr(mp, "_current_process", None)
        name = getattr(proc, "_name", None) if proc is not None else None
        if isinstance(name, str):
            self.name = name

    def forked(self) -> None:
        """In a fork child: begin a record of its own, the parent's left behind."""
        self.pid, self.ppid = os.getpid(), os.getppid()
        self.started = time.perf_counter_ns()
        self.how = "fork"
        self.written = False
        self.name = f"fork of {self.name}"
        del self.ipc[:]
        if self.recorder is not None:
            del self.recorder.events[:]
            rec = current().gil
            g = gilmod.get_gil()
            # The forking thread holds the GIL in the child (gil._after_fork_in_child):
            # its record starts with it taking the GIL at the fork.
            if rec is not None and g.holder is rec:
                now = self.started
                self.recorder.record(GILEvent(EventKind.THREAD_START, rec.number, rec.name, now, 0))
                self.recorder.record(GILEvent(EventKind.ACQUIRE, rec.number, rec.name, now, 0))
        if self.snapshot_log is not None:
            del self.snapshot_log.texts[:]
        if self.session is not None:
            self.session.collections.clear()
            self.session.refs.clear()
        self._mark_started()

    def _mark_started(self) -> None:
        marker = {
            "pid": self.pid,
            "ppid": self.ppid,
            "argv": self.argv,
            "command": list(sys.argv),  # the host's: names a -c program's code
            "how": self.how,
        }
        try:
            fileutil.write_atomic(
                os.path.join(self.directory, f"{self.pid}.start"), json.dumps(marker)
            )
        except OSError:
            pass

    def record(self, status: int | None) -> dict[str, Any]:
        """Return what this process recorded, as the JSON its file holds."""
        doc: dict[str, Any] = {
            "pid": self.pid,
            "ppid": self.ppid,
            "name": self.name,
            "argv": self.argv,
            "how": self.how,
            "started_ns": self.started,
            "ended_ns": time.perf_counter_ns(),
            "exit_status": status,
            "ipc": [ipc.event_dict(e) for e in self.ipc],
        }
        if self.recorder is not None:
            info = self.run_info or giltrace.RunInfo(program=" ".join(self.argv))
            doc["run"] = info.as_dict()
            doc["gil_events"] = [giltrace.event_dict(e) for e in self.recorder.snapshot()]
        if self.memory_result is not None:
            doc["memory"] = self.memory_result(status if status is not None else 0)
            opts = self.session.options
            # Which --at specs happened here: the root says "never happened" only if
            # they happened in no process.
            doc["memory_at"] = {
                "lines": [[a.line, a.nth, a.seen, a.taken] for a in opts.at_lines],
                "functions": [[a.name, a.taken] for a in opts.at_functions],
            }
        return doc

    def finish(self, status: int | None) -> None:
        """Write this process's record (once; a child only)."""
        if self.written or not self.is_child:
            return
        self.written = True
        self.stop()
        if not os.path.isdir(self.directory):
            return  # the root has gathered and gone (a helper that outlived it)
        try:
            fileutil.write_atomic(
                os.path.join(self.directory, f"{self.pid}.json"),
                json.dumps(self.record(status), separators=(",", ":")),
            )
        except (OSError, TypeError, ValueError) as exc:
            try:
                sys.stderr.write(f"pvm {self.kind.value}: pid {self.pid}: no record: {exc}\n")
            except (OSError, ValueError):
                pass


def _argv_name(argv: list[str]) -> str:
    if not argv:
        return "python"
    if argv[0] == "-c":
        return "-c"
    return os.path.basename(argv[0])


# The log of this process (at most one); the fork and exit hooks find it here.
_logs: list[ProcessLog] = []
_hooks_installed = [False]


def _after_fork_in_child() -> None:
    if _logs:
        _logs[0].forked()


def _guest_exit_hook(module: Any) -> None:
    """Wrap the guest's os._exit so that a child ending with it writes its record first."""
    real = getattr(module, "_exit", None)
    if real is None or getattr(real, "_pvm_observed", False):
        return

    def _exit(status: int) -> None:
        if _logs and _logs[0].is_child:
            log = _logs[0]
            log.note_name()
            if log.session is not None:
                try:
                    log.session.at_exit()
                except Exception:  # noqa: BLE001 - the exit must happen whatever it raised
                    pass
            log.finish(status if isinstance(status, int) else None)
        real(status)

    _exit.__qualname__ = _exit.__name__ = "_exit"
    _exit.__doc__ = real.__doc__
    _exit._pvm_observed = True  # type: ignore[attr-defined]
    module._exit = _exit


def _install_process_hooks() -> None:
    """Register the fork and exit hooks (once per process; they consult _logs)."""
    if _hooks_installed[0]:
        return
    _hooks_installed[0] = True
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_after_fork_in_child)
    world.after_load("os", _guest_exit_hook)


def child_kind() -> Kind | None:
    """Return what this process must record if an observing command started it, else None."""
    if not os.environ.get(ENV_DIR) or not os.environ.get(ENV_ROOT, "").isdigit():
        return None
    if int(os.environ[ENV_ROOT]) == os.getpid():
        return None
    try:
        return Kind(os.environ.get(ENV_KIND, ""))
    except ValueError:
        return None


def child_log(argv: list[str], run_info: giltrace.RunInfo | None = None) -> ProcessLog | None:
    """Start recording this process if an observing command started it (else None)."""
    kind = child_kind()
    if kind is None:
        return None
    log = ProcessLog(
        kind,
        os.environ[ENV_DIR],
        int(os.environ[ENV_ROOT]),
        argv,
        recorder=giltrace.Recorder() if kind is Kind.GIL else None,
        run_info=run_info,
    )
    if kind is Kind.MEMORY:
        _attach_memory(log, argv)
    log.start()
    import atexit

    # Runs among the program's own atexit handlers, before the guest's modules go.
    atexit.register(log.note_name)
    return log


def _attach_memory(log: ProcessLog, argv: list[str]) -> None:
    """Give a child the memory session its root asked for (options from the environment)."""
    from pvm.observe.memory_session import Options, Session, SnapshotLog

    try:
        settings = json.loads(os.environ.get(ENV_MEMORY) or "{}")
    except ValueError:
        settings = {}
    options = Options(path=settings.get("path") or (argv[0] if argv else "<unknown>"))
    for name in ("every_line", "at_exit", "refs", "max_snapshots", "max_steps", "max_objects"):
        if name in settings:
            setattr(options, name, settings[name])
    options.show_all = bool(settings.get("show_all", False))
    from pvm.observe.memory_session import AtFunction, AtLine

    options.at_lines = [AtLine(line, nth) for line, nth in settings.get("at_lines", [])]
    options.at_functions = [AtFunction(name) for name in settings.get("at_functions", [])]
    attach_session(log, Session(options), SnapshotLog(), [options.path, *argv[1:]])


def attach_session(log: ProcessLog, session: Any, snapshot_log: Any, argv: list[str]) -> None:
    """Let log take (and write at exit) a memory session's snapshots."""
    import atexit

    log.session = session
    log.snapshot_log = snapshot_log
    log.subscriptions.append(snapshot_log.subscribe())
    if log.is_child:
        session.start()
        atexit.register(session.at_exit)

    def result(status: int) -> dict[str, Any]:
        session.stop()
        return session.result(status, argv, snapshot_log.snapshots())

    log.memory_result = result


def memory_settings(options: Any) -> dict[str, Any]:
    """Return pvm memory's options as the JSON its children read (see _attach_memory)."""
    return {
        "path": os.path.abspath(options.path),
        "every_line": options.every_line,
        "at_exit": options.at_exit,
        "refs": options.refs,
        "max_snapshots": options.max_snapshots,
        "max_steps": options.max_steps,
        "max_objects": options.max_objects,
        "show_all": options.show_all,
        "at_lines": [[a.line, a.nth] for a in options.at_lines],
        "at_functions": [a.name for a in options.at_functions],
    }


# -- reading records back -------------------------------------------------------------


def gil_events(record: dict[str, Any]) -> list[GILEvent]:
    """Return the GIL events of a record, as the recorder received them."""
    out = []
    for d in record.get("gil_events", ()):
        out.append(
            GILEvent(
                EventKind[d["kind"]],
                int(d["thread"]),
                str(d["name"]),
                int(d["t"]),
                int(d["instr"]),
                Reason[d["reason"]] if d.get("reason") else None,
                str(d.get("detail", "")),
                str(d.get("where", "")),
                str(d.get("on", "")),
            )
        )
    return out


def run_info(record: dict[str, Any]) -> giltrace.RunInfo:
    """Return the RunInfo a record's `run` holds."""
    run = record.get("run") or {}
    return giltrace.RunInfo(
        program=str(run.get("program", " ".join(record.get("argv", [])))),
        policy=str(run.get("policy", "new")),
        switch_interval=float(run.get("switch_interval_s", 0.005)),
        switch_interval_set=run.get("switch_interval_set_by_program_s"),
        check_interval=int(run.get("check_interval", 100)),
        schedule=str(run.get("schedule", "os")),
        seed=run.get("seed"),
        clock=giltrace.Clock(run.get("clock", "ns")),
    )


def merge_at_counts(options: Any, children: list[dict[str, Any]]) -> None:
    """Add the children's --at counts to the root's options (for 'never happened')."""
    for child in children:
        at = child.get("memory_at") or {}
        for spec, (_line, _nth, seen, taken) in zip(options.at_lines, at.get("lines", ())):
            spec.seen += seen
            spec.taken += taken
        for fspec, (_name, taken) in zip(options.at_functions, at.get("functions", ())):
            fspec.taken += taken
