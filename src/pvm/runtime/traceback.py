"""Print uncaught guest exceptions in CPython 3.11's exact traceback format.

What belongs here: formatting and printing guest exceptions (guest frames merged with
host ones, chaining, carets, C-style SyntaxError layout), the guest's
``__traceback__`` view and ``with_traceback`` (lent to the vm through pvm.vm.hooks),
which names are suggestion candidates, and the excepthook patches.  What does not:
where the guest frames are kept (pvm.vm.guesttb), the suggestion distance
(pvm.runtime.suggestions).
"""

# Guest frames come from exc.__pvm_tb__ (a list of (frame, lasti), innermost first,
# appended by the interpreter). Host frames that belong to pvm itself or to importlib's
# bootstrap are never shown; other host frames (the standard library the guest called
# into) are shown where CPython would show them, placed by the pvm frames around them.
#
# The host's traceback module draws the rows, ~~~^^^ anchors, repeated-frame folding,
# chaining and exception groups exactly as 3.11's C printer does; we build the frame
# summaries, and add what only the C printer does: "Did you mean" suggestions and its
# SyntaxError layout. Like the C printer we keep at most sys.tracebacklimit (default
# 1000) entries, dropping the oldest.

from __future__ import annotations

import collections.abc
import gc
import linecache
import os
import sys
import traceback as _host_traceback
import types
from typing import Any, TextIO

import pvm
from pvm.runtime import world
from pvm.runtime.suggestions import best_suggestion
from pvm.vm import guesttb, hooks, threadstate
from pvm.vm.support import unraisable_args, unraisable_args_type

# Host frames from these places are pvm's machinery, never shown to the guest.
_PVM_DIR = os.path.dirname(os.path.abspath(pvm.__file__)) + os.sep
# Host code called from these pvm parts was not called by the guest.
_PVM_INTERNAL_DIRS = tuple(_PVM_DIR + d + os.sep for d in ("compiler", "bytecode"))
_HIDDEN_FILENAMES = ("<frozen importlib._bootstrap>", "<frozen importlib._bootstrap_external>")

# Python/traceback.c: PyTraceBack_LIMIT.
DEFAULT_LIMIT = 1000
_MISSING = object()
_HOST_TE_INIT = _host_traceback.TracebackException.__init__
_HOST_WALK_FULL = _host_traceback._walk_tb_with_full_positions
_HOST_WALK_TB = _host_traceback.walk_tb


def _is_hidden_host_frame(filename: str) -> bool:
    """Return True for host frames that are pvm's own or importlib's plumbing."""
    return filename.startswith(_PVM_DIR) or filename in _HIDDEN_FILENAMES


# An "entry" is (frame, (lineno, end_lineno, colno, end_colno)), the shape of the host's
# traceback._walk_tb_with_full_positions(): a host frame, or a GuestFrame for pvm's.


class _Positions(tuple):
    """Positions of a guest entry, remembering the instruction index they came from."""

    lasti: int = -1


def _guest_entry(frame: Any, lasti: int) -> tuple:
    """Return the entry of one guest traceback item (frame, instruction index)."""
    from pvm.runtime.sysmodule import guest_frame

    table = frame.f_code.co_linetable
    pos = table[lasti] if 0 <= lasti < len(table) else None
    if pos is None or pos.lineno is None:
        positions = _Positions((getattr(frame, "f_lineno", None), None, None, None))
    else:
        positions = _Positions((pos.lineno, pos.end_lineno, pos.col_offset, pos.end_col_offset))
    positions.lasti = lasti
    return guest_frame(frame), positions


def _summary(entry: tuple) -> _host_traceback.FrameSummary:
    frame, (lineno, end_lineno, colno, end_colno) = entry
    return _host_traceback.FrameSummary(
        frame.f_code.co_filename,
        lineno,
        frame.f_code.co_name,
        lookup_line=False,
        end_lineno=end_lineno,
        colno=colno,
        end_colno=end_colno,
    )


