"""Round trips and malformed input for pvm.bytecode.serialize."""

from __future__ import annotations

import math
import struct

import pytest
from bytecode_samples import assemble, make_code, sample_function, sample_module
from hypothesis import given, settings
from hypothesis import strategies as st

from pvm.bytecode import serialize
from pvm.bytecode.code import CodeObject, ExceptionTableEntry, Position


def strict_key(v: object) -> object:
    """Return a key equal only for identical constants (1 vs 1.0 vs True, -0.0, nan bits)."""
    if isinstance(v, float):
        return ("float", struct.pack("<d", v))
    if isinstance(v, complex):
        return ("complex", struct.pack("<dd", v.real, v.imag))
    if isinstance(v, tuple):
        return ("tuple", tuple(strict_key(x) for x in v))
    if isinstance(v, frozenset):
        return ("frozenset", sorted(repr(strict_key(x)) for x in v))
    if isinstance(v, CodeObject):
        return ("code", code_key(v))
    return (type(v).__name__, v)


def code_key(co: CodeObject) -> tuple:
    """Return every serialized field of a code object, constants compared strictly."""
    return (
        co.co_argcount,
        co.co_posonlyargcount,
        co.co_kwonlyargcount,
        co.co_stacksize,
        co.co_flags,
        co.co_code,
        strict_key(co.co_consts),
        co.co_names,
        co.co_varnames,
        co.co_freevars,
        co.co_cellvars,
        co.co_filename,
        co.co_name,
        co.co_qualname,
        co.co_firstlineno,
        co.co_linetable,
        tuple(tuple(e) for e in co.co_exceptiontable),
    )


def roundtrip(co: CodeObject) -> CodeObject:
    back = serialize.loads(serialize.dumps(co))
    assert back == co or any(isinstance(c, float) and math.isnan(c) for c in _flat(co.co_consts))
    assert code_key(back) == code_key(co)
    return back


def _flat(v):
    if isinstance(v, (tuple, frozenset)):
        for x in v:
            yield from _flat(x)
    else:
        yield v


def test_sample_module_roundtrip():
    back = roundtrip(sample_module())
    inner = back.co_consts[0]
    assert isinstance(inner, CodeObject)
    assert inner.co_exceptiontable[1] == ExceptionTableEntry(6, 13, 12, 1, True)
    assert type(inner.co_exceptiontable[1].lasti) is bool
    assert isinstance(inner.co_linetable[5], Position)
    assert inner.co_linetable[5] == Position(None, None, None, None)


def test_deterministic_bytes():
    assert serialize.dumps(sample_module()) == serialize.dumps(sample_module())


def test_strings_are_shared():
    names = tuple(f"name_{i}" for i in range(50))
    co = make_code(co_names=names, co_consts=(None, *names))
    data = serialize.dumps(co)
    assert data.count(b"name_49") == 1
    roundtrip(co)


def test_positions_with_missing_fields():
    positions = (
        Position(5, None, 3, None),
        Position(None, 7, None, 2),
        Position(1, 1, 0, 0),
        Position(10_000, 10_001, 200, 0),
    )
    co = make_code(
        co_code=assemble("NOP", "NOP", ("LOAD_CONST", 0), "RETURN_VALUE"), co_linetable=positions
    )
    assert roundtrip(co).co_linetable == positions


def test_unserializable_constant():
    with pytest.raises(ValueError, match="cannot serialize"):
        serialize.dumps(make_code(co_consts=([1, 2],)))


def test_linetable_length_checked_on_dump():
    with pytest.raises(ValueError, match="co_linetable"):
        serialize.dumps(make_code(co_linetable=()))


# -- constants, generated ---------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**600), max_value=2**600),
    st.floats(allow_nan=True, allow_infinity=True),
    st.complex_numbers(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(codec=None, exclude_categories=())),
    st.binary(),
    st.just(Ellipsis),
)
hashable = st.recursive(
    scalars, lambda inner: st.tuples(inner, inner) | st.lists(inner, max_size=4).map(tuple)
)
constants = st.recursive(
    hashable,
    lambda inner: st.lists(inner, max_size=5).map(tuple) | st.frozensets(hashable, max_size=5),
    max_leaves=10,
)


@settings(max_examples=100, deadline=None)
@given(st.lists(constants, max_size=5))
def test_constants_roundtrip(consts):
    co = make_code(co_consts=(None, *consts))
    back = serialize.loads(serialize.dumps(co))
    assert code_key(back) == code_key(co)


@settings(max_examples=200, deadline=None)
@given(st.text(), st.lists(st.text(min_size=1, max_size=10), max_size=5))
def test_strings_with_surrogates_roundtrip(name, names):
    co = make_code(co_filename=name, co_name=name, co_qualname=name, co_names=tuple(names))
    back = roundtrip(co)
    assert back.co_filename == name


