"""Running `pvm compare`'s measurements: one child interpreter per mode, python3's and pvm's.

What belongs here: the plan (which modes run under which interpreter), starting the
driver (pvm.compare.workloads.driver) as `python3 driver.py SPEC`, `pvm run driver.py
SPEC` and, for the GIL shares, `pvm gil --json F driver.py SPEC`; timeouts; reading the
results back.  What does not: turning results into speed-ups and a verdict
(pvm.compare.verdict) or showing them (pvm.compare.render).

The host never imports the target: every step runs in a child, so the user's code runs
under python3 and pvm exactly as their own program would.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pvm.compare import gilshares
from pvm.compare.target import Target

DRIVER = Path(__file__).resolve().parent / "workloads" / "driver.py"
INTERPRETERS = ("python3", "pvm")
START_METHODS = ("fork", "forkserver", "spawn")
# Round trips per message size: enough for a stable mean under pvm, which is slower.
COMMS = {"python3": [(64, 2000), (1 << 20, 40)], "pvm": [(64, 200), (1 << 20, 10)]}


class StepFailed(Exception):
    """A step could not run or its target failed: kind is "import", "raised" or "timeout"."""

    def __init__(self, step: Step, kind: str, message: str) -> None:
        super().__init__(message)
        self.step, self.kind, self.message = step, kind, message


@dataclass
class Step:
    """One child run: a mode of the driver under one interpreter."""

    interpreter: str  # "python3" or "pvm"
    mode: str  # the driver's mode
    start_method: str | None = None
    workers: list[int] = field(default_factory=list)
    gil_trace: bool = False  # under `pvm gil --json`, for the GIL shares

    @property
    def key(self) -> str:
        """Return the step's name in the results: ``processes/fork``, ``gil:threads``."""
        name = self.mode if self.start_method is None else f"{self.mode}/{self.start_method}"
        return f"gil:{name}" if self.gil_trace else name

    def describe(self) -> str:
        """Return the progress bar's text for the step."""
        what = self.key.replace("gil:", "GIL trace of ")
        return f"{self.interpreter}: {what}"


@dataclass
class Options:
    """What the command line chose for the measurements."""

    workers: list[int]
    interpreters: list[str] = field(default_factory=lambda: list(INTERPRETERS))
    start_methods: list[str] = field(default_factory=lambda: list(START_METHODS))
    repeat: int = 1
    timeout: float = 600.0
    quick: bool = False
    gil: bool = True  # record the GIL shares under pvm


def plan(options: Options) -> list[Step]:
    """Return the steps in the order they run: python3's first, then pvm's."""
    steps: list[Step] = []
    workers = options.workers
    for interp in options.interpreters:
        steps.append(Step(interp, "check"))
        steps.append(Step(interp, "sequential", workers=[1]))
        steps.append(Step(interp, "threads", workers=workers))
        for method in options.start_methods:
            steps.append(Step(interp, "processes", method, workers))
        steps.append(Step(interp, "thread-pool", workers=workers))
        if options.start_methods:
            steps.append(Step(interp, "process-pool", options.start_methods[0], workers))
        steps.append(Step(interp, "asyncio", workers=workers))
        steps.append(Step(interp, "comms"))
        if interp == "pvm" and options.gil:
            cores = [max(2, min(os.cpu_count() or 2, max(workers)))]
            steps.append(Step(interp, "threads", None, cores, gil_trace=True))
            if "fork" in options.start_methods:
                steps.append(Step(interp, "processes", "fork", cores, gil_trace=True))
    return steps


def command(step: Step, spec_path: str, gil_json: str | None) -> list[str]:
    """Return the command line that runs the driver for a step."""
    if step.interpreter == "python3":
        return [sys.executable, str(DRIVER), spec_path]
    if gil_json is not None:
        return [sys.executable, "-m", "pvm", "gil", "--json", gil_json, str(DRIVER), spec_path]
    return [sys.executable, "-m", "pvm", "run", str(DRIVER), spec_path]