_NO_POSITIONS = (None, None, None, None)


def _host_entries(tb: Any) -> list[tuple]:
    """Return the entries of a host traceback, outermost first.

    The positions of pvm's own frames are never shown (_entry_segments keeps only the
    frame): they are not computed, as finding one walks co_positions() of the
    interpreter's large loop up to the instruction, for every exception handed to
    guest code (a with's __exit__, sys.exc_info()).
    """
    entries = []
    while tb is not None:
        frame = tb.tb_frame
        code = frame.f_code
        if _is_hidden_host_frame(code.co_filename):
            entries.append((frame, _NO_POSITIONS))
        else:
            entries.append((frame, _host_traceback._get_code_position(code, tb.tb_lasti)))
        tb = tb.tb_next
    return entries


def _entry_segments(host: list) -> list[tuple[list, list]]:
    """Split host entries (outermost first) into runs of visible frames between pvm frames.

    Returns (visible entries, pvm host frames right after them) pairs. The first run
    (before any pvm frame) is the host code below pvm (where the exception was caught);
    each later run is host code that guest code called and that either raised or
    called back into guest code through the pvm frames that follow it.
    """
    segments: list[tuple[list, list]] = [([], [])]
    in_pvm = False
    internal_caller = False
    for entry in host:
        frame = entry[0]
        filename = frame.f_code.co_filename
        if _is_hidden_host_frame(filename):
            segments[-1][1].append(frame)
            in_pvm = True
            if filename.startswith(_PVM_DIR):
                internal_caller = filename.startswith(_PVM_INTERNAL_DIRS)
        elif internal_caller or "__unittest" in frame.f_globals:
            # Host code that pvm's compiler or cache called (ast.parse) is pvm's
            # business; unittest hides its own frames (result._is_relevant_tb_level).
            continue
        else:
            if in_pvm:
                segments.append(([], []))
                in_pvm = False
            segments[-1][0].append(entry)
    return segments


def merged_entries(exc: BaseException, tb: Any = _MISSING) -> list[tuple]:
    """Return the entries CPython would show for ``exc``, outermost first, no limit applied.

    Guest entries come from ``exc.__pvm_tb__``; visible host frames from ``tb`` (default
    ``exc.__traceback__``) are placed where the guest called into them.
    """
    if type(tb) is GuestTraceback:
        return _tail_entries(tb)  # the guest's own view (or part of it), complete
    guest = getattr(exc, "__pvm_tb__", None) or []
    if tb is _MISSING:
        tb = exc.__traceback__
    tail = _tail_entries(getattr(exc, "_pvm_tb_tail", None))
    host = _host_entries(tb) if tb is not None else []
    segments = _entry_segments(host)
    if len(segments) == 1 and not guest and not segments[0][1]:
        return segments[0][0] + tail  # pvm was never involved
    outer = segments[0][0]
    inner = [seg for seg in segments[1:] if seg[0]]
    guest_outer_first = list(reversed(guest))
    if not inner:
        return outer + [_guest_entry(f, i) for f, i in guest_outer_first] + tail
    return outer + _interleave(guest_outer_first, inner) + tail


def _tail_entries(tb: Any) -> list[tuple]:
    """Return the entries of a traceback given to with_traceback(), outermost first."""
    entries: list[tuple] = []
    while tb is not None:
        if type(tb) is not GuestTraceback:
            return entries + _host_entries(tb)
        entries.append((tb.tb_frame, tb._positions))
        tb = tb._next
    return entries