def test_lone_surrogates():
    co = make_code(co_consts=(None, "\udc80", "a\ud83d"), co_filename="\udcff.py")
    assert roundtrip(co).co_consts[1] == "\udc80"


def test_special_floats_exact():
    nan = struct.unpack("<d", b"\x01\x00\x00\x00\x00\x00\xf8\x7f")[0]
    co = make_code(co_consts=(None, -0.0, 0.0, math.inf, -math.inf, nan, complex(-0.0, math.nan)))
    back = serialize.loads(serialize.dumps(co))
    assert code_key(back) == code_key(co)
    assert math.copysign(1, back.co_consts[1]) == -1


# -- malformed input --------------------------------------------------------------

GOOD = serialize.dumps(sample_module())


def test_every_truncation_is_a_value_error():
    for n in range(len(GOOD)):
        with pytest.raises(ValueError):
            serialize.loads(GOOD[:n])


def test_trailing_garbage():
    with pytest.raises(ValueError):
        serialize.loads(GOOD + b"\x00")


def test_wrong_magic_and_version():
    with pytest.raises(ValueError, match="magic"):
        serialize.loads(b"XXXX" + GOOD[4:])
    with pytest.raises(ValueError, match="version"):
        serialize.loads(GOOD[:4] + b"\xff" + GOOD[5:])


def test_not_bytes():
    with pytest.raises(TypeError):
        serialize.loads("text")  # type: ignore[arg-type]


def test_every_byte_flip_is_caught_by_checksum():
    for i in range(9, len(GOOD), 7):
        bad = bytearray(GOOD)
        bad[i] ^= 0x40
        with pytest.raises(ValueError):
            serialize.loads(bytes(bad))


def body_loads(body: bytes) -> CodeObject:
    """Decode a bare body, skipping the checksum, to exercise the structural checks."""
    return serialize.loads_body(body)


BODY = GOOD[9:]


@settings(max_examples=500, deadline=None)
@given(st.data())
def test_mutated_bodies_only_raise_value_error(data):
    body = bytearray(BODY)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(body) - 1))
        body[i] = data.draw(st.integers(0, 255))
    try:
        body_loads(bytes(body))
    except ValueError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_only_raise_value_error(blob):
    try:
        body_loads(blob)
    except ValueError:
        pass
    try:
        serialize.loads(blob)
    except ValueError:
        pass


def test_absurd_lengths():
    # a tuple claiming 2**60 items, a string claiming 2**40 bytes, a deep nest
    for body in (
        b"C" + b"\x00" * 5 + b"\x00" + b"\x01t" + b"\x80\x80\x80\x80\x80\x80\x80\x80\x10",
        b"C" + b"\x00" * 5 + b"\x00" + b"\x01s\x80\x80\x80\x80\x80\x20",
        b"C" + b"\x00" * 5 + b"\x00" + b"\x01" + b"t\x01" * 5000 + b"N",
        b"C" + b"\xff" * 100,
    ):
        with pytest.raises(ValueError):
            body_loads(body)


def test_bad_operands_rejected():
    cases = [
        make_code(co_code=assemble(("LOAD_CONST", 5), "RETURN_VALUE")),
        make_code(co_code=assemble(("LOAD_NAME", 0), "RETURN_VALUE")),
        make_code(co_code=assemble(("JUMP_FORWARD", 99), "RETURN_VALUE")),
        make_code(co_code=b"\xee\x00\x00\x00" + assemble("RETURN_VALUE")),
        make_code(co_exceptiontable=(ExceptionTableEntry(0, 1, 7, 0, False),)),
    ]
    for co in cases:
        with pytest.raises(ValueError):
            serialize.loads(serialize.dumps(co))


def test_nested_function_roundtrip():
    roundtrip(sample_function())


optional_ints = st.none() | st.integers(min_value=-5, max_value=2**40)
positions = st.builds(Position, optional_ints, optional_ints, optional_ints, optional_ints)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([0, 1]) | positions, min_size=1, max_size=40))
def test_linetable_roundtrip(items):
    # 0/1 items repeat the previous position (or a fixed one), to exercise the repeat flag
    table = []
    for item in items:
        if isinstance(item, Position):
            table.append(item)
        elif table and item:
            table.append(table[-1])
        else:
            table.append(Position(1, 1, 0, 0))
    code = assemble(*(["NOP"] * (len(table) - 1)), "RETURN_VALUE")
    co = make_code(co_code=code, co_linetable=tuple(table))
    assert serialize.loads(serialize.dumps(co)).co_linetable == tuple(table)
