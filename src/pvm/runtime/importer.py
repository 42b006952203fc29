"""Guest imports: the program's own modules run on pvm, everything else natively.

What belongs here: which directories hold guest modules, the finder and loader on the
host's meta path (compiled through the bytecode cache), the guest's ``__import__``,
the runpy patches, and timeit/doctest routed to pvm's exec/eval.  What does not: the
cache (pvm.bytecode.cache), the import instructions (pvm.vm.handlers_match), running
a program (pvm.runtime.main).
"""

# One mechanism serves the guest's import statement and the host's importlib alike:
# PvmFinder sits on the host sys.meta_path just before PathFinder and claims a module
# only when the first sys.path (or package __path__) entry that has it is one of the
# program's own directories: outside the host's standard library and site-packages
# and outside pvm itself. Such a module gets a real ModuleSpec with a PvmLoader, which
# compiles the source with pvm (through the __pycache__ cache) and runs it on pvm.
# guest_import is the guest's __import__: the host's import system plus pvm's views
# of sys and builtins.

from __future__ import annotations

import builtins as _host_builtins
import importlib.machinery
import importlib.util
import os
import site
import sys
import sysconfig
from importlib._bootstrap_external import FileLoader
from typing import Any

import pvm

_HOST_IMPORT = _host_builtins.__import__
# sys.path as the host's site set it up, before any guest program changed it.
_STARTUP_PATH = list(sys.path)


def _host_dirs() -> tuple[str, ...]:
    """Return the real paths of the directories whose modules always run natively."""
    dirs = set()
    paths = sysconfig.get_paths()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        if paths.get(key):
            dirs.add(paths[key])
    try:
        dirs.add(site.getusersitepackages())
    except Exception:
        pass
    for p in getattr(site, "getsitepackages", list)():
        dirs.add(p)
    # pvm's own sources are host code (an editable install puts src/ on sys.path).
    dirs.add(os.path.dirname(os.path.dirname(os.path.abspath(pvm.__file__))))
    # So is whatever site put on the path at startup (.pth files: editable installs),
    # but not the script's directory (entry 0) nor the user's PYTHONPATH.
    user = {os.path.realpath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p}
    for entry in _STARTUP_PATH[1:]:
        if entry and os.path.realpath(entry) not in user:
            dirs.add(entry)
    return tuple(os.path.realpath(d) for d in dirs)


_HOST_DIRS: tuple[str, ...] | None = None
_GUEST_DIR_CACHE: dict[str, bool] = {}


def is_guest_dir(entry: str) -> bool:
    """Return True if modules found in path entry ``entry`` belong to the program."""
    global _HOST_DIRS
    cached = _GUEST_DIR_CACHE.get(entry)
    if cached is not None:
        return cached
    if _HOST_DIRS is None:
        _HOST_DIRS = _host_dirs()
    real = os.path.realpath(entry or os.getcwd())
    result = os.path.isdir(real) and not any(
        real == d or real.startswith(d + os.sep) for d in _HOST_DIRS
    )
    _GUEST_DIR_CACHE[entry] = result
    return result


def compile_file(path: str, note: Any = None) -> Any:
    """Return the pvm code object for source file ``path``, through the cache.

    ``note`` is told what importlib tells `python3 -v` (pvm.bytecode.cache.load).
    """
    from pvm.compiler import compile_source

    def compile_fn(source: bytes, filename: str) -> Any:
        return compile_source(source, filename, "exec")

    try:
        from pvm.bytecode import cache
    except ImportError:
        cache = None
    if cache is None or not hasattr(cache, "load_or_compile"):
        with open(path, "rb") as f:
            return compile_fn(f.read(), path)
    disabled = getattr(cache, "writing_disabled", lambda: sys.dont_write_bytecode)
    return cache.load(path, compile_fn, write=not disabled(), note=note).code


def cache_path(path: str) -> str | None:
    """Return where pvm caches the code of ``path`` (the module's ``__cached__``)."""
    try:
        from pvm.bytecode import cache

        return cache.cache_path(path)
    except (ImportError, AttributeError):
        return None


def guest_builtins() -> dict:
    """Return the builtins dict guest code runs with."""
    try:
        from pvm.vm.interpreter import get_vm

        return get_vm().builtins
    except ImportError:
        from pvm.runtime.builtins import make_builtins

        return make_builtins()