def set_traceback(exc: BaseException, tb: Any) -> None:
    """Set exc's traceback, as ``exc.__traceback__ = tb``, accepting a guest view too.

    The guest frames recorded so far go; a guest view becomes the tail that the frames
    the exception passes through from now on are put in front of, as in CPython.
    """
    if type(tb) is GuestTraceback:
        BaseException.with_traceback(exc, None)
        guesttb.register(type(exc))
        exc._pvm_tb_tail = tb
    else:
        BaseException.with_traceback(exc, tb)  # TypeError for anything else, as CPython
        if "_pvm_tb_tail" in getattr(exc, "__dict__", ()):
            del exc._pvm_tb_tail
    if getattr(exc, "__pvm_tb__", None):
        exc.__pvm_tb__ = []
    if getattr(exc, "_pvm_tb_view", None) is not None:
        exc._pvm_tb_view = None


class _WithTraceback:
    """An exception's bound with_traceback() that also accepts a guest traceback view."""

    __slots__ = ("__self__",)

    def __init__(self, exc: BaseException) -> None:
        self.__self__ = exc

    def __call__(self, tb: Any, /) -> BaseException:
        set_traceback(self.__self__, tb)
        return self.__self__

    def __getattr__(self, name: str) -> Any:
        return getattr(BaseException.with_traceback.__get__(self.__self__), name)

    def __repr__(self) -> str:
        return repr(BaseException.with_traceback.__get__(self.__self__))


def with_traceback_method(exc: BaseException) -> Any:
    """Return ``exc.with_traceback`` as the guest sees it."""
    method = exc.with_traceback
    if getattr(method, "__func__", None) is None and type(exc).with_traceback is (
        BaseException.with_traceback
    ):
        return _WithTraceback(exc)
    return method


def extract(
    exc: BaseException, tb: Any = _MISSING, py_limit: Any = _MISSING
) -> _host_traceback.StackSummary:
    """Return the frames to print for ``exc``, outermost first.

    ``tb`` replaces ``exc.__traceback__`` as the host traceback; ``py_limit`` selects
    the traceback module's meaning of a limit (positive: outermost entries kept)
    instead of the C printer's.
    """
    summaries = [_summary(e) for e in merged_entries(exc, tb)]
    if py_limit is not _MISSING:
        limit = py_limit
        if limit is None:
            limit = _tracebacklimit(None)
            if limit is not None and limit < 0:
                limit = 0
        if limit is not None:
            summaries = summaries[:limit] if limit >= 0 else summaries[limit:]
    else:
        limit = _tracebacklimit(DEFAULT_LIMIT)
        if not isinstance(limit, int):
            limit = DEFAULT_LIMIT
        if limit <= 0:
            summaries = []
        elif len(summaries) > limit:
            summaries = summaries[len(summaries) - limit :]
    stack = _host_traceback.StackSummary.from_list(summaries)
    guest = world.current()
    if guest is not None and not guest.modules:
        # Finalization has emptied sys.modules: CPython's C traceback printer cannot
        # import io to read a source line then, and shows none.
        for fs in stack:
            fs._line = ""
        return stack
    for fs in stack:
        if fs.lineno is not None:
            fs._line = linecache.getline(fs.filename, fs.lineno)
    return stack


def _tracebacklimit(default: Any) -> Any:
    """Return the guest's sys.tracebacklimit (its own sys module's, in a guest world)."""
    guest = world.current()
    return getattr(guest.sys if guest is not None else sys, "tracebacklimit", default)


def _reentry_targets(host_frames: list) -> tuple[set[int], set[int]]:
    """Return ids of guest frames and code objects held by pvm host frames."""
    frames: set[int] = set()
    codes: set[int] = set()
    for hf in host_frames:
        for value in hf.f_locals.values():
            code = getattr(value, "f_code", None)
            if code is not None and hasattr(value, "f_lasti") and hasattr(code, "co_linetable"):
                frames.add(id(value))
                continue
            code = getattr(value, "__code__", None) or getattr(value, "gi_code", None)
            if code is not None and hasattr(code, "co_linetable"):
                codes.add(id(code))
    return frames, codes


