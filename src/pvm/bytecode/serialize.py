"""Serialize pvm code objects to a compact, versioned binary format and back.

Layout (all integers unsigned LEB128 "varints" unless noted)::

    +---------+---------+-------------+---------------------------+
    | "pvmC"  | version | crc32 (4 B, | body: one code object     |
    | 4 bytes | 1 byte  | LE) of body | (see _Writer.code)        |
    +---------+---------+-------------+---------------------------+

A code object is the tag ``C`` followed by its fields in CodeObject order. Strings
are written once and then referred to by index (tag ``r``), as marshal does, so the
file name and common names cost one byte after their first use. Constants are
tagged values (see ``_Writer.value``). The line table is columnar (flag bytes, then
one array of values; see ``_Writer.linetable``) so that loading it is mostly C work.
``loads`` checks every length against the
bytes that remain, every tag, every operand index and the checksum, and raises
ValueError for anything malformed, so a damaged cache file can never crash the VM.
This module knows nothing of files; cache.py adds the header and the file handling.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array

from pvm.bytecode import opcode
from pvm.bytecode.code import CodeObject, ExceptionTableEntry, Position
from pvm.bytecode.opcode import INSTRUCTION_SIZE, ArgKind

MAGIC = b"pvmC"
# Bump whenever the layout below changes; cache.py folds it into the cache magic.
FORMAT_VERSION = 3

_MAX_DEPTH = 200  # nesting of tuples / code objects; deeper input is rejected
_DOUBLE = struct.Struct("<d")
_COMPLEX = struct.Struct("<dd")
_CRC = struct.Struct("<I")

# Value tags.
_NONE = ord("N")
_TRUE = ord("T")
_FALSE = ord("F")
_ELLIPSIS = ord("E")
_SMALLINT = ord("i")  # zigzag varint, |n| < 2**63
_BIGINT = ord("I")  # sign byte, length, little-endian magnitude
_FLOAT = ord("f")
_COMPLEXTAG = ord("x")
_STR = ord("s")  # new string: length, UTF-8 with surrogatepass
_STRREF = ord("r")  # index of a string seen before
_BYTES = ord("b")
_TUPLE = ord("t")
_FROZENSET = ord("z")
_CODE = ord("C")

_POS_LINE = 1  # Position field presence bits
_POS_END_LINE = 2
_POS_COL = 4
_POS_END_COL = 8
_POS_REPEAT = 0x10  # the same position as the previous instruction
_ALL_FIELDS = _POS_LINE | _POS_END_LINE | _POS_COL | _POS_END_COL
# Number of values that follow each flag byte (an invalid flag counts none).
_FIELD_COUNT = bytes(f.bit_count() if f <= _ALL_FIELDS else 0 for f in range(256))
# Item sizes for the position values: (array typecode, exclusive bound on |value|).
_POSITION_ITEMS = (("h", 1 << 15), ("i", 1 << 31), ("q", 1 << 63))
_POSITION_TYPECODES = {"h": 2, "i": 4, "q": 8}
_BIG_ENDIAN = sys.byteorder == "big"


def dumps(code: CodeObject) -> bytes:
    """Return the serialized bytes of a code object and everything nested in it."""
    writer = _Writer()
    writer.code(code, 0)
    body = bytes(writer.out)
    return MAGIC + bytes([FORMAT_VERSION]) + _CRC.pack(zlib.crc32(body)) + body


def loads(data: bytes) -> CodeObject:
    """Return the code object serialized in ``data``; raise ValueError if malformed."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"expected bytes, not {type(data).__name__}")
    data = bytes(data)
    if len(data) < 9:
        raise ValueError("bad pvm code data: truncated header")
    if data[:4] != MAGIC:
        raise ValueError("bad pvm code data: wrong magic")
    if data[4] != FORMAT_VERSION:
        raise ValueError(f"bad pvm code data: format version {data[4]}, expected {FORMAT_VERSION}")
    (crc,) = _CRC.unpack_from(data, 5)
    if zlib.crc32(data[9:]) != crc:
        raise ValueError("bad pvm code data: checksum mismatch")
    return loads_body(data, 9)


