"""pvm's one event layer: topics that producers publish on and observers subscribe to.

What belongs here: the topics, subscribe/unsubscribe, publish, and the producers'
change callbacks (``on_change``) that keep observation free when nobody listens.  What
does not: producing events (the GIL in pvm.concurrency.gil, steps in pvm.vm.trace,
memory snapshots in pvm.observe.memory_session), recording and showing them (the
consumers in pvm.observe and the pvm.cli* commands).  docs/events.md has the map.

It lives in ``vm`` so that every publisher (the interpreter's trace machinery, the GIL,
the observers above them) can import it without pointing up the layer order.

Zero cost when nobody subscribes: nothing here runs per instruction.  A producer on a
hot path registers ``on_change(topic, fn)`` and keeps what fn hands it in its own
attribute, ``deliver`` or None, so its fast path tests that attribute and nothing
else.  ``deliver`` is the quickest callable that reaches every subscriber: the one
subscriber's own callback when there is one (no extra call), a fan-out when several.

    subscribe(GIL, cb) --> subscribers[GIL] = (cb,) --> fn(cb)    # the GIL: recorder = cb
    unsubscribe(handle) --> subscribers[GIL] = ()   --> fn(None)  # the GIL: recorder = None
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from enum import Enum
from typing import Any


class Topic(Enum):
    """What a subscriber hears about; each says what its callback receives."""

    # callback(event: pvm.concurrency.gil.GILEvent), called with the GIL's mutex held
    # (docs/gil-events.md): keep it quick (a bound list.append is ideal).
    GIL = "gil"
    # callback(tstate, frame, event, index) -> bool | None: a step of guest code on any
    # thread, event 'call', 'line', 'opcode' or 'return' (see pvm.vm.trace).  Options:
    # opcodes=True (a step per instruction), lines=False (only 'call' steps).  A lone
    # subscriber that returns False from a 'call' is not called for that code again.
    STEP = "step"
    # callback(snapshot: dict): one memory snapshot, the schema of docs/memory-json.md.
    MEMORY = "memory"
    # callback(event: pvm.observe.ipc.IPCEvent): a message sent or received through a
    # multiprocessing connection (docs/processes-view.md); only while observed.
    IPC = "ipc"
    # callback(event: pvm.observe.tasks.TaskEvent): an asyncio task created, resumed,
    # suspended or woken, or the event loop idle (docs/tasks.md); only while observed.
    TASK = "task"
    # Names reserved for the next issues; nothing publishes on them yet.
    PROCESS = "process"  # processes started and ended


class Subscription:
    """One subscriber of one topic; close() (or leaving a ``with`` block) unsubscribes."""

    __slots__ = ("callback", "options", "topic")

    def __init__(self, topic: Topic, callback: Callable[..., Any], options: dict) -> None:
        self.topic = topic
        self.callback = callback
        self.options = options

    def close(self) -> None:
        """Unsubscribe (idempotent)."""
        unsubscribe(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        unsubscribe(self)


# Copy-on-write tuples: publish() iterates one without a lock while others subscribe.
_subscriptions: dict[Topic, tuple[Subscription, ...]] = {topic: () for topic in Topic}
_watchers: dict[Topic, list[Callable[[Any], None]]] = {topic: [] for topic in Topic}
_deliver: dict[Topic, Any] = {topic: None for topic in Topic}
# Held while subscribers change and watchers are told, so that watchers see changes in
# the order they happened.  Watchers must not subscribe or unsubscribe.
_lock = threading.Lock()


def subscribe(topic: Topic, callback: Callable[..., Any], **options: Any) -> Subscription:
    """Call callback with every event published on topic from now on; return the handle."""
    sub = Subscription(topic, callback, options)
    with _lock:
        _subscriptions[topic] += (sub,)
        _changed(topic)
    return sub


def unsubscribe(sub: Subscription) -> None:
    """Stop calling sub's callback (unknown or already closed handles are ignored)."""
    topic = sub.topic
    with _lock:
        subs = _subscriptions[topic]
        if sub not in subs:
            return
        _subscriptions[topic] = tuple(s for s in subs if s is not sub)
        _changed(topic)


def subscriptions(topic: Topic) -> tuple[Subscription, ...]:
    """Return topic's subscriptions, oldest first (empty, and false, when nobody listens)."""
    return _subscriptions[topic]


def publish(topic: Topic, *args: Any) -> None:
    """Give every subscriber of topic this event (a loop over nobody when none listens)."""
    for sub in _subscriptions[topic]:
        sub.callback(*args)


def on_change(topic: Topic, fn: Callable[[Any], None]) -> None:
    """Call fn(deliver) whenever topic's subscribers change (and now, if some listen).

    deliver is None when nobody listens, else a callable that takes one event (the
    topic's callback arguments) to every subscriber.  A producer keeps it in its own
    attribute and tests that on its fast path; fn may read subscriptions(topic) for
    the subscribers' options.
    """
    with _lock:
        _watchers[topic].append(fn)
        if _deliver[topic] is not None:
            fn(_deliver[topic])


def _changed(topic: Topic) -> None:
    # Under _lock.
    subs = _subscriptions[topic]
    if not subs:
        deliver = None
    elif len(subs) == 1:
        deliver = subs[0].callback
    else:
        deliver = _fan_out(tuple(s.callback for s in subs))
    _deliver[topic] = deliver
    for fn in _watchers[topic]:
        fn(deliver)


def _fan_out(callbacks: tuple[Callable[..., Any], ...]) -> Callable[..., None]:
    """Return one callable that calls each of callbacks in turn (results are dropped)."""

    def deliver(*args: Any) -> None:
        for callback in callbacks:
            callback(*args)

    return deliver