def _interleave(guest: list, segments: list[tuple[list, list]]) -> list:
    """Merge guest items (outermost first) with the host segments they called.

    A host segment goes just before the first later guest item that the pvm host
    frames after it re-entered (found through their locals); a segment after which
    no guest code ran (host code that raised by itself) goes last.
    """
    out = []
    pos = 0
    pending = []
    for entries, after in segments:
        frames, codes = _reentry_targets(after)
        target = None
        for k in range(pos + 1, len(guest)):
            frame = guest[k][0]
            if id(frame) in frames or id(frame.f_code) in codes:
                target = k
                break
        if target is None:
            pending.append(entries)
            continue
        out.extend(_guest_entry(f, i) for f, i in guest[pos:target])
        out.extend(entries)
        pos = target
    out.extend(_guest_entry(f, i) for f, i in guest[pos:])
    for entries in pending:
        out.extend(entries)
    return out


def _fill_stacks(
    te: _host_traceback.TracebackException,
    exc: BaseException,
    tb: Any = _MISSING,
    py_limit: Any = _MISSING,
) -> None:
    """Replace the host stacks of a TracebackException tree with guest-aware ones."""
    todo = [(te, exc, tb)]
    while todo:
        t, e, t_tb = todo.pop()
        t.stack = extract(e, t_tb, py_limit)
        if t.__cause__ is not None and e.__cause__ is not None:
            todo.append((t.__cause__, e.__cause__, _MISSING))
        if t.__context__ is not None and e.__context__ is not None:
            todo.append((t.__context__, e.__context__, _MISSING))
        if t.exceptions and isinstance(e, BaseExceptionGroup):
            todo.extend((a, b, _MISSING) for a, b in zip(t.exceptions, e.exceptions))


def format_exception(exc: BaseException, *, chain: bool = True) -> str:
    """Return the uncaught-exception report for ``exc`` as CPython 3.11 prints it."""
    te = _host_traceback.TracebackException.__new__(_host_traceback.TracebackException)
    _HOST_TE_INIT(te, type(exc), exc, None, lookup_lines=False)
    _fill_stacks(te, exc)
    _add_suggestions(te, exc)
    _use_c_syntax_error_layout(te, exc)
    return "".join(te.format(chain=chain))


# -- SyntaxError's location block, as the C printer draws it ---------------------------
#
# traceback.py and Python/pythonrun.c disagree on odd offsets (negative, reversed, past
# the end) and on which whitespace to strip; the uncaught-exception report is the C one.


def _int_or(value: Any, default: int) -> int:
    return default if value is None else int(value)


def _c_syntax_error_lines(exc: SyntaxError, stype: str) -> list[str] | None:
    """Return the C printer's lines for a SyntaxError, or None to print it plainly."""
    try:
        msg = exc.msg
        filename = "<string>" if exc.filename is None else str(exc.filename)
        lineno = int(exc.lineno)  # None is an error in C too: print the plain form
        offset = _int_or(exc.offset, -1)
        if type(exc) is SyntaxError:
            end_lineno = _int_or(exc.end_lineno, lineno)
            end_offset = _int_or(exc.end_offset, -1)
        else:
            end_lineno, end_offset = lineno, -1
        text = exc.text
    except (TypeError, ValueError, AttributeError):
        return None
    lines = [f'  File "{filename}", line {lineno}\n']
    if text is not None:
        raw = str(text).encode("utf-8", "surrogateescape")
        if end_lineno > lineno:
            end_offset = len(raw)
        end_offset = min(end_offset, len(raw) + 1)
        lines.extend(_c_error_text(offset, end_offset, raw))
    tail = stype
    if msg is not None:
        text_msg = str(msg)
        tail += f": {text_msg}" if text_msg else ""
    lines.append(tail + "\n")
    return lines