def loads_body(data: bytes, start: int = 0) -> CodeObject:
    """Decode a body (no header, no checksum) starting at ``start``; raise ValueError."""
    reader = _Reader(data, start)
    try:
        if reader.byte() != _CODE:
            raise ValueError("bad pvm code data: body is not a code object")
        code = reader.code(0)
    except ValueError:
        raise
    except (RecursionError, MemoryError, OverflowError) as exc:
        raise ValueError(f"bad pvm code data: {type(exc).__name__}") from None
    except Exception as exc:  # noqa: BLE001 - malformed input must only ever give ValueError
        raise ValueError(f"bad pvm code data: {exc!r}") from None
    if reader.pos != len(data):
        raise ValueError("bad pvm code data: trailing garbage")
    return code


def _zigzag(n: int) -> int:
    return n << 1 if n >= 0 else ((-n) << 1) - 1


def _unzigzag(z: int) -> int:
    return z >> 1 if not z & 1 else -((z + 1) >> 1)


class _Writer:
    """Accumulate the body of a serialized code object."""

    def __init__(self) -> None:
        self.out = bytearray()
        self.strings: dict[str, int] = {}

    def varint(self, n: int) -> None:
        out = self.out
        while n > 0x7F:
            out.append((n & 0x7F) | 0x80)
            n >>= 7
        out.append(n)

    def sint(self, n: int) -> None:
        self.varint(_zigzag(n))

    def string(self, s: str) -> None:
        index = self.strings.get(s)
        if index is not None:
            self.out.append(_STRREF)
            self.varint(index)
            return
        self.strings[s] = len(self.strings)
        raw = s.encode("utf-8", "surrogatepass")
        self.out.append(_STR)
        self.varint(len(raw))
        self.out += raw

    def str_tuple(self, items: tuple[str, ...]) -> None:
        self.varint(len(items))
        for s in items:
            if type(s) is not str:
                raise ValueError(f"name must be str, not {type(s).__name__}")
            self.string(s)

    def value(self, v: object, depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise ValueError("constant nested too deeply to serialize")
        out = self.out
        t = type(v)
        if v is None:
            out.append(_NONE)
        elif v is True:
            out.append(_TRUE)
        elif v is False:
            out.append(_FALSE)
        elif v is Ellipsis:
            out.append(_ELLIPSIS)
        elif t is int:
            if -(1 << 63) < v < (1 << 63):
                out.append(_SMALLINT)
                self.sint(v)
            else:
                magnitude = abs(v)
                out.append(_BIGINT)
                out.append(1 if v < 0 else 0)
                raw = magnitude.to_bytes((magnitude.bit_length() + 7) // 8, "little")
                self.varint(len(raw))
                out += raw
        elif t is float:
            out.append(_FLOAT)
            out += _DOUBLE.pack(v)
        elif t is complex:
            out.append(_COMPLEXTAG)
            out += _COMPLEX.pack(v.real, v.imag)
        elif t is str:
            self.string(v)
        elif t is bytes:
            out.append(_BYTES)
            self.varint(len(v))
            out += v
        elif t is tuple:
            out.append(_TUPLE)
            self.varint(len(v))
            for item in v:
                self.value(item, depth + 1)
        elif t is frozenset:
            out.append(_FROZENSET)
            self.varint(len(v))
            # A stable order makes the bytes reproducible despite hash randomization.
            for item in sorted(v, key=_stable_key):
                self.value(item, depth + 1)
        elif t is CodeObject:
            self.code(v, depth + 1)
        else:
            raise ValueError(f"cannot serialize a constant of type {t.__name__}")

    def code(self, co: CodeObject, depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise ValueError("code objects nested too deeply to serialize")
        if len(co.co_code) % INSTRUCTION_SIZE:
            raise ValueError("co_code length is not a multiple of the instruction size")
        ninstr = len(co.co_code) // INSTRUCTION_SIZE
        if len(co.co_linetable) != ninstr:
            raise ValueError(
                f"co_linetable has {len(co.co_linetable)} entries for {ninstr} instructions"
            )
        self.out.append(_CODE)
        for n in (
            co.co_argcount,
            co.co_posonlyargcount,
            co.co_kwonlyargcount,
            co.co_stacksize,
            co.co_flags,
        ):
            self.varint(n)
        self.varint(len(co.co_code))
        self.out += co.co_code
        self.varint(len(co.co_consts))
        for const in co.co_consts:
            self.value(const, depth + 1)
        self.str_tuple(co.co_names)
        self.str_tuple(co.co_varnames)
        self.str_tuple(co.co_freevars)
        self.str_tuple(co.co_cellvars)
        self.string(co.co_filename)
        self.string(co.co_name)
        self.string(co.co_qualname)
        self.sint(co.co_firstlineno)
        self.linetable(co.co_linetable)
        self.varint(len(co.co_exceptiontable))
        for entry in co.co_exceptiontable:
            self.varint(entry.start)
            self.varint(entry.end)
            self.varint(entry.target)
            self.varint(entry.depth)
            self.out.append(1 if entry.lasti else 0)

    def linetable(self, table: tuple[Position, ...]) -> None:
        # Columnar, so that loading is a C-speed array decode plus one short loop:
        # one flag byte per instruction saying which fields are present (or
        # _POS_REPEAT: the same position as the previous instruction), then all
        # present values as one little-endian array of the narrowest item size
        # that holds them. Lines are deltas (line from the previous line, end
        # line from line), so nearly every value fits in two bytes.
        flags = bytearray()
        values: list[int] = []
        prev = 0
        last = None
        for pos in table:
            if pos == last:
                flags.append(_POS_REPEAT)
                continue
            last = pos
            lineno, end_lineno, col, end_col = pos
            bits = 0
            if lineno is not None:
                bits |= _POS_LINE
                values.append(lineno - prev)
                prev = lineno
            if end_lineno is not None:
                bits |= _POS_END_LINE
                values.append(end_lineno - (lineno if lineno is not None else prev))
            if col is not None:
                bits |= _POS_COL
                values.append(col)
            if end_col is not None:
                bits |= _POS_END_COL
                values.append(end_col)
            flags.append(bits)
        low, high = (min(values), max(values)) if values else (0, 0)
        for typecode, bound in _POSITION_ITEMS:  # noqa: B007 - the one found is used below
            if -bound <= low and high < bound:
                break
        else:
            raise ValueError("a source position is too large to serialize")
        items = array(typecode, values)
        if _BIG_ENDIAN:
            items.byteswap()
        self.out += flags
        self.out.append(ord(typecode))
        self.varint(len(values))
        self.out += items.tobytes()


def _stable_key(v: object) -> tuple[str, str]:
    return (type(v).__name__, repr(v))


class _Reader:
    """Decode a serialized body, checking every length and index as it goes."""

    def __init__(self, data: bytes, pos: int) -> None:
        self.data = data
        self.pos = pos
        self.strings: list[str] = []

    def fail(self, what: str) -> ValueError:
        return ValueError(f"bad pvm code data at byte {self.pos}: {what}")

    def byte(self) -> int:
        pos = self.pos
        if pos >= len(self.data):
            raise self.fail("truncated")
        self.pos = pos + 1
        return self.data[pos]

    def take(self, n: int) -> bytes:
        pos = self.pos
        if n > len(self.data) - pos:
            raise self.fail("truncated")
        self.pos = pos + n
        return self.data[pos : pos + n]

    def varint(self) -> int:
        data = self.data
        pos = self.pos
        result = 0
        shift = 0
        while True:
            if pos >= len(data):
                raise self.fail("truncated number")
            b = data[pos]
            pos += 1
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                break
            shift += 7
            if shift > 63:
                raise self.fail("number too long")
        self.pos = pos
        return result

    def sint(self) -> int:
        return _unzigzag(self.varint())

    def count(self, min_item_size: int = 1) -> int:
        """Read a length and check that that many items can still fit in the data."""
        n = self.varint()
        if n * min_item_size > len(self.data) - self.pos:
            raise self.fail(f"length {n} exceeds the data")
        return n

    def string(self) -> str:
        tag = self.byte()
        if tag == _STRREF:
            index = self.varint()
            if index >= len(self.strings):
                raise self.fail(f"string reference {index} out of range")
            return self.strings[index]
        if tag != _STR:
            raise self.fail(f"expected a string, found tag {tag:#x}")
        raw = self.take(self.count())
        try:
            s = raw.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            raise self.fail("invalid UTF-8 in string") from None
        self.strings.append(s)
        return s

    def str_tuple(self) -> tuple[str, ...]:
        return tuple([self.string() for _ in range(self.count())])

    def value(self, depth: int) -> object:
        if depth > _MAX_DEPTH:
            raise self.fail("nested too deeply")
        tag = self.byte()
        if tag == _NONE:
            return None
        if tag == _TRUE:
            return True
        if tag == _FALSE:
            return False
        if tag == _ELLIPSIS:
            return Ellipsis
        if tag == _SMALLINT:
            return self.sint()
        if tag == _BIGINT:
            sign = self.byte()
            if sign > 1:
                raise self.fail("bad integer sign")
            magnitude = int.from_bytes(self.take(self.count()), "little")
            return -magnitude if sign else magnitude
        if tag == _FLOAT:
            return _DOUBLE.unpack(self.take(8))[0]
        if tag == _COMPLEXTAG:
            real, imag = _COMPLEX.unpack(self.take(16))
            return complex(real, imag)
        if tag in (_STR, _STRREF):
            self.pos -= 1
            return self.string()
        if tag == _BYTES:
            return self.take(self.count())
        if tag == _TUPLE:
            return tuple([self.value(depth + 1) for _ in range(self.count())])
        if tag == _FROZENSET:
            n = self.count()
            items = [self.value(depth + 1) for _ in range(n)]
            result = frozenset(items)
            if len(result) != n:
                raise self.fail("duplicate frozenset items")
            return result
        if tag == _CODE:
            return self.code(depth + 1)
        raise self.fail(f"unknown tag {tag:#x}")

    def code(self, depth: int) -> CodeObject:
        if depth > _MAX_DEPTH:
            raise self.fail("nested too deeply")
        argcount = self.varint()
        posonlyargcount = self.varint()
        kwonlyargcount = self.varint()
        stacksize = self.varint()
        flags = self.varint()
        nbytes = self.count()
        if nbytes % INSTRUCTION_SIZE:
            raise self.fail("code length is not a multiple of the instruction size")
        code = self.take(nbytes)
        consts = tuple([self.value(depth + 1) for _ in range(self.count())])
        names = self.str_tuple()
        varnames = self.str_tuple()
        freevars = self.str_tuple()
        cellvars = self.str_tuple()
        filename = self.string()
        name = self.string()
        qualname = self.string()
        firstlineno = self.sint()
        ninstr = nbytes // INSTRUCTION_SIZE
        linetable = self.linetable(ninstr)
        table = []
        for _ in range(self.count(5)):
            start, end, target, stack_depth = (
                self.varint(),
                self.varint(),
                self.varint(),
                self.varint(),
            )
            lasti = self.byte()
            if lasti > 1 or not (start <= end <= ninstr) or target >= ninstr:
                raise self.fail("bad exception table entry")
            table.append(ExceptionTableEntry(start, end, target, stack_depth, bool(lasti)))
        co = CodeObject(
            co_argcount=argcount,
            co_posonlyargcount=posonlyargcount,
            co_kwonlyargcount=kwonlyargcount,
            co_stacksize=stacksize,
            co_flags=flags,
            co_code=code,
            co_consts=consts,
            co_names=names,
            co_varnames=varnames,
            co_freevars=freevars,
            co_cellvars=cellvars,
            co_filename=filename,
            co_name=name,
            co_qualname=qualname,
            co_firstlineno=firstlineno,
            co_linetable=linetable,
            co_exceptiontable=tuple(table),
        )
        _check_operands(co, self)
        return co

    def linetable(self, ninstr: int) -> tuple[Position, ...]:
        flags = self.take(ninstr)
        typecode = chr(self.byte())
        if typecode not in _POSITION_TYPECODES:
            raise self.fail("bad position item size")
        itemsize = _POSITION_TYPECODES[typecode]
        values = array(typecode)
        values.frombytes(self.take(self.count(itemsize) * itemsize))
        if _BIG_ENDIAN:
            values.byteswap()
        if len(values) != sum(flags.translate(_FIELD_COUNT)):
            raise self.fail("line table values do not match its flags")
        take = iter(values).__next__
        positions: list[Position] = []
        append = positions.append
        prev = 0
        last = None
        for bits in flags:
            if bits == _ALL_FIELDS:  # the common case, unrolled
                lineno = prev = prev + take()
                last = Position(lineno, lineno + take(), take(), take())
            elif bits == _POS_REPEAT:
                if last is None:
                    raise self.fail("repeated position with nothing to repeat")
            elif bits > _ALL_FIELDS:
                raise self.fail("bad position flags")
            else:
                lineno = end_lineno = col = end_col = None
                if bits & _POS_LINE:
                    lineno = prev = prev + take()
                if bits & _POS_END_LINE:
                    end_lineno = (lineno if lineno is not None else prev) + take()
                if bits & _POS_COL:
                    col = take()
                if bits & _POS_END_COL:
                    end_col = take()
                last = Position(lineno, end_lineno, col, end_col)
            append(last)
        return tuple(positions)


def _check_operands(co: CodeObject, reader: _Reader) -> None:
    """Reject instructions whose opcode is unknown or whose argument indexes nothing."""
    code = co.co_code
    opcodes = code[0::INSTRUCTION_SIZE]  # every instruction's low byte, at C speed
    unknown = set(opcodes) - _KNOWN_OPCODES
    if unknown:
        raise reader.fail(f"unknown opcode {min(unknown)}")
    limits = {
        ArgKind.CONST: len(co.co_consts),
        ArgKind.NAME: len(co.co_names),
        ArgKind.LOCAL: len(co.co_varnames),
        ArgKind.FREE: len(co.co_cellvars) + len(co.co_freevars),
        ArgKind.JUMP: len(opcodes) + 1,
        ArgKind.COMPARE: len(opcode.COMPARE_OPS),
        ArgKind.BINARY: len(opcode.BINARY_OPS),
    }
    limit_of: list[int | None] = [None] * 256
    for kind, ops in _OPS_BY_KIND.items():
        for op in ops:
            limit_of[op] = limits[kind]
    words = array("I", code) if _WORD_ITEMSIZE_OK else None
    if words is None:
        words = array(
            "L", [int.from_bytes(code[i : i + 4], "little") for i in range(0, len(code), 4)]
        )
    elif _BIG_ENDIAN:
        words.byteswap()
    for index, (op, word) in enumerate(zip(opcodes, words)):
        limit = limit_of[op]
        if limit is not None and word >> 8 >= limit:
            raise reader.fail(
                f"{opcode.opname[op]} argument {word >> 8} out of range at instruction {index}"
            )


_KNOWN_OPCODES = frozenset(opcode.opmap.values())
# The opcodes whose argument indexes something, grouped by what it indexes.
_OPS_BY_KIND = {
    kind: [op for op in sorted(_KNOWN_OPCODES) if opcode.argkind[op] is kind]
    for kind in (
        ArgKind.CONST,
        ArgKind.NAME,
        ArgKind.LOCAL,
        ArgKind.FREE,
        ArgKind.JUMP,
        ArgKind.COMPARE,
        ArgKind.BINARY,
    )
}
_WORD_ITEMSIZE_OK = array("I").itemsize == INSTRUCTION_SIZE
