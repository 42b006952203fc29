"""Run a program on pvm with a GIL subscriber and print its events, one JSON list per line.

Usage: python3 record_run.py [--checks | --count] [pvm run options] FILE [ARGS...]

With --checks, every eval-breaker check point (a call or backward jump of guest code)
also adds a line ["CHECK", thread, holds_gil] in the same total order as the events,
so a test can see which thread ran guest code when.  With --count nobody subscribes
(no events) and only the hand-off count is printed.  The program's own output goes to
stderr-free stdout first; the event lines follow a line "--- events".
"""

from __future__ import annotations

import faulthandler
import json
import sys

from pvm import cli, concurrency
from pvm.concurrency import gil
from pvm.runtime import main as runtime_main
from pvm.vm import events as vm_events
from pvm.vm import hooks

# A run still going after this many seconds has hung: dump every thread's stack to
# stderr and exit, so that the test (whose own timeout is longer) shows where.
HANG_DUMP_AFTER = 200


def main(argv: list[str]) -> int:
    faulthandler.dump_traceback_later(HANG_DUMP_AFTER, exit=True)
    checks = count_only = False
    if argv and argv[0] == "--checks":
        checks = True
        argv = argv[1:]
    elif argv and argv[0] == "--count":
        count_only = True
        argv = argv[1:]
    request = cli.parse_run_args(argv)
    events: list = []
    subscription = None if count_only else vm_events.subscribe(vm_events.Topic.GIL, events.append)
    concurrency.configure(request.gil_options)
    if checks:
        g = gil.get_gil()

        def check_hook(tstate: object, frame: object) -> None:
            rec = tstate.gil  # type: ignore[attr-defined]
            if rec is not None:
                events.append(("CHECK", rec.number, g.holder is rec))

        # With a subscriber the GIL counts ticks: its bit stays set for the whole run.
        hooks.add_breaker_handler(hooks.Request.GIL_DROP_REQUEST, check_hook)
    status = runtime_main.run_path(request.target, request.argv)
    if subscription is not None:
        subscription.close()
    sys.stdout.flush()
    out = sys.stdout
    out.write("--- events\n")
    for e in events:
        if type(e) is tuple:
            out.write(json.dumps(list(e)) + "\n")
        else:
            reason = e.reason.value if e.reason is not None else None
            out.write(
                json.dumps([e.kind.value, e.thread, e.name, e.t, e.instr, reason, e.detail]) + "\n"
            )
    out.write(f"--- handoffs {gil.get_gil().handoffs}\n")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
