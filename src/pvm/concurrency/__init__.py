"""pvm.concurrency: the GIL, its schedules, and the options a run configures them with."""

from __future__ import annotations

from dataclasses import dataclass

from pvm.concurrency.gil import DEFAULT_CHECK_INTERVAL, DEFAULT_SWITCH_INTERVAL, GILPolicy
from pvm.concurrency.schedule import Schedule


@dataclass(frozen=True)
class GILOptions:
    """How a run's GIL behaves: `pvm run --gil ... --switch-interval ... --schedule ...`."""

    policy: GILPolicy = GILPolicy.NEW
    switch_interval: float = DEFAULT_SWITCH_INTERVAL
    check_interval: int = DEFAULT_CHECK_INTERVAL
    schedule: Schedule = Schedule.OS
    seed: int = 0


def configure(options: GILOptions | None = None) -> None:
    """Set up pvm's GIL for the next guest run (call before the program starts).

    Installs the GIL-aware threading primitives; the GIL starts managing threads when
    the guest starts its second thread, or at once if someone subscribes to GIL events
    (pvm.vm.events.Topic.GIL) or the schedule is deterministic.  Subscribe before this.
    """
    from pvm.concurrency import blocking, gil
    from pvm.concurrency.schedule import Scheduler

    options = options or GILOptions()
    g = gil.get_gil()
    gil.disengage()
    blocking.uninstall()
    g.policy = options.policy
    g.switch_interval = options.switch_interval
    g.check_interval = options.check_interval
    g.scheduler = None
    _automatic_gc(True)
    if options.schedule is Schedule.DETERMINISTIC:
        g.scheduler = Scheduler(options.seed, options.check_interval)
        _automatic_gc(False)  # collections at fixed virtual times instead (GIL._collect)
    g.reset()
    if options.policy is GILPolicy.OFF:
        return
    blocking.install()
    if g.counting:
        gil.engage()


def unconfigure() -> None:
    """Undo configure() (for in-process callers such as tests): no GIL, host threading back."""
    from pvm.concurrency import blocking, gil

    gil.disengage()
    blocking.uninstall()
    g = gil.get_gil()
    g.scheduler = None
    _automatic_gc(True)
    g.policy = GILPolicy.NEW
    g.reset()


__all__ = ["GILOptions", "GILPolicy", "Schedule", "configure", "unconfigure"]


_saved_threshold: list = []  # the host's gc thresholds while automatic collection is off


def _automatic_gc(on: bool) -> None:
    """Turn the host's automatic garbage collection on or off (threshold 0 is off).

    gc.isenabled() keeps its answer: a guest that asks sees what it set.
    """
    import gc

    if on:
        if _saved_threshold:
            gc.set_threshold(*_saved_threshold.pop())
    elif not _saved_threshold:
        _saved_threshold.append(gc.get_threshold())
        gc.set_threshold(0, *_saved_threshold[0][1:])