def _c_error_text(offset: int, end_offset: int, raw: bytes) -> list[str]:
    """Return the source line and caret line of a SyntaxError (print_error_text)."""
    carets = end_offset - offset if end_offset > 0 and end_offset > offset else 1
    offset -= 1
    start = 0
    while start < len(raw) and raw[start] in b" \t\f":
        start += 1
        offset -= 1
    raw = raw[start:]
    size = len(raw) - 1 if raw.endswith(b"\n") else len(raw)
    offset = min(offset, size)
    while True:
        nl = raw.find(b"\n")
        if nl < 0 or nl >= offset:
            break
        raw = raw[nl + 1 :]
        size -= nl + 1
        offset -= nl + 1
    shown = raw.split(b"\0", 1)[0].decode("utf-8", "replace")
    lines = ["    " + shown + ("" if raw[size : size + 1] == b"\n" else "\n")]
    if offset >= 0:
        lines.append("    " + " " * offset + "^" * carets + "\n")
    return lines


def _use_c_syntax_error_layout(te: _host_traceback.TracebackException, exc: BaseException) -> None:
    """Make every SyntaxError in a TracebackException tree print as the C printer does."""
    todo = [(te, exc)]
    while todo:
        t, e = todo.pop()
        if isinstance(e, SyntaxError):
            base = _host_traceback.TracebackException.format_exception_only
            t.format_exception_only = _c_format_only(t, e, base)
        if t.__cause__ is not None and e.__cause__ is not None:
            todo.append((t.__cause__, e.__cause__))
        if t.__context__ is not None and e.__context__ is not None:
            todo.append((t.__context__, e.__context__))
        if t.exceptions and isinstance(e, BaseExceptionGroup):
            todo.extend(zip(t.exceptions, e.exceptions))


def _c_format_only(t: Any, e: SyntaxError, base: Any) -> Any:
    def format_exception_only() -> Any:
        stype = t.exc_type.__qualname__
        smod = t.exc_type.__module__
        if smod not in ("__main__", "builtins"):
            stype = (smod if isinstance(smod, str) else "<unknown>") + "." + stype
        lines = _c_syntax_error_lines(e, stype)
        if lines is None:
            yield from base(t)
            return
        yield from lines
        notes = t.__notes__
        if isinstance(notes, collections.abc.Sequence):
            for note in notes:
                yield from (line + "\n" for line in str(note).split("\n"))
        elif notes is not None:
            yield repr(notes) + "\n"

    return format_exception_only


# -- a guest's view of exc.__traceback__ ------------------------------------------------
#
# exc.__traceback__ is a host traceback: its tb_frame chain is pvm's dispatch loop. A
# GuestTraceback chain has CPython's attributes over the entries CPython would have
# (guest frames as GuestFrame, stdlib frames as they are), so code that walks
# tb_next/tb_frame/tb_lineno sees the guest's frames. It passes isinstance checks for
# types.TracebackType but is not one: C code that requires a real traceback
# (BaseException.with_traceback) rejects it, so it is for reading only.


class GuestTraceback:
    """One level of a guest-visible traceback, outermost first like a real one."""

    __slots__ = ("tb_frame", "tb_lineno", "tb_lasti", "_next", "_positions")

    def __init__(self, frame: Any, positions: tuple, lasti: int, tb_next: Any) -> None:
        self.tb_frame = frame
        self.tb_lineno = positions[0]
        self.tb_lasti = lasti
        self._next = tb_next
        self._positions = positions

    @property
    def tb_next(self) -> Any:
        return self._next

    @tb_next.setter
    def tb_next(self, value: Any) -> None:
        # The checks of Python/traceback.c: tb_next_set.
        if value is not None and not isinstance(value, types.TracebackType):
            raise TypeError(f"expected traceback object, got '{type(value).__name__}'")
        node = value
        while node is not None:
            if node is self:
                raise ValueError("traceback loop detected")
            node = node.tb_next
        self._next = value

    @tb_next.deleter
    def tb_next(self) -> None:
        raise TypeError("can't delete tb_next attribute")

    @property
    def __class__(self) -> type:
        return types.TracebackType

    def __repr__(self) -> str:
        return f"<traceback object at {id(self):#x}>"

    def __sizeof__(self) -> int:
        return types.TracebackType.__basicsize__