class PvmLoader(FileLoader):
    """Loads a module of the program: compile with pvm, run on pvm."""

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        """Use the default module object."""
        return

    def exec_module(self, module: Any) -> None:
        """Run the module's code on pvm in the module's namespace."""
        from pvm.vm.interpreter import run_code

        code = compile_file(self.path)
        d = module.__dict__
        d.setdefault("__builtins__", guest_builtins())
        run_code(code, d)

    def is_package(self, fullname: str) -> bool:
        """Return True if the module is a package (its file is an __init__.py)."""
        return os.path.basename(self.path).startswith("__init__.")

    def get_source(self, fullname: str) -> str:
        """Return the module's source text."""
        return importlib.util.decode_source(self.get_data(self.path))

    def get_code(self, fullname: str) -> Any:
        """Return the module's pvm code object (runpy runs it on pvm; host exec refuses it)."""
        return compile_file(self.path)

    def __repr__(self) -> str:
        return f"<pvm.PvmLoader object for {self.name!r} at {id(self):#x}>"


def _spec_for(fullname: str, filename: str, package_dir: str | None) -> Any:
    loader = PvmLoader(fullname, filename)
    spec = importlib.machinery.ModuleSpec(
        fullname, loader, origin=filename, is_package=package_dir is not None
    )
    spec.has_location = True
    spec.cached = cache_path(filename)
    if package_dir is not None:
        spec.submodule_search_locations = [package_dir]
    return spec


class PvmFinder:
    """Meta path finder that claims the program's own modules for pvm."""

    @classmethod
    def find_spec(cls, fullname: str, path: Any = None, target: Any = None) -> Any:
        """Return a pvm spec if the module's first location is a program directory."""
        entries = [e for e in (sys.path if path is None else path) if isinstance(e, str)]
        if not any(is_guest_dir(e) for e in entries):
            return None
        tail = fullname.rpartition(".")[2]
        for entry in entries:
            if is_guest_dir(entry):
                base = os.path.join(entry or os.getcwd(), tail)
                init = os.path.join(base, "__init__.py")
                if os.path.isfile(init):
                    return _spec_for(fullname, os.path.abspath(init), os.path.abspath(base))
                if _has_extension_module(entry or os.getcwd(), tail):
                    return None
                single = base + ".py"
                if os.path.isfile(single):
                    return _spec_for(fullname, os.path.abspath(single), None)
                # A directory without __init__.py may be a namespace portion: the
                # host builds namespace packages; keep looking for a regular module.
            else:
                spec = importlib.machinery.PathFinder.find_spec(fullname, [entry])
                if spec is not None and spec.loader is not None:
                    return None
        return None

    @classmethod
    def invalidate_caches(cls) -> None:
        """Forget which path entries are the program's."""
        _GUEST_DIR_CACHE.clear()


def _has_extension_module(directory: str, name: str) -> bool:
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        if os.path.isfile(os.path.join(directory, name + suffix)):
            return True
    return False


def install() -> None:
    """Put PvmFinder on the host's sys.meta_path, just before PathFinder (idempotent)."""
    if PvmFinder in sys.meta_path:
        return
    for i, finder in enumerate(sys.meta_path):
        if finder is importlib.machinery.PathFinder:
            sys.meta_path.insert(i, PvmFinder)
            break
    else:
        sys.meta_path.append(PvmFinder)


def uninstall() -> None:
    """Take PvmFinder off sys.meta_path."""
    while PvmFinder in sys.meta_path:
        sys.meta_path.remove(PvmFinder)


def guest_view(module: Any) -> Any:
    """Return what the guest sees for a host module: pvm's sys and builtins views."""
    if module is sys:
        from pvm.runtime.sysmodule import guest_sys

        return guest_sys()
    if module is _host_builtins:
        from pvm.runtime.builtins import builtins_module

        return builtins_module()
    return module


# Standard-library modules that compile and run source text the program hands them
# (timeit's statements, doctest's examples): their module-level compile/exec/eval are
# pvm's, so that program text runs on pvm, not natively.
_SOURCE_RUNNERS = frozenset({"timeit", "doctest"})


def _route_source_runner(module: Any) -> None:
    from pvm.runtime.builtins import guest_eval_checked, guest_exec_checked
    from pvm.runtime.exec import guest_compile

    d = module.__dict__
    if d.get("compile") is not guest_compile:
        d["compile"] = guest_compile
        d["exec"] = guest_exec_checked
        d["eval"] = guest_eval_checked


def _unroute_source_runners() -> None:
    for name in _SOURCE_RUNNERS:
        module = sys.modules.get(name)
        if module is not None:
            for key in ("compile", "exec", "eval"):
                module.__dict__.pop(key, None)


