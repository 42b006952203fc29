"""Run a guest program with test subscribers on pvm's event bus; write what arrived as JSON.

Usage: python3 events_driver.py MODE OUT.json PROGRAM

MODE gil: a lone Topic.GIL subscriber during a deterministic run; gil-closed: one that
subscribed and closed before the run (it must get nothing); step: a lone Topic.STEP
subscriber (lines); memory: `pvm memory --at f` in this process with a second
Topic.MEMORY subscriber beside the command's own. The program's output goes to stdout.
"""

from __future__ import annotations

import json
import sys

from pvm import concurrency
from pvm.concurrency import GILOptions, Schedule, gil
from pvm.runtime import main as runtime_main
from pvm.vm import events


def main(mode: str, out: str, program: str) -> int:
    report: dict = {}
    if mode in ("gil", "gil-closed"):
        got: list = []
        sub = events.subscribe(events.Topic.GIL, got.append)
        if mode == "gil-closed":
            sub.close()
        report["recorder_is_subscriber"] = gil.get_gil().recorder == got.append
        concurrency.configure(GILOptions(schedule=Schedule.DETERMINISTIC, seed=1))
        report["status"] = runtime_main.run_path(program, [program])
        sub.close()
        report["recorder_after"] = gil.get_gil().recorder is not None
        report["events"] = [[e.kind.value, e.thread, e.name] for e in got]
    elif mode == "step":
        steps: list = []

        def step(tstate: object, frame: object, event: str, index: int) -> None:
            code = frame.f_code  # type: ignore[attr-defined]
            steps.append([event, code.co_name, code.line_of(index) if event == "line" else None])

        with events.subscribe(events.Topic.STEP, step, lines=True):
            report["status"] = runtime_main.run_path(program, [program])
        report["steps"] = steps
    elif mode == "memory":
        from pvm import cli_memory

        snaps: list = []
        with events.subscribe(events.Topic.MEMORY, snaps.append):
            report["status"] = cli_memory.main(["--at", "f", "--format", "json", program])
        report["snapshots"] = snaps
    with open(out, "w", encoding="utf-8") as f:
        json.dump(report, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