# The guest sees the type by its CPython name: type(tb).__name__ == "traceback".
GuestTraceback.__name__ = GuestTraceback.__qualname__ = "traceback"
GuestTraceback.__module__ = "builtins"


def guest_traceback(exc: BaseException) -> Any:
    """Return a GuestTraceback chain for exc's guest frames, or its host traceback if none.

    The chain is cached on the exception until the exception travels further, so that
    ``e.__traceback__ is e.__traceback__`` holds as in CPython.
    """
    guest = getattr(exc, "__pvm_tb__", None)
    tail = getattr(exc, "_pvm_tb_tail", None)
    host = exc.__traceback__
    if not guest:
        if host is None:
            return tail
        if isinstance(exc, BaseExceptionGroup) and _passes_pvm(host):
            # A part that split()/subgroup() made: it shares its group's traceback.
            owner = _owner_exception(host)
            if owner is not None:
                return guest_traceback(owner)
        return host
    cached = getattr(exc, "_pvm_tb_view", None)
    if cached is not None and cached[0] == len(guest) and cached[1] is host:
        return cached[2]
    entries = merged_entries(exc)
    if tail is not None:
        entries = entries[: len(entries) - len(_tail_entries(tail))]
    tb = tail
    for frame, positions in reversed(entries):
        entry_lasti = getattr(positions, "lasti", None)
        if entry_lasti is not None:
            # CPython units (2 per instruction), so host code mapping tb_lasti // 2 onto
            # co_positions() finds the entry's instruction.
            lasti = 2 * entry_lasti
        else:
            lasti = getattr(frame, "f_lasti", -1)
        tb = GuestTraceback(frame, positions, lasti, tb)
    exc._pvm_tb_view = (len(guest), host, tb)
    return tb


# -- "Did you mean" (the namespaces Python/suggestions.c searches; the distance is in
# pvm.runtime.suggestions) ----------------------------------------------------------------


def _innermost_namespaces(exc: BaseException) -> tuple | None:
    """Return (local names, globals, builtins) of the frame where exc was raised."""
    tb = exc.__traceback__
    host_frame = None
    while tb is not None:
        host_frame = tb.tb_frame
        tb = tb.tb_next
    if host_frame is not None and not _is_hidden_host_frame(host_frame.f_code.co_filename):
        return host_frame.f_code.co_varnames, host_frame.f_globals, host_frame.f_builtins
    guest = getattr(exc, "__pvm_tb__", None)
    if not guest:
        return None
    frame = guest[0][0]
    builtins = frame.f_builtins
    if not isinstance(builtins, dict):
        builtins = builtins.__dict__
    return frame.f_code.co_varnames, frame.f_globals, builtins


def suggestion_for(exc: BaseException) -> str | None:
    """Return the "Did you mean" name CPython 3.11 would offer for exc, if any."""
    name = getattr(exc, "name", None)
    if type(name) is not str:
        return None
    if type(exc) is AttributeError:
        obj = exc.obj
        if obj is None:
            return None
        try:
            return best_suggestion(dir(obj), name)
        except Exception:
            return None
    if type(exc) is NameError:
        spaces = _innermost_namespaces(exc)
        if spaces is None:
            return None
        for names in spaces:
            found = best_suggestion(list(names), name)
            if found is not None:
                return found
    return None


def _add_suggestions(te: _host_traceback.TracebackException, exc: BaseException) -> None:
    """Append ". Did you mean: 'x'?" to the messages of a TracebackException tree."""
    todo = [(te, exc)]
    while todo:
        t, e = todo.pop()
        if type(e) in (NameError, AttributeError):
            found = suggestion_for(e)
            if found is not None:
                t._str += f". Did you mean: {found!r}?"
        if t.__cause__ is not None and e.__cause__ is not None:
            todo.append((t.__cause__, e.__cause__))
        if t.__context__ is not None and e.__context__ is not None:
            todo.append((t.__context__, e.__context__))
        if t.exceptions and isinstance(e, BaseExceptionGroup):
            todo.extend(zip(t.exceptions, e.exceptions))