def guest_import(
    name: str,
    globals: dict | None = None,
    locals: Any = None,
    fromlist: Any = (),
    level: int = 0,
) -> Any:
    """Import for guest code: the host import system with pvm's finder and views."""
    if PvmFinder not in sys.meta_path:
        install()
    module = _HOST_IMPORT(name, globals, locals, fromlist, level)
    if module is sys or module is _host_builtins:
        return guest_view(module)
    if name in _SOURCE_RUNNERS:
        _route_source_runner(sys.modules[name])
    return module


# -- host library entry points that would run guest source natively ---------------------
#
# runpy.run_path()/run_module() and importlib.util.spec_from_file_location() would have
# the host compile and exec the program's own files. While a guest program runs, they
# compile such files with pvm and run them on pvm instead.

_HOST_SPEC_FROM_FILE = importlib.util.spec_from_file_location


def _is_program_file(path: Any) -> bool:
    return (
        isinstance(path, str)
        and path.endswith(".py")
        and os.path.isfile(path)
        and is_guest_dir(os.path.dirname(os.path.abspath(path)))
    )


def guest_spec_from_file_location(
    name: str, location: Any = None, *args: Any, **kwargs: Any
) -> Any:
    """importlib.util.spec_from_file_location, with pvm's loader for the program's files."""
    spec = _HOST_SPEC_FROM_FILE(name, location, *args, **kwargs)
    if (
        spec is not None
        and kwargs.get("loader") is None
        and not args
        and isinstance(spec.loader, importlib.machinery.SourceFileLoader)
        and _is_program_file(spec.origin)
    ):
        spec.loader = PvmLoader(name, spec.origin)
        spec.cached = cache_path(spec.origin)
    return spec


def _runpy_patches() -> tuple[Any, Any]:
    import runpy

    host_run_code = runpy._run_code
    host_get_code = runpy._get_code_from_file

    def _run_code(
        code: Any,
        run_globals: dict,
        init_globals: Any = None,
        mod_name: Any = None,
        mod_spec: Any = None,
        pkg_name: Any = None,
        script_name: Any = None,
    ) -> dict:
        from pvm.bytecode.code import CodeObject

        if not isinstance(code, CodeObject):
            return host_run_code(
                code, run_globals, init_globals, mod_name, mod_spec, pkg_name, script_name
            )
        from pvm.vm.interpreter import run_code

        if init_globals is not None:
            run_globals.update(init_globals)
        if mod_spec is None:
            loader, fname, cached = None, script_name, None
        else:
            loader, fname, cached = mod_spec.loader, mod_spec.origin, mod_spec.cached
            if pkg_name is None:
                pkg_name = mod_spec.parent
        run_globals.update(
            __name__=mod_name,
            __file__=fname,
            __cached__=cached,
            __doc__=None,
            __loader__=loader,
            __package__=pkg_name,
            __spec__=mod_spec,
        )
        run_globals.setdefault("__builtins__", guest_builtins())
        run_code(code, run_globals)
        return run_globals

    def _get_code_from_file(run_name: Any, fname: Any) -> tuple:
        path = os.path.abspath(os.fsdecode(fname))
        if not _is_program_file(path):
            return host_get_code(run_name, fname)
        from pvm.compiler import compile_source

        with open(path, "rb") as f:
            return compile_source(f.read(), fname, "exec"), fname

    return (host_run_code, host_get_code), (_run_code, _get_code_from_file)


_RUNPY_SAVED: tuple | None = None


def install_host_patch() -> None:
    """Route runpy and spec_from_file_location through pvm for the program's files."""
    global _RUNPY_SAVED
    import runpy

    importlib.util.spec_from_file_location = guest_spec_from_file_location
    for name in _SOURCE_RUNNERS:
        if name in sys.modules:
            _route_source_runner(sys.modules[name])
    if _RUNPY_SAVED is None:
        _RUNPY_SAVED, (run, get) = _runpy_patches()
        runpy._run_code, runpy._get_code_from_file = run, get


def uninstall_host_patch() -> None:
    """Undo install_host_patch()."""
    global _RUNPY_SAVED
    import runpy

    importlib.util.spec_from_file_location = _HOST_SPEC_FROM_FILE
    _unroute_source_runners()
    if _RUNPY_SAVED is not None:
        runpy._run_code, runpy._get_code_from_file = _RUNPY_SAVED
        _RUNPY_SAVED = None
