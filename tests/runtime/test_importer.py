"""Which modules the importer claims for pvm, and the specs it gives them."""

from __future__ import annotations

import os
import sys
import sysconfig

from pvm.runtime import importer


def test_host_dirs_are_not_guest(tmp_path):
    assert not importer.is_guest_dir(sysconfig.get_paths()["stdlib"])
    assert not importer.is_guest_dir(sysconfig.get_paths()["purelib"])
    assert not importer.is_guest_dir(os.path.dirname(os.path.dirname(importer.__file__)) + "/..")
    assert importer.is_guest_dir(str(tmp_path))
    assert not importer.is_guest_dir(str(tmp_path / "missing"))


def test_finder_claims_program_modules(tmp_path, monkeypatch):
    (tmp_path / "mod.py").write_text("x = 1\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "sub.py").write_text("")
    (tmp_path / "json.py").write_text("")
    monkeypatch.setattr(sys, "path", [str(tmp_path)] + sys.path)
    spec = importer.PvmFinder.find_spec("mod")
    assert spec.origin == str(tmp_path / "mod.py")
    assert isinstance(spec.loader, importer.PvmLoader)
    assert spec.submodule_search_locations is None
    pkg = importer.PvmFinder.find_spec("pkg")
    assert pkg.submodule_search_locations == [str(tmp_path / "pkg")]
    assert pkg.loader.is_package("pkg")
    sub = importer.PvmFinder.find_spec("pkg.sub", pkg.submodule_search_locations)
    assert sub.origin == str(tmp_path / "pkg" / "sub.py")
    # The script directory comes first, so it shadows the standard library, as in python.
    assert importer.PvmFinder.find_spec("json").origin == str(tmp_path / "json.py")
    assert importer.PvmFinder.find_spec("nosuchmodule_xyz") is None


def test_finder_leaves_stdlib_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "path", [str(tmp_path)] + sys.path)
    assert importer.PvmFinder.find_spec("json") is None
    assert importer.PvmFinder.find_spec("email.mime", None) is None


def test_install_places_finder_before_path_finder():
    importer.install()
    import importlib.machinery

    i = sys.meta_path.index(importer.PvmFinder)
    assert sys.meta_path[i + 1] is importlib.machinery.PathFinder
    importer.install()
    assert sys.meta_path.count(importer.PvmFinder) == 1


def test_guest_import_views():
    sysview = importer.guest_import("sys")
    assert sysview is not sys and sysview.maxsize == sys.maxsize
    b = importer.guest_import("builtins")
    assert repr(b) == "<module 'builtins' (built-in)>"
    assert importer.guest_import("os.path", None, None, ("join",), 0) is os.path