def format_exception_only(exc: BaseException) -> str:
    """Return the last line(s) of the report: the exception type and message."""
    te = _host_traceback.TracebackException.__new__(_host_traceback.TracebackException)
    _HOST_TE_INIT(te, type(exc), exc, None, lookup_lines=False)
    return "".join(te.format_exception_only())


def print_exception(exc: BaseException, file: TextIO | None = None) -> None:
    """Write the uncaught-exception report for ``exc`` to ``file`` (default stderr)."""
    if file is None:
        file = world.stream("stderr")
    text = format_exception(exc)
    try:
        file.write(text)
        file.flush()
    except Exception:
        pass


def excepthook(exc_type: type, exc: BaseException, tb: Any) -> None:
    """Print an uncaught exception like sys.__excepthook__, with guest frames."""
    if not isinstance(exc, BaseException):
        # As Python/pythonrun.c's print_exception, on the guest's stderr.
        stream = world.stream("stderr")
        if stream is not None:
            stream.write(
                "TypeError: print_exception(): Exception expected for value, "
                f"{type(exc).__name__} found\n"
            )
        return
    print_exception(exc)


def unraisablehook(unraisable: Any) -> None:
    """Report an unraisable exception like CPython's default hook, with guest frames."""
    if type(unraisable) is not unraisable_args_type():
        raise TypeError("sys.unraisablehook argument type must be UnraisableHookArgs")
    obj = unraisable.object
    msg = unraisable.err_msg
    if msg is None and getattr(obj, "__name__", None) == "__del__" and hasattr(obj, "__func__"):
        # CPython's finalizer reports the unbound __del__ function; the host's finalizer
        # calls a guest class's __del__ (a pvm function, so a descriptor) bound.
        obj = obj.__func__
        unraisable = type(unraisable)(
            (unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback, msg, obj)
        )
    guest = world.current()
    if guest is not None:
        # C code (a _thread thread's end, a host finalizer) calls the host's sys hook,
        # which is this one; a guest world's program may have set its own.
        hook = guest.sys.__dict__.get("unraisablehook")
        if hook is not None and hook is not unraisablehook:
            try:
                hook(unraisable)
                return
            except BaseException as failed:  # as Python/errors.c: the default hook says so
                msg, obj = "Exception ignored in sys.unraisablehook", hook
                unraisable = unraisable_args(type(failed), failed, failed.__traceback__, msg, obj)
    exc = unraisable.exc_value
    if isinstance(exc, BaseException) and not merged_entries(exc):
        # C gives an exception without a traceback one of the frame running (the guest's
        # innermost), as _PyErr_WriteUnraisableMsg does.
        frame = threadstate.current().frame
        if frame is not None:
            entry = _guest_entry(frame, frame.live_lasti())
            set_traceback(exc, GuestTraceback(entry[0], entry[1], 2 * entry[1].lasti, None))
    stream = world.stream("stderr")
    if stream is None:
        return
    if obj is not None:
        try:
            obj_repr = repr(obj)
        except Exception:
            obj_repr = "<object repr() failed>"
        head = f"{msg or 'Exception ignored in'}: {obj_repr}\n"
    elif msg:
        head = f"{msg}:\n"
    else:
        head = ""
    try:
        stream.write(head)
        if exc is not None:
            stream.write(format_exception(exc, chain=False))
        elif unraisable.exc_type is not None:
            stream.write(f"{unraisable.exc_type.__qualname__}\n")
        stream.flush()
    except Exception:
        pass


