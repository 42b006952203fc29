"""The __pycache__ bytecode cache: file names, the 16-byte header, validation, atomic writes.

A cache file is ``__pycache__/NAME.pvm-XY.pyc`` (XY: the host's major and minor version)
next to the source, or under ``sys.pycache_prefix`` / PYTHONPYCACHEPREFIX as CPython
does; code compiled under -O or -OO goes to ``NAME.pvm-XY.opt-1.pyc`` or ``.opt-2.pyc``
(PEP 488), so that the levels never mix. Its header follows PEP 552::

    offset 0   magic     4 bytes: 2 bytes of a hash of the instruction set, the
                         serialization format and the compiler's sources, then b"\\r\\n"
    offset 4   flags     uint32 LE: bit 0 hash-based, bit 1 check_source
    offset 8   either    mtime (uint32 LE) + source size (uint32 LE)     (flags bit 0 clear)
               or        an 8-byte hash of the source bytes              (flags bit 0 set)
    offset 16  payload   serialize.dumps(module code object)

The "mtime" is the source's modification time in microseconds, modulo 2**32: unlike
CPython's whole seconds it also catches an edit made within the same second. A cache
that is stale, truncated, corrupt or has another magic is ignored, recompiled and
rewritten; a cache that cannot be written is simply not written.
"""

from __future__ import annotations

import enum
import hashlib
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pvm.bytecode import opcode, serialize
from pvm.bytecode.code import CodeObject, Position
from pvm.config import config
from pvm.fileutil import write_atomic

# Bump when the meaning of the bytecode changes without the opcode table changing
# (e.g. an instruction's stack layout), so that old caches are not trusted.
BYTECODE_REVISION = 1

CACHE_TAG = f"pvm-{sys.version_info.major}{sys.version_info.minor}"
HEADER_SIZE = 16
FLAG_HASH_BASED = 0b01
FLAG_CHECK_SOURCE = 0b10

CompileFn = Callable[[bytes, str], CodeObject]
# Told what importlib's SourceLoader.get_code tells `python3 -v` (one message, no "# ").
Note = Callable[[str], None]


class InvalidationMode(enum.Enum):
    """How a cache file records the source it was compiled from (as py_compile's)."""

    TIMESTAMP = 0
    CHECKED_HASH = FLAG_HASH_BASED | FLAG_CHECK_SOURCE
    UNCHECKED_HASH = FLAG_HASH_BASED


class Outcome(enum.Enum):
    """What load() did to produce a code object."""

    HIT = "hit"  # loaded from a valid cache, not compiled
    COMPILED = "compiled"  # compiled (no usable cache), and the cache was written
    COMPILED_NOT_WRITTEN = "compiled, not written"  # compiled; writing skipped or failed


@dataclass
class LoadResult:
    """A code object and how it was obtained."""

    code: CodeObject
    outcome: Outcome
    cache_path: str | None
    reason: str  # why the cache was not used (empty on a hit)


@dataclass
class Stats:
    """Process-wide counters, so tests can tell a cache hit from a compile."""

    hits: int = 0
    compiles: int = 0
    writes: int = 0
    rejected: int = 0  # cache files found but not trusted
    unserializable: int = 0  # compiled code that serialize.dumps refused (a pvm bug)

    def reset(self) -> None:
        """Set every counter back to zero."""
        self.hits = self.compiles = self.writes = self.rejected = self.unserializable = 0


stats = Stats()
_stats_lock = threading.Lock()
# Messages in the spirit of `python -v`, on stderr, when true (set by the cli).
verbose = bool(os.environ.get("PVMVERBOSE"))


def _verbose(message: str) -> None:
    if verbose:
        print(f"# {message}", file=sys.stderr)


def _count(field: str) -> None:
    with _stats_lock:
        setattr(stats, field, getattr(stats, field) + 1)


# -- magic ----------------------------------------------------------------------