def skip_reason(step: Step, check: dict[str, Any]) -> str | None:
    """Return why a step does not apply to the target (from its check), or None."""
    if step.mode == "asyncio" and not (check.get("coroutine") or check.get("async_twin")):
        return "not a coroutine function: asyncio runs `async def` targets"
    needs_pickle = step.mode == "process-pool" or (
        step.mode == "processes" and step.start_method != "fork"
    )
    if needs_pickle and not check.get("picklable", True):
        return f"the target is not picklable ({check.get('not_picklable')})"
    return None


class Runner:
    """Runs the plan for one target, calling progress(step) before each step."""

    def __init__(
        self, target: Target, options: Options, progress: Callable[[Step], None] | None = None
    ) -> None:
        self.target = target
        self.options = options
        self.progress = progress or (lambda step: None)
        self.cwd = os.getcwd()
        self.outputs: dict[str, str] = {}  # step key -> the target's output, for errors

    def run(self) -> dict[str, dict[str, Any]]:
        """Run every step; return {interpreter: {step key: the driver's result}}."""
        results: dict[str, dict[str, Any]] = {i: {} for i in self.options.interpreters}
        with tempfile.TemporaryDirectory(prefix="pvm-compare-") as tmp:
            for step in plan(self.options):
                self.progress(step)
                mine = results[step.interpreter]
                check = mine.get("check", {}).get("check", {})
                reason = skip_reason(step, check) if step.mode != "check" else None
                if reason is not None:
                    mine[step.key] = {"ok": True, "skipped": reason}
                    continue
                mine[step.key] = self.run_step(step, tmp)
                if step.mode == "check" and not mine[step.key]["check"]["callable"]:
                    what = mine[step.key]["check"]["qualname"]
                    raise StepFailed(step, "not callable", f"it is {what}, which cannot be called")
        return results

    def spec(self, step: Step, result_path: str) -> dict[str, Any]:
        """Return the driver's spec for a step."""
        count = 2 * max(self.options.workers)
        return {
            "target": self.target.driver_entry(self.cwd),
            "items": self.target.items_for(step.interpreter, count, self.options.quick),
            "args": self.target.args,
            "mode": step.mode,
            "start_method": step.start_method,
            "workers": step.workers,
            "repeat": 1 if step.gil_trace else self.options.repeat,
            # each model's speed-up is over a sequential run timed beside it (driver.measure)
            "baseline": not step.gil_trace,
            "overhead": not step.gil_trace,
            "overhead_count": 5 if self.options.quick else 20,
            "comms": COMMS[step.interpreter]
            if not self.options.quick
            else [(64, 50), (1 << 20, 4)],
            "result": result_path,
        }

    def run_step(self, step: Step, tmp: str) -> dict[str, Any]:
        """Run one step in a child and return its result; raise StepFailed if it failed."""
        stem = os.path.join(tmp, step.key.replace("/", "-").replace(":", "-"))
        spec_path, result_path = f"{stem}.spec.json", f"{stem}.result.json"
        gil_json = f"{stem}.gil.json" if step.gil_trace else None
        with open(spec_path, "w") as f:
            json.dump(self.spec(step, result_path), f)
        proc = subprocess.Popen(
            command(step, spec_path, gil_json),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=self.cwd,
            start_new_session=True,  # a timeout ends the child's workers too
        )
        try:
            out, _ = proc.communicate(timeout=self.options.timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise StepFailed(
                step, "timeout", f"took longer than --timeout {self.options.timeout:g} s"
            ) from None
        except BaseException:
            # Ctrl-C reaches only the terminal's process group, and the child has its own.
            _kill_group(proc)
            raise
        text = out.decode(errors="replace")
        self.outputs[step.key] = text
        try:
            with open(result_path) as f:
                result = json.load(f)
        except (OSError, ValueError):
            tail = "\n".join(text.strip().splitlines()[-15:]) or "no output"
            raise StepFailed(
                step, "crashed", f"the driver ended with status {proc.returncode}:\n{tail}"
            ) from None
        if not result.get("ok"):
            error = result.get("error", {})
            raise StepFailed(step, error.get("kind", "raised"), error.get("traceback", ""))
        if gil_json is not None:
            try:
                with open(gil_json) as f:
                    result["gil"] = gilshares.summarise(json.load(f))
            except (OSError, ValueError) as exc:
                result["gil"] = {"error": f"no GIL record: {exc}"}
        return result


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate()
