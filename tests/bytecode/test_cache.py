"""The __pycache__ cache: hits, staleness, corruption, unwritable directories, env vars."""

from __future__ import annotations

import os
import stat
import sys

import pytest
from bytecode_samples import sample_module

from pvm.bytecode import cache, serialize
from pvm.bytecode.code import CodeObject


class FakeCompiler:
    """A compile_fn that counts its calls and returns a hand-built module."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, source: bytes, path: str) -> CodeObject:
        self.calls += 1
        if b"syntax error" in source:
            raise SyntaxError("invalid syntax", (path, 1, 1, source.decode(), 1, 2))
        return sample_module().replace(co_filename=path)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
    monkeypatch.delenv("PYTHONPYCACHEPREFIX", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", None)


@pytest.fixture
def src(tmp_path):
    path = tmp_path / "prog.py"
    path.write_text("print('hello')\n")
    return str(path)


def test_cache_path(tmp_path):
    tag = f"pvm-{sys.version_info.major}{sys.version_info.minor}"
    assert cache.cache_path("/a/b/mod.py") == f"/a/b/__pycache__/mod.{tag}.pyc"
    assert cache.cache_path("mod.py") == f"__pycache__/mod.{tag}.pyc"
    assert cache.cache_path("/a/pkg.tar.py") == f"/a/__pycache__/pkg.tar.{tag}.pyc"


def test_cache_path_prefix(monkeypatch):
    monkeypatch.setattr(sys, "pycache_prefix", "/tmp/pfx")
    tag = cache.CACHE_TAG
    assert cache.cache_path("/a/b/mod.py") == f"/tmp/pfx/a/b/mod.{tag}.pyc"


def test_magic_shape():
    assert len(cache.MAGIC) == 4 and cache.MAGIC.endswith(b"\r\n")


def test_second_load_hits_without_compiling(src):
    compiler = FakeCompiler()
    first = cache.load(src, compiler)
    assert first.outcome is cache.Outcome.COMPILED and compiler.calls == 1
    assert os.path.exists(cache.cache_path(src))
    second = cache.load(src, compiler)
    assert second.outcome is cache.Outcome.HIT and compiler.calls == 1
    assert second.code == first.code


def test_stats_counters(src):
    cache.stats.reset()
    compiler = FakeCompiler()
    cache.load_or_compile(src, compiler)
    cache.load_or_compile(src, compiler)
    assert (cache.stats.compiles, cache.stats.hits, cache.stats.writes) == (1, 1, 1)


def test_edit_recompiles(src):
    compiler = FakeCompiler()
    cache.load(src, compiler)
    with open(src, "w") as f:  # same second, different size
        f.write("print('hello, world')\n")
    assert cache.load(src, compiler).outcome is cache.Outcome.COMPILED
    assert compiler.calls == 2


def test_same_size_edit_in_the_same_second_recompiles(src):
    compiler = FakeCompiler()
    cache.load(src, compiler)
    st = os.stat(src)
    with open(src, "w") as f:
        f.write("print('HELLO')\n")
    # a different sub-second mtime, same whole second, same size
    os.utime(src, ns=(st.st_atime_ns, st.st_mtime_ns + 1000))
    assert cache.load(src, compiler).outcome is cache.Outcome.COMPILED


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:10],  # truncated header
        lambda data: data[:-5],  # truncated payload
        lambda data: b"",  # empty
        lambda data: b"XX\r\n" + data[4:],  # wrong magic
        lambda data: data[:4] + b"\x04\x00\x00\x00" + data[8:],  # unknown flag
        lambda data: data[:40] + bytes([data[40] ^ 0xFF]) + data[41:],  # corrupt payload
        lambda data: data + b"junk",  # trailing garbage
        lambda data: b"\x00" * len(data),
    ],
)
def test_damaged_cache_is_recompiled_and_rewritten(src, damage):
    compiler = FakeCompiler()
    cache.load(src, compiler)
    path = cache.cache_path(src)
    with open(path, "rb") as f:
        good = f.read()
    with open(path, "wb") as f:
        f.write(damage(good))
    result = cache.load(src, compiler)
    assert result.outcome is cache.Outcome.COMPILED and result.reason
    assert compiler.calls == 2
    with open(path, "rb") as f:
        assert f.read()[16:] == good[16:]
    assert cache.load(src, compiler).outcome is cache.Outcome.HIT


def test_cache_path_is_a_directory(src):
    os.makedirs(cache.cache_path(src))
    result = cache.load(src, FakeCompiler())
    assert result.outcome is cache.Outcome.COMPILED_NOT_WRITTEN


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_unwritable_directory(tmp_path, src):
    os.chmod(tmp_path, stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = cache.load(src, FakeCompiler())
        assert result.outcome is cache.Outcome.COMPILED_NOT_WRITTEN
        assert not os.path.exists(os.path.dirname(cache.cache_path(src)))
    finally:
        os.chmod(tmp_path, stat.S_IRWXU)


def test_unwritable_pycache_even_as_root(tmp_path, src):
    # A file where the __pycache__ directory should be: makedirs fails for anyone.
    (tmp_path / "__pycache__").write_text("not a directory")
    compiler = FakeCompiler()
    assert cache.load(src, compiler).outcome is cache.Outcome.COMPILED_NOT_WRITTEN
    assert cache.load(src, compiler).outcome is cache.Outcome.COMPILED_NOT_WRITTEN


def test_write_false(src):
    result = cache.load(src, FakeCompiler(), write=False)
    assert result.outcome is cache.Outcome.COMPILED_NOT_WRITTEN
    assert not os.path.exists(cache.cache_path(src))


def test_dont_write_bytecode_env(src, monkeypatch):
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    cache.load(src, FakeCompiler())
    assert not os.path.exists(cache.cache_path(src))


def test_dont_write_bytecode_flag(src, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    cache.load(src, FakeCompiler())
    assert not os.path.exists(cache.cache_path(src))


def test_pycache_prefix_env(src, tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPYCACHEPREFIX", str(tmp_path / "prefix"))
    compiler = FakeCompiler()
    cache.load(src, compiler)
    path = cache.cache_path(src)
    assert path.startswith(str(tmp_path / "prefix"))
    assert os.path.exists(path)
    assert cache.load(src, compiler).outcome is cache.Outcome.HIT


def test_syntax_error_propagates_and_writes_nothing(tmp_path):
    path = tmp_path / "bad.py"
    path.write_text("syntax error\n")
    with pytest.raises(SyntaxError):
        cache.load(str(path), FakeCompiler())
    assert not (tmp_path / "__pycache__").exists()


def test_missing_source_raises_oserror(tmp_path):
    with pytest.raises(FileNotFoundError):
        cache.load(str(tmp_path / "nope.py"), FakeCompiler())


def test_no_temporary_files_left(src):
    cache.load(src, FakeCompiler())
    assert os.listdir(os.path.dirname(cache.cache_path(src))) == [
        os.path.basename(cache.cache_path(src))
    ]


def test_filename_fixed_up_when_moved(tmp_path):
    a = tmp_path / "a"
    a.mkdir()
    (a / "m.py").write_text("x = 1\n")
    compiler = FakeCompiler()
    cache.load(str(a / "m.py"), compiler)
    b = tmp_path / "b"
    os.rename(a, b)
    result = cache.load(str(b / "m.py"), compiler)
    assert result.outcome is cache.Outcome.HIT
    assert result.code.co_filename == str(b / "m.py")
    assert result.code.co_consts[0].co_filename == str(b / "m.py")


def test_checked_hash_mode(src):
    compiler = FakeCompiler()
    cache.compile_file(src, compiler, mode=cache.InvalidationMode.CHECKED_HASH)
    with open(cache.cache_path(src), "rb") as f:
        assert f.read()[4:8] == b"\x03\x00\x00\x00"
    os.utime(src, (0, 0))  # the mtime does not matter, the contents do
    assert cache.load(src, compiler).outcome is cache.Outcome.HIT
    with open(src, "a") as f:
        f.write("# changed\n")
    assert cache.load(src, compiler).outcome is cache.Outcome.COMPILED


def test_source_date_epoch_selects_checked_hash(src, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    cache.compile_file(src, FakeCompiler())
    with open(cache.cache_path(src), "rb") as f:
        assert f.read()[4:8] == b"\x03\x00\x00\x00"


def test_compile_file_no_write(src):
    result = cache.compile_file(src, FakeCompiler(), write=False)
    assert result.outcome is cache.Outcome.COMPILED_NOT_WRITTEN
    assert not os.path.exists(cache.cache_path(src))


def test_payload_is_serialized_code(src):
    cache.load(src, FakeCompiler())
    with open(cache.cache_path(src), "rb") as f:
        data = f.read()
    assert data[:4] == cache.MAGIC
    assert serialize.loads(data[16:]).co_name == "<module>"


def test_unserializable_code_still_runs_uncached(src):
    cache.stats.reset()

    def compile_fn(source, path):
        return sample_module().replace(co_consts=([1, 2],))

    result = cache.load(src, compile_fn)
    assert result.outcome is cache.Outcome.COMPILED_NOT_WRITTEN
    assert cache.stats.unserializable == 1