def _compiler_fingerprint() -> bytes:
    # The compiler's own sources are part of the magic, so that a cache written by
    # an older compiler is never trusted after the compiler changes.  Read as files,
    # not imported: the bytecode layer must not import the compiler.
    digest = hashlib.blake2b(digest_size=16)
    compiler_dir = Path(__file__).resolve().parent.parent / "compiler"
    try:
        for path in sorted(compiler_dir.glob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    except OSError:
        digest.update(b"unreadable")
    return digest.digest()


def _make_magic() -> bytes:
    digest = hashlib.blake2b(digest_size=2)
    digest.update(repr(BYTECODE_REVISION).encode())
    digest.update(repr(serialize.FORMAT_VERSION).encode())
    table = sorted(
        (number, name, int(opcode.argkind[number])) for name, number in opcode.opmap.items()
    )
    digest.update(repr((table, opcode.BINARY_OPS, opcode.COMPARE_OPS)).encode())
    digest.update(_compiler_fingerprint())
    return digest.digest() + b"\r\n"


MAGIC = _make_magic()


# -- paths ----------------------------------------------------------------------


def _pycache_prefix() -> str | None:
    prefix = getattr(sys, "pycache_prefix", None)
    if prefix is None:
        prefix = os.environ.get("PYTHONPYCACHEPREFIX") or None
    return prefix


def opt_suffix(optimization: int | None = None) -> str:
    """Return the file name part for an optimization level (default: the interpreter's)."""
    level = config.optimize if optimization is None else optimization
    return f".opt-{level}" if level else ""


def cache_path(source_path: str, optimization: int | None = None) -> str:
    """Return the cache file path for a source file, as importlib's cache_from_source."""
    head, tail = os.path.split(os.fspath(source_path))
    base, _, rest = tail.rpartition(".")
    almost = (base if base else rest) + "." + CACHE_TAG + opt_suffix(optimization) + ".pyc"
    prefix = _pycache_prefix()
    if prefix is not None:
        if not os.path.isabs(head):
            head = os.path.join(os.getcwd(), head)
        head = os.path.splitdrive(head)[1].lstrip(os.sep + (os.altsep or ""))
        return os.path.join(prefix, head, almost)
    return os.path.join(head, "__pycache__", almost)


def writing_disabled() -> bool:
    """Return True when bytecode must not be written (-B, PYTHONDONTWRITEBYTECODE)."""
    return bool(sys.dont_write_bytecode or os.environ.get("PYTHONDONTWRITEBYTECODE"))


# -- header ---------------------------------------------------------------------


def _mtime_field(st: os.stat_result) -> int:
    return (st.st_mtime_ns // 1000) & 0xFFFFFFFF


def source_hash(source: bytes) -> bytes:
    """Return the 8-byte hash of source bytes stored in hash-based cache files."""
    return hashlib.blake2b(source, digest_size=8, key=MAGIC).digest()


def make_header(
    st: os.stat_result | None,
    source: bytes,
    mode: InvalidationMode = InvalidationMode.TIMESTAMP,
) -> bytes:
    """Return the 16-byte header for a cache of ``source`` (stat needed for TIMESTAMP)."""
    flags = mode.value.to_bytes(4, "little")
    if mode is InvalidationMode.TIMESTAMP:
        if st is None:
            raise ValueError("a timestamp header needs the source's stat result")
        stamp = _mtime_field(st).to_bytes(4, "little")
        size = (st.st_size & 0xFFFFFFFF).to_bytes(4, "little")
        return MAGIC + flags + stamp + size
    return MAGIC + flags + source_hash(source)


class _Stale(Exception):
    """The cache file exists but must not be used; the message says why."""


def _validate(data: bytes, st: os.stat_result, source_path: str) -> None:
    """Raise _Stale unless ``data``'s header matches the source described by ``st``."""
    if len(data) < HEADER_SIZE:
        raise _Stale("truncated header")
    if data[:4] != MAGIC:
        raise _Stale("bad magic number")
    flags = int.from_bytes(data[4:8], "little")
    if flags & ~(FLAG_HASH_BASED | FLAG_CHECK_SOURCE):
        raise _Stale(f"invalid flags {flags:#x}")
    if flags & FLAG_HASH_BASED:
        # --check-hash-based-pycs: "default" checks the checked ones, "always" all of
        # them, "never" none (as importlib's SourceLoader.get_code).
        check = config.check_hash_based_pycs
        if check != "never" and (flags & FLAG_CHECK_SOURCE or check == "always"):
            with open(source_path, "rb") as f:
                if source_hash(f.read()) != data[8:16]:
                    raise _Stale("hash does not match the source")
        return
    if int.from_bytes(data[8:12], "little") != _mtime_field(st):
        raise _Stale("bytecode is stale (mtime)")
    if int.from_bytes(data[12:16], "little") != st.st_size & 0xFFFFFFFF:
        raise _Stale("bytecode is stale (size)")


# -- reading and writing ----------------------------------------------------------


def read_cache(source_path: str, st: os.stat_result | None = None) -> CodeObject:
    """Return the code object cached for ``source_path``; raise ValueError if unusable."""
    if st is None:
        st = os.stat(source_path)
    path = cache_path(source_path)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from None
    return _decode(data, path, source_path, st)


def _decode(data: bytes, path: str, source_path: str, st: os.stat_result) -> CodeObject:
    """Return the code object in cache file bytes; raise ValueError if they are not valid."""
    try:
        _validate(data, st, source_path)
    except (_Stale, OSError) as exc:
        raise ValueError(f"{path}: {exc}") from None
    code = serialize.loads(data[HEADER_SIZE:])
    if not config.code_debug_ranges:
        code = without_columns(code)  # as CPython strips them from a .pyc it reads
    return fix_filename(code, source_path)


def without_columns(code: CodeObject) -> CodeObject:
    """Return code (and the code objects in it) with line numbers only (-X no_debug_ranges)."""
    consts = tuple(without_columns(c) if isinstance(c, CodeObject) else c for c in code.co_consts)
    table = tuple(Position(p.lineno, p.lineno, None, None) for p in code.co_linetable)
    return code.replace(co_linetable=table, co_consts=consts)


def fix_filename(code: CodeObject, filename: str) -> CodeObject:
    """Return code (and the code objects in it) with co_filename set to filename."""
    # As CPython's _imp._fix_co_filename: a cache made under another path (a moved
    # tree, a relative vs an absolute spelling) must report the current one.
    if code.co_filename == filename:
        return code
    consts = tuple(
        fix_filename(c, filename) if isinstance(c, CodeObject) else c for c in code.co_consts
    )
    return code.replace(co_filename=filename, co_consts=consts)


def write_cache(
    source_path: str,
    code: CodeObject,
    source: bytes,
    st: os.stat_result | None,
    mode: InvalidationMode = InvalidationMode.TIMESTAMP,
    cache_file: str | None = None,
    note: Note | None = None,
    force: bool = False,
) -> str | None:
    """Write the cache for ``source_path``, best effort; return its path, None if not written.

    With ``cache_file`` (a library module's, see pvm.runtime.world) the cache goes
    there, and -B / PYTHONDONTWRITEBYTECODE do not apply; nor with ``force`` (asked
    for by name, as py_compile and compileall write whatever those say).
    """
    if cache_file is None and not force and writing_disabled():
        return None
    path = cache_file or cache_path(source_path)
    try:
        payload = make_header(st, source, mode) + serialize.dumps(code)
    except ValueError as exc:
        # A code object the format cannot hold is a pvm bug, but caching is best
        # effort: the program still runs; PVMVERBOSE shows why nothing was cached.
        _count("unserializable")
        _verbose(f"could not serialize the code of {source_path!r}: {exc}")
        return None
    # The cache file gets the source's permission bits, as CPython's do.
    file_mode = (st.st_mode & 0o666) | 0o200 if st is not None else 0o666
    try:
        write_atomic(path, payload, file_mode, make_dirs=True)
    except OSError as exc:
        _verbose(f"could not create {path!r}: {exc!r}")
        if note is not None:
            note(f"could not create {path!r}: {exc!r}")
        return None
    _count("writes")
    _verbose(f"wrote {path!r}")
    if note is not None:
        note(f"created {path!r}")
    return path


def load(
    source_path: str,
    compile_fn: CompileFn,
    *,
    write: bool = True,
    cache_file: str | None = None,
    note: Note | None = None,
) -> LoadResult:
    """Return the module code for ``source_path`` from a valid cache, or compile and cache it.

    OSError from reading the source and SyntaxError from ``compile_fn`` propagate;
    nothing about the cache file itself is ever an error.  ``cache_file`` puts the
    cache somewhere else than __pycache__ (see write_cache).  ``note`` is told what
    importlib tells `python3 -v` (the guest's import system passes its own).
    """
    mode = InvalidationMode.TIMESTAMP
    st = os.stat(source_path)
    path = cache_file or cache_path(source_path)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        reason = "no cache file"
    else:
        try:
            code = _decode(data, path, source_path, st)
        except ValueError as exc:
            reason = str(exc)
            _count("rejected")
            _verbose(f"{reason}; recompiling {source_path!r}")
            if data[:4] == MAGIC and len(data) >= HEADER_SIZE:  # rewritten as it was
                flags = int.from_bytes(data[4:8], "little")
                if flags in (m.value for m in InvalidationMode):
                    mode = InvalidationMode(flags)
        else:
            _count("hits")
            _verbose(f"code object from {path!r}")
            if note is not None:
                note(f"{path} matches {source_path}")
                note(f"code object from {path!r}")
            return LoadResult(code, Outcome.HIT, path, "")
    with open(source_path, "rb") as f:
        source = f.read()
    code = compile_fn(source, source_path)
    _count("compiles")
    if note is not None:
        note(f"code object from {source_path}")
    written = (
        write_cache(source_path, code, source, st, mode, cache_file=cache_file, note=note)
        if write
        else None
    )
    outcome = Outcome.COMPILED if written else Outcome.COMPILED_NOT_WRITTEN
    return LoadResult(code, outcome, written, reason)


def load_or_compile(source_path: str, compile_fn: CompileFn, *, write: bool = True) -> CodeObject:
    """Return the module code for ``source_path``, from its cache if valid, else compiled."""
    return load(source_path, compile_fn, write=write).code


def compile_file(
    source_path: str,
    compile_fn: CompileFn,
    *,
    write: bool = True,
    mode: InvalidationMode | None = None,
) -> LoadResult:
    """Compile ``source_path`` unconditionally and write its cache, as py_compile does.

    The cache is written even under -B or PYTHONDONTWRITEBYTECODE, as py_compile and
    compileall write it (those govern what importing writes).

    The invalidation mode defaults to CHECKED_HASH when SOURCE_DATE_EPOCH is set
    (reproducible builds), else TIMESTAMP.
    """
    if mode is None:
        if os.environ.get("SOURCE_DATE_EPOCH"):
            mode = InvalidationMode.CHECKED_HASH
        else:
            mode = InvalidationMode.TIMESTAMP
    st = os.stat(source_path)
    with open(source_path, "rb") as f:
        source = f.read()
    code = compile_fn(source, source_path)
    _count("compiles")
    written = write_cache(source_path, code, source, st, mode, force=True) if write else None
    outcome = Outcome.COMPILED if written else Outcome.COMPILED_NOT_WRITTEN
    return LoadResult(code, outcome, written, "")