def thread_excepthook(args: Any) -> None:
    """Report an exception escaping a thread like threading's default hook."""
    if args.exc_type is SystemExit:
        return
    stream = world.stream("stderr")
    if stream is None and args.thread is not None:
        stream = getattr(args.thread, "_stderr", None)
    if stream is None:
        return
    name = args.thread.name if args.thread is not None else None
    if name is None:
        import threading

        name = threading.get_ident()
    try:
        stream.write(f"Exception in thread {name}:\n")
        stream.write(format_exception(args.exc_value))
        stream.flush()
    except Exception:
        pass


# -- the host's traceback module, as guest code sees it --------------------------------
#
# Guest code that prints tracebacks itself (traceback.print_exc(), logging.exception(),
# unittest's reports) goes through the host's traceback.TracebackException. While a
# guest program runs, its constructor also fills in guest frames for exceptions that
# passed through pvm, so those reports look as they would under CPython.


def _guest_aware_init(
    self: Any, exc_type: Any, exc_value: Any, exc_traceback: Any, **kw: Any
) -> None:
    _HOST_TE_INIT(self, exc_type, exc_value, exc_traceback, **kw)
    if kw.get("_seen") is None and isinstance(exc_value, BaseException) and _touched_pvm(exc_value):
        _fill_stacks(self, exc_value, exc_traceback, kw.get("limit"))
        if kw.get("lookup_lines", True):
            self._load_lines()


def _touched_pvm(exc: BaseException) -> bool:
    """Return True if exc or an exception chained to it passed through guest frames."""
    seen = set()
    todo = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if getattr(e, "__pvm_tb__", None):
            return True
        todo.extend((e.__cause__, e.__context__))
        if isinstance(e, BaseExceptionGroup):
            todo.extend(e.exceptions)
    return False


def _passes_pvm(tb: Any) -> bool:
    """Return True if a host traceback goes through one of pvm's own frames."""
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.startswith(_PVM_DIR):
            return True
        tb = tb.tb_next
    return False


def _owner_exception(tb: Any) -> BaseException | None:
    """Return the exception whose __traceback__ is tb, if it carries guest frames."""
    for obj in gc.get_referrers(tb):
        if (
            isinstance(obj, BaseException)
            and obj.__traceback__ is tb
            and getattr(obj, "__pvm_tb__", None)
        ):
            return obj
    return None


def _guest_aware_walk_full(tb: Any) -> Any:
    """traceback._walk_tb_with_full_positions, with guest frames for pvm's."""
    if type(tb) is GuestTraceback:
        return iter(_tail_entries(tb))
    if tb is None or not _passes_pvm(tb):
        return _HOST_WALK_FULL(tb)  # a plain host traceback: unchanged
    exc = _owner_exception(tb)
    if exc is not None:
        return iter(merged_entries(exc, tb))
    return (e for e in _HOST_WALK_FULL(tb) if not _is_hidden_host_frame(e[0].f_code.co_filename))


def _guest_aware_walk_tb(tb: Any) -> Any:
    """traceback.walk_tb, with guest frames for pvm's."""
    return ((frame, pos[0]) for frame, pos in _guest_aware_walk_full(tb))


def install_host_patch() -> None:
    """Make the host traceback module show guest frames (idempotent)."""
    _host_traceback.TracebackException.__init__ = _guest_aware_init
    _host_traceback._walk_tb_with_full_positions = _guest_aware_walk_full
    _host_traceback.walk_tb = _guest_aware_walk_tb


def uninstall_host_patch() -> None:
    """Undo install_host_patch()."""
    _host_traceback.TracebackException.__init__ = _HOST_TE_INIT
    _host_traceback._walk_tb_with_full_positions = _HOST_WALK_FULL
    _host_traceback.walk_tb = _HOST_WALK_TB


hooks.provide(
    traceback_view=guest_traceback,
    with_traceback=with_traceback_method,
    set_traceback=set_traceback,
)
