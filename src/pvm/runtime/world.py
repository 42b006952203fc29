"""The guest world: the guest's own sys.modules, sys and import system, with the library on pvm.

What belongs here: the guest's module namespace (``World.modules``), its ``sys`` module,
the guest's views of the built-in modules it must see through pvm (``_imp``,
``marshal``, and those the layers above provide, such as ``_thread``), the start of
CPython's own import system (``importlib._bootstrap`` and ``_bootstrap_external``,
compiled by pvm and run on pvm, as CPython runs them frozen), the guest's
``__import__`` fast path, and where library modules are cached.  What does not: the
program's ``__main__`` and its exit (pvm.runtime.main), the builtins themselves
(pvm.runtime.builtins), what releases the GIL (pvm.concurrency.blocking).

In CPython every line of Python, the library's too, runs on the one virtual machine,
and only C code runs natively.  A World gives pvm the same shape: the standard
library's and installed packages' pure-Python modules are compiled by pvm and run on
pvm, in a module namespace apart from the host modules pvm itself is built from.
Built-in and extension (C) modules are shared with the host, except

  * the views: ``sys``, ``builtins``, ``_imp`` (nothing is frozen: the frozen
    standard-library modules load from their source, under their ``<frozen NAME>``
    file names), ``marshal`` (it also carries pvm code objects), and what the layers
    above register with ``provide_module`` (``_thread``: pvm threads and GIL-aware
    locks);
  * the hidden accelerators (HIDDEN): C modules that look Python modules up in the
    host's sys.modules (``_asyncio`` and ``_json`` and ``_elementtree`` import the
    host's asyncio, json and xml, ``_decimal`` registers with the host's ``numbers``;
    ``_pickle``, which finds classes there, is replaced by pvm.runtime.pickling).  The guest imports them as ``None`` in sys.modules, as
    CPython's way to block a module, so the library falls back to its pure-Python
    versions, which see the guest's modules; unless pvm writes the module itself
    (``provide_fresh_module``): ``_asyncio`` is pvm.runtime.asynciomodule's.

The choices for each frozen and bootstrap module are listed in docs/guest-world.md.
"""

from __future__ import annotations

import _imp
import _thread
import builtins as _host_builtins
import marshal as _host_marshal
import os
import sys
import types
from typing import Any

from pvm.bytecode import cache, serialize
from pvm.bytecode.code import CodeObject
from pvm.config import config
from pvm.vm import hooks

# C accelerators the guest does not get (see the module docstring): the pure-Python
# fallbacks of pickle, asyncio, json, xml.etree and decimal run instead.
HIDDEN = ("_asyncio", "_json", "_elementtree", "_decimal")

# The modules CPython 3.11 freezes: their code reports "<frozen NAME>" as its file.
try:
    FROZEN = frozenset(_imp._frozen_module_names())  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - a build without frozen modules
    FROZEN = frozenset()

_STDLIB = os.path.dirname(os.__file__)
# Module views the layers above lend the guest world (name -> attributes over the
# host module's), e.g. pvm.concurrency's _thread; see provide_module().
_PROVIDED: dict[str, dict[str, Any]] = {}
# What runs after a guest module is loaded (name -> functions of the module), e.g.
# pvm's answers in the guest's inspect and dis; see after_load().
_AFTER_LOAD: dict[str, list[Any]] = {}


def provide_module(name: str, attrs: dict[str, Any]) -> None:
    """Make the guest's module ``name`` the host's with these attributes replaced."""
    _PROVIDED[name] = dict(attrs)


# Modules pvm writes itself for the guest, in place of a hidden accelerator (name ->
# attributes), e.g. pvm.runtime.asynciomodule's _asyncio; see provide_fresh_module().
_FRESH: dict[str, dict[str, Any]] = {}
# Modules taken back by withdraw_module(), before or after they were provided.
_WITHDRAWN: set[str] = set()


def provide_fresh_module(name: str, attrs: dict[str, Any]) -> None:
    """Give the guest a module ``name`` of pvm's own, with these attributes and no host base."""
    if name not in _WITHDRAWN:
        _FRESH[name] = dict(attrs)


def withdraw_module(name: str) -> None:
    """Take back a module pvm provides, now and if provided later (a HIDDEN one stays hidden)."""
    _WITHDRAWN.add(name)
    _FRESH.pop(name, None)


# -- where library code is cached ---------------------------------------------------
#
# CPython ships its standard library's bytecode compiled; pvm compiles the library on
# first use and keeps it in a per-user cache (whatever PYTHONDONTWRITEBYTECODE says,
# which governs the program's own modules, as -B does for CPython).  The program's
# own modules keep their __pycache__ next to the source.


def after_load(name: str, fix: Any) -> None:
    """Call ``fix(module)`` each time the guest world finishes loading module ``name``.

    For the few places where a library module, run on pvm, must answer as CPython's C
    code would for pvm's objects (inspect and dis of pvm code objects, warnings shown
    through the guest's module); registered by the layer that owns the answer.
    """
    _AFTER_LOAD.setdefault(name, []).append(fix)


def library_cache_dir() -> str:
    """Return the directory under which library modules' pvm bytecode is cached."""
    base = os.environ.get("PVM_LIBRARY_CACHE")
    if base:
        return base
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(xdg, "pvm", "library")


def _compile(source: bytes, filename: str) -> CodeObject:
    from pvm.compiler import compile_source

    return compile_source(source, filename, "exec")


def library_code(path: str, fullname: str, note: Any = None) -> CodeObject:
    """Return the pvm code of library module ``fullname`` at ``path``, through the cache.

    ``note`` is told what importlib tells `python3 -v` (pvm.bytecode.cache.load).
    """
    cache_file = os.path.join(
        library_cache_dir(),
        os.path.splitdrive(os.path.abspath(path))[1].lstrip(os.sep),
    )
    cache_file = os.path.splitext(cache_file)[0] + f".{cache.CACHE_TAG}{cache.opt_suffix()}.pyc"
    code = cache.load(path, _compile, cache_file=cache_file, note=note).code
    if fullname in FROZEN and os.path.dirname(os.path.abspath(path)).startswith(_STDLIB):
        code = cache.fix_filename(code, f"<frozen {fullname}>")
    return code


# -- the views of built-in modules ---------------------------------------------------


def _module_like(
    host: types.ModuleType, without: tuple[str, ...] = (), **overrides: Any
) -> types.ModuleType:
    """Return a fresh module with host's attributes, some left out, some replaced."""
    view = types.ModuleType(host.__name__, host.__doc__)
    d = view.__dict__
    left_out = ("__spec__", "__loader__", *without)
    d.update((k, v) for k, v in vars(host).items() if k not in left_out)
    d.update(overrides)
    return view


# What the guest's _thread leaves out: the C thread excepthook prints with the host's
# traceback machinery (pvm's own frames); without it threading.py uses its pure-Python
# excepthook, which prints through the guest's traceback module.
_THREAD_WITHOUT = ("_excepthook", "_ExceptHookArgs")


def _lock_factories(attrs: dict[str, Any]) -> dict[str, Any]:
    """The guest's _thread attributes, with allocate_lock a function as _thread's C one is.

    A lock class handed in as allocate_lock (the GIL-aware lock) would be what the
    guest's threading.Lock is, and pickle saves a class by its own name (_thread.lock,
    which 3.11's _thread lacks): SyncManager's registry holds threading.Lock, so every
    Manager under spawn or forkserver failed to pickle.  A builtin-looking function
    named _thread.allocate_lock pickles by reference, as CPython's does.
    """
    from pvm.runtime.builtins import _with_host_names  # builtins imports this layer's peers

    out = dict(attrs)
    for name in ("allocate_lock", "allocate"):
        lock_type = out.get(name)
        if isinstance(lock_type, type):
            factory = _with_host_names(lock_type, getattr(_thread, name))
            factory.__dict__["__module__"] = "_thread"
            out[name] = factory
    return out


def _marshal_dumps(value: Any, version: int = _host_marshal.version, /) -> bytes:
    """marshal.dumps, with pvm code objects in pvm's own format (they start b"pvmC")."""
    if isinstance(value, CodeObject):
        return serialize.dumps(value)
    return _host_marshal.dumps(value, version)


def _marshal_loads(data: Any, /) -> Any:
    """marshal.loads, reading pvm code objects too."""
    if bytes(data[:4]) == serialize.MAGIC:
        return serialize.loads(bytes(data))
    return _host_marshal.loads(data)


def _marshal_dump(value: Any, file: Any, version: int = _host_marshal.version, /) -> None:
    file.write(_marshal_dumps(value, version))


def _marshal_load(file: Any, /) -> Any:
    return _marshal_loads(file.read())


def _not_frozen(name: Any, *args: Any, **kwargs: Any) -> Any:
    return None


def _source_hash(key: int, source: Any, /) -> bytes:
    """_imp.source_hash, as pvm's cache hashes a source (its key is pvm's magic number)."""
    return cache.source_hash(bytes(source))


# -- removing importlib's frames from tracebacks (Python/import.c) --------------------

_IMPORTLIB_FILES = ("<frozen importlib._bootstrap>", "<frozen importlib._bootstrap_external>")


def remove_importlib_frames(exc: BaseException) -> None:
    """Cut importlib's frames out of exc's guest traceback, as import.c does.

    An ImportError loses every run of importlib frames; any other exception loses
    the runs that end in _call_with_frames_removed (the import machinery between
    the importing line and the imported module's own frames).
    """
    entries = getattr(exc, "__pvm_tb__", None)
    if not entries:
        return
    always = isinstance(exc, ImportError)
    outer_first = entries[::-1]  # the interpreter records innermost first
    kept: list = []
    chunk_start = 0  # where in `kept` the current run of importlib frames began
    in_importlib = False
    for entry in outer_first:
        code = entry[0].f_code
        now = code.co_filename in _IMPORTLIB_FILES
        if now and not in_importlib:
            chunk_start = len(kept)
        in_importlib = now
        if now and (always or code.co_name == "_call_with_frames_removed"):
            del kept[chunk_start:]  # this frame and the run before it go
        else:
            kept.append(entry)
    if len(kept) != len(entries):
        entries[:] = kept[::-1]


# -- packages kept native (--native PKG) ------------------------------------------------
#
# The escape hatch: the named packages (and their submodules) are imported by the host
# and the guest gets the host's module objects, as for an extension module.  Faster,
# and less faithful: their frames are the host's, a lock they take does not release
# pvm's GIL, and they see the host's sys.modules (docs/guest-world.md).


def native_packages() -> tuple[str, ...]:
    """Return the packages PVM_NATIVE names (comma-separated), which run natively."""
    return tuple(p.strip() for p in os.environ.get("PVM_NATIVE", "").split(",") if p.strip())


class _NativeLoader:
    """Hands the guest the host's module (imported by the host's own import system)."""

    @staticmethod
    def create_module(spec: Any) -> Any:
        import importlib

        return importlib.import_module(spec.name)

    @staticmethod
    def exec_module(module: Any) -> None:
        return None


class NativeFinder:
    """A guest meta path finder for the packages kept native; first on sys.meta_path."""

    def __init__(self, packages: tuple[str, ...], spec_type: Any) -> None:
        self.packages = packages
        self.spec_type = spec_type  # the guest's ModuleSpec

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        """Claim a module of a native package for the host."""
        for package in self.packages:
            if fullname == package or fullname.startswith(package + "."):
                return self.spec_type(fullname, _NativeLoader(), origin="native")
        return None

    def __repr__(self) -> str:
        return f"<pvm NativeFinder {', '.join(self.packages)}>"


# -- the builtins that read sys --------------------------------------------------------
#
# print(), input() and the default sys.displayhook are C code that reads the
# interpreter's sys: for the guest that is the guest's sys module, whose stdout a
# program may replace (contextlib.redirect_stdout) without the host's changing.

_MISSING = object()


def _guest_stream(world: World, name: str) -> Any:
    stream = world.sys.__dict__.get(name, _MISSING)
    if stream is _MISSING:
        raise RuntimeError(f"lost sys.{name}")
    return stream


_PRINT_KEYWORDS = frozenset(("sep", "end", "file", "flush"))


def _make_print(world: World) -> Any:
    host_print = _host_builtins.print

    def print(*args: Any, **kwargs: Any) -> None:
        # Keywords as the C builtin parses them: exact names, CPython's message.
        options: dict[str, Any] = {}
        for key, value in kwargs.items():
            name = str.__str__(key)
            if name not in _PRINT_KEYWORDS:
                if key in tuple(_PRINT_KEYWORDS):  # a str subclass's __eq__ said yes
                    raise TypeError("invalid keyword argument for print()")
                raise TypeError(f"'{name}' is an invalid keyword argument for print()")
            options[name] = value
        if options.get("file") is None:
            options["file"] = _guest_stream(world, "stdout")
            if options["file"] is None:
                return None
        return host_print(*args, **options)

    print.__doc__ = host_print.__doc__
    return print


def _make_input(world: World) -> Any:
    host_input = _host_builtins.input

    def input(*args: Any, **kwargs: Any) -> str:
        if kwargs:
            raise TypeError("input() takes no keyword arguments")
        if len(args) > 1:
            raise TypeError(f"input expected at most 1 argument, got {len(args)}")
        prompt = args[0] if args else ""
        stdin = _guest_stream(world, "stdin")
        stdout = _guest_stream(world, "stdout")
        if stdin is sys.stdin and stdout is sys.stdout:
            return host_input(prompt)  # the console: the host's input() edits lines
        if stdin is None:
            raise RuntimeError("input(): lost sys.stdin")
        if stdout is None:
            raise RuntimeError("input(): lost sys.stdout")
        if prompt != "":
            stdout.write(str(prompt))
        try:
            stdout.flush()
        except Exception:  # noqa: BLE001 - as builtin_input_impl, a failed flush is ignored
            pass
        line = stdin.readline()
        if not line:
            raise EOFError("EOF when reading a line")
        return line[:-1] if line.endswith("\n") else line

    input.__doc__ = host_input.__doc__
    return input


def _make_displayhook(world: World) -> Any:
    def displayhook(value: Any, /) -> None:
        """Print an object to sys.stdout and also save it in builtins._"""
        if value is None:
            return
        namespace = world.builtins.__dict__
        namespace["_"] = None
        stdout = _guest_stream(world, "stdout")
        if stdout is None:
            raise RuntimeError("lost sys.stdout")
        text = repr(value)
        try:
            stdout.write(text)
        except UnicodeEncodeError:
            encoding = getattr(stdout, "encoding", None) or "utf-8"
            stdout.write(text.encode(encoding, "backslashreplace").decode(encoding, "strict"))
        stdout.write("\n")
        namespace["_"] = value

    return displayhook


def stream(name: str) -> Any:
    """Return the guest's sys.stdout / stderr / stdin (the host's when there is no world)."""
    if _WORLD is None:
        return getattr(sys, name, None)
    return _WORLD.sys.__dict__.get(name)


# -- the world ------------------------------------------------------------------------


class World:
    """One guest's module namespace and import system (one per process, see enter())."""

    def __init__(self, argv: list[str], path: list[str], builtins_module: types.ModuleType):
        self.modules: dict[str, Any] = {}
        self.builtins = builtins_module
        self.sys = self._make_sys(argv, path)
        self.bootstrap: Any = None
        self.external: Any = None
        self.builtins_copy: dict[str, Any] = {}

    # -- sys ----------------------------------------------------------------------

    def _make_sys(self, argv: list[str], path: list[str]) -> types.ModuleType:
        from pvm.runtime import sysmodule

        guest = types.ModuleType("sys", sys.__doc__)
        d = guest.__dict__
        d.update(vars(sys))
        for key in ("__spec__", "__loader__"):
            d.pop(key, None)
        d.update(sysmodule.guest_overrides())
        implementation = types.SimpleNamespace(**vars(sys.implementation))
        implementation.cache_tag = cache.CACHE_TAG
        d.update(
            modules=self.modules,
            path=list(path),
            meta_path=[],
            path_hooks=[],
            path_importer_cache={},
            argv=list(argv),
            implementation=implementation,
        )
        # Whatever starts "the Python interpreter" (subprocess, multiprocessing's spawn)
        # starts pvm: a child inherits PVM_GUEST_WORLD=1 (set by --guest-world in the
        # environment, which the guest's os.environ shares), so it runs in this mode too.
        executable = self._pvm_python()
        if executable is not None:
            d["executable"] = d["_base_executable"] = executable
        d["displayhook"] = d["__displayhook__"] = _make_displayhook(self)
        from pvm.runtime.builtins import _with_host_names  # builtins imports this layer's peers

        d["is_finalizing"] = _with_host_names(_is_finalizing, sys.is_finalizing)

        made = frozenset(d)

        def __getattr__(name: str) -> Any:
            # Attributes the host's sys gains after the guest's was made (last_value...);
            # not one the guest deleted.
            try:
                if name not in made:
                    return getattr(sys, name)
            except AttributeError:
                pass
            raise AttributeError(f"module 'sys' has no attribute '{name}'") from None

        d["__getattr__"] = __getattr__
        return guest

    @staticmethod
    def _pvm_python() -> str | None:
        """Return the absolute path of the `pvm-python` script, or None if not installed."""
        import shutil
        import sysconfig

        # The one installed with this pvm for this Python comes first: next to the host's
        # executable (a virtual environment's bin directory holds both, and under -S,
        # with no site to set the venv's prefix, sysconfig names the base installation's
        # scripts), then in the scripts directory.  Without one (pvm run from a source
        # tree without `pip install`), sys.executable stays python3's and children run
        # on CPython.
        scripts = sysconfig.get_path("scripts")
        beside = os.path.dirname(sys.executable) if sys.executable else None
        for found in (
            shutil.which("pvm-python", path=beside) if beside else None,
            shutil.which("pvm-python", path=scripts),
            shutil.which("pvm-python"),
        ):
            if found:
                return os.path.abspath(found)
        return None

    # -- start-up -----------------------------------------------------------------

    def start(self) -> None:
        """Seed the namespace with the views and run CPython's import system on pvm."""
        modules = self.modules
        modules["sys"] = self.sys
        modules["builtins"] = self.builtins
        imp = _module_like(
            _imp,
            is_frozen=_not_frozen,
            find_frozen=_not_frozen,
            check_hash_based_pycs=config.check_hash_based_pycs,
            source_hash=_source_hash,
        )
        modules["_imp"] = imp
        from pvm.runtime import sysmodule

        modules["_signal"] = _module_like(
            __import__("_signal"),
            signal=sysmodule.guest_aware_signal,
            getsignal=sysmodule.guest_aware_getsignal,
        )
        modules["marshal"] = _module_like(
            _host_marshal,
            dumps=_marshal_dumps,
            loads=_marshal_loads,
            dump=_marshal_dump,
            load=_marshal_load,
        )
        modules["_thread"] = _module_like(
            __import__("_thread"), _THREAD_WITHOUT, **_lock_factories(_PROVIDED.get("_thread", {}))
        )
        for name, attrs in _PROVIDED.items():
            if name != "_thread":
                modules[name] = _module_like(__import__(name), **attrs)
        for name, attrs in _FRESH.items():
            fresh = types.ModuleType(name)
            fresh.__dict__.update(attrs)
            modules[name] = fresh
        # _warnings keeps its C filters, shared with the warnings of C code (the parser's,
        # pvm's compiler's); its warn() finds the caller among guest frames.
        modules["_warnings"] = _module_like(
            __import__("_warnings"), warn=sysmodule.guest_aware_warn
        )
        modules.setdefault("_weakref", __import__("_weakref"))
        # bytes.__reduce_ex__ (protocols 0-2) names the host's _codecs.encode, which the
        # guest's pickle must find as _codecs.encode: a fresh copy of this multi-phase
        # module has other function objects (the codec registry is the interpreter's).
        modules.setdefault("_codecs", __import__("_codecs"))
        boot = self._load_bootstrap("_frozen_importlib", "importlib._bootstrap")
        boot._install(self.sys, imp)
        self.bootstrap = boot  # the guest's imports go through it from here on
        external = self._load_bootstrap(
            "_frozen_importlib_external", "importlib._bootstrap_external"
        )
        # As _bootstrap._install_external_importers, with the module already loaded.
        external._set_bootstrap_module(boot)
        # The guest's py_compile and compileall write pvm's cache files: pvm's magic
        # number (and source hash, _source_hash) in the PEP 552 header, and pvm's code
        # (the guest's marshal) after it, which pvm's cache reads.
        external.MAGIC_NUMBER = cache.MAGIC
        external._RAW_MAGIC_NUMBER = int.from_bytes(cache.MAGIC, "little")
        boot._bootstrap_external = external
        external._install(boot)
        self._route_source_loader(external)
        self._run_after_load(boot)
        native = native_packages()
        if native:
            self.sys.meta_path.insert(0, NativeFinder(native, boot.ModuleSpec))
        for name in HIDDEN:
            if name not in _FRESH:
                modules[name] = None
        self.external = external
        # types.py takes its types from objects it makes: type(_f) for FunctionType,
        # type(FunctionType.__code__) for GetSetDescriptorType.  Made on pvm, the first
        # is pvm's Function class and the others come out as `property`, which breaks
        # inspect.getattr_static (and so pluggy's hook lookup).  Those four are the
        # host's C types, which pvm functions pass isinstance() checks for, as in the
        # default mode; CodeType, GeneratorType, FrameType ... stay pvm's, which
        # inspect's iscode() and isgenerator() need.  Loaded first thing, before any
        # module takes a name from it.
        guest_types = self.import_("types")
        for name in ("FunctionType", "LambdaType", "GetSetDescriptorType", "MemberDescriptorType"):
            guest_types.__dict__[name] = getattr(types, name)
        # copyreg is loaded at start-up, as in CPython; its tables are the host's, so
        # that a reducer registered on either side (pvm's for exceptions that carry
        # guest frames, a program's) serves both picklers.
        import copyreg as host_copyreg

        copyreg = self.import_("copyreg")
        for table in ("dispatch_table", "_extension_registry", "_inverted_registry"):
            setattr(copyreg, table, getattr(host_copyreg, table))
        copyreg._extension_cache = host_copyreg._extension_cache
        # object.__reduce_ex__ (C) returns the host's copyreg functions: the guest's names
        # are those, so that `reduce[0] is copyreg._reconstructor` and pickle finds them.
        for name in ("_reconstructor", "__newobj__", "__newobj_ex__"):
            setattr(copyreg, name, getattr(host_copyreg, name))
        # As CPython's start-up, which imports warnings when there are -W options: the
        # host has put them in the C filters the guest shares (and reported the invalid
        # ones), so the guest's warnings.py must not process them a second time.
        if self.sys.warnoptions:
            options, self.sys.warnoptions = self.sys.warnoptions, []
            try:
                self.import_("warnings")
            finally:
                self.sys.warnoptions = options
        # As site.sethelper(): help() imports the guest's pydoc, not the host's (which
        # looks in the host's sys.modules, without the program's __main__).
        self.builtins.help = self.import_("_sitebuiltins")._Helper()

    def shutdown_threads(self) -> None:
        """Wait for the guest's threads as Py_FinalizeEx: the guest's threading._shutdown()."""
        threading = self.modules.get("threading")
        if threading is None:
            return
        try:
            threading._shutdown()
        except BaseException as exc:  # noqa: BLE001 - reported as PyErr_WriteUnraisable
            hook = self.sys.__dict__.get("unraisablehook")
            if hook is not None:
                hook(
                    types.SimpleNamespace(
                        exc_type=type(exc),
                        exc_value=exc,
                        exc_traceback=exc.__traceback__,
                        err_msg=None,
                        object=threading,
                    )
                )

    def finalize_modules(self) -> None:
        """Destroy the guest's modules as CPython's finalize_modules (pylifecycle.c) does.

        Run at exit after atexit, while pvm still runs guest code: the __del__ methods
        that freeing module globals sets off run on pvm and print through the guest's
        sys.stdout, in CPython's order.  The host's own finalization runs later, on a
        guest with nothing left to free.
        """
        import gc
        import weakref

        _FINALIZER[0] = _thread.get_ident()
        hooks.request(hooks.Request.FINALIZING)
        sysd = self.sys.__dict__
        builtins = self.builtins.__dict__
        builtins["_"] = None
        for name in _SYS_DELETES:
            sysd[name] = None
        for name in ("stdin", "stdout", "stderr"):
            sysd[name] = sysd.get(f"__{name}__")
        # Each module in sys.modules is replaced by None, with a weak reference kept;
        # then sys.modules is emptied and the builtins made as they were at start-up.
        weaklist = []
        modules = self.modules
        for name in list(modules):
            module = modules.get(name)
            if isinstance(module, types.ModuleType):
                weaklist.append(weakref.ref(module))
            modules[name] = None
            del module
        modules.clear()
        builtins.clear()
        builtins.update(self.builtins_copy)
        gc.collect()
        # Modules still alive (kept by a cycle, or by an object that outlived sys.modules)
        # are wiped, those imported later first; sys and builtins last of all.  A module
        # the host shares (a C extension such as _weakref) is left as it is: pvm's own
        # code still uses it.
        host = {id(m) for m in list(sys.modules.values())}
        for ref in reversed(weaklist):
            module = ref()
            if module is None or module is self.sys or module is self.builtins:
                continue
            if id(module) in host:
                del module
                continue
            _clear_module_dict(module.__dict__)
            del module
        streams = [sysd.get(f"__{name}__") for name in ("stdout", "stderr")]
        _clear_module_dict(sysd)
        _clear_module_dict(builtins)
        for stream in streams:  # what the destructors printed (CPython's second flush)
            try:
                stream.flush()
            except Exception:  # noqa: BLE001 - a closed or broken stream: nothing to do
                pass

    def _load_bootstrap(self, name: str, stdlib_name: str) -> types.ModuleType:
        """Compile and run one of importlib's bootstrap modules on pvm as ``name``."""
        from pvm.vm.interpreter import run_code

        path = os.path.join(_STDLIB, *stdlib_name.split(".")) + ".py"
        module = types.ModuleType(name)
        module.__dict__["__builtins__"] = self.builtins
        self.modules[name] = module
        code = cache.fix_filename(library_code(path, stdlib_name), f"<frozen {stdlib_name}>")
        run_code(code, module.__dict__)
        return module

    def _route_source_loader(self, external: Any) -> None:
        """Source files load through pvm's compiler and caches, not marshal and .pyc files."""
        from pvm.runtime.importer import compile_file, is_guest_dir

        file_loader = external.SourceFileLoader
        python_get_code = external.SourceLoader.get_code
        # As source_to_code compiles through _call_with_frames_removed: a SyntaxError's
        # traceback then loses importlib's frames (remove_importlib_frames), as in CPython.
        call_with_frames_removed = external._bootstrap._call_with_frames_removed
        verbose_message = external._bootstrap._verbose_message

        def note(message: str) -> None:  # what CPython's get_code tells `python3 -v`
            verbose_message("{}", message)

        def get_code(loader: Any, fullname: str) -> Any:
            if type(loader) is not file_loader:
                return python_get_code(loader, fullname)
            path = loader.get_filename(fullname)
            told = note if config.verbose else None
            if is_guest_dir(os.path.dirname(os.path.abspath(path))):
                # The program's own: __pycache__ as always.
                return call_with_frames_removed(compile_file, path, told)
            return call_with_frames_removed(library_code, path, fullname, told)

        get_code.__qualname__ = "SourceLoader.get_code"
        get_code.__module__ = "_frozen_importlib_external"
        external.SourceLoader.get_code = get_code
        self._route_extension_loader(external)

    def _run_after_load(self, boot: Any) -> None:
        """Apply the after_load() fixes as each module finishes loading."""
        load_unlocked = boot._load_unlocked
        fixes = _AFTER_LOAD

        def _load_unlocked(spec: Any) -> Any:
            module = load_unlocked(spec)
            for fix in fixes.get(spec.name, ()):
                fix(module)
            return module

        _load_unlocked.__module__ = "_frozen_importlib"
        boot.__dict__["_load_unlocked"] = _load_unlocked

    def _route_extension_loader(self, external: Any) -> None:
        """Submodules an extension module puts in "the" sys.modules go in the guest's.

        C code that adds modules (PyO3 and Cython packages do, for their submodules)
        writes the interpreter's sys.modules, which is the host's: the names it adds
        under the module being loaded are copied into the guest's.
        """
        loader_type = external.ExtensionFileLoader
        modules = self.modules

        def adopting(step: Any, name: str) -> Any:
            def run(loader: Any, arg: Any) -> Any:
                before = set(sys.modules)
                result = step(loader, arg)
                prefix = loader.name + "."
                for added in set(sys.modules) - before:
                    if added.startswith(prefix) and added not in modules:
                        modules[added] = sys.modules[added]
                return result

            run.__name__ = name
            run.__qualname__ = f"ExtensionFileLoader.{name}"
            run.__module__ = "_frozen_importlib_external"
            return run

        # Single-phase modules run their init in create_module, multi-phase in exec_module.
        loader_type.create_module = adopting(loader_type.create_module, "create_module")
        loader_type.exec_module = adopting(loader_type.exec_module, "exec_module")

    # -- import -------------------------------------------------------------------

    def import_(
        self,
        name: str,
        globals: Any = None,
        locals: Any = None,
        fromlist: Any = (),
        level: int = 0,
    ) -> Any:
        """The guest's __import__, as C's PyImport_ImportModuleLevelObject (Python/import.c).

        A loaded module that is not initialising is returned without running Python
        code; otherwise importlib's _find_and_load runs on pvm, called directly as the C
        code calls it (no __import__ or _gcd_import frame), and importlib's frames are
        cut from the traceback of a failure as import.c does.
        """
        try:
            return self._import(name, globals, fromlist, level)
        except BaseException as exc:
            remove_importlib_frames(exc)
            raise

    def _import(self, name: Any, globals: Any, fromlist: Any, level: int) -> Any:
        boot = self.bootstrap
        if level == 0 and type(name) is str and name:
            abs_name = name  # the common case, without running Python code
        else:
            package = None
            if level > 0:
                package = boot._calc___package__(globals if globals is not None else {})
            boot._sanity_check(name, package, level)
            abs_name = boot._resolve_name(name, package, level) if level > 0 else name
        module = self.modules.get(abs_name)
        if module is None:
            if config.import_time:
                module = _timed_find_and_load(boot, abs_name, self.import_)
            else:
                module = boot._find_and_load(abs_name, self.import_)
        elif getattr(getattr(module, "__spec__", None), "_initializing", False):
            boot._lock_unlock_module(abs_name)  # import_ensure_initialized
        if fromlist:
            if hasattr(module, "__path__"):
                return boot._handle_fromlist(module, fromlist, self.import_)
            return module
        if level == 0:
            top = name.partition(".")[0]
            return module if top == name else self.import_(top)
        if not name:
            return module
        # A relative name: up to the first dot of what was written, in absolute terms.
        cut_off = len(name) - len(name.partition(".")[0])
        to_return = abs_name[: len(abs_name) - cut_off]
        try:
            return self.modules[to_return]
        except KeyError:
            raise KeyError(f"{to_return!r} not in sys.modules as expected") from None


# -X importtime (Python/import.c, import_find_and_load): the header once, then a line per
# module found and loaded, as each finishes, indented by its nesting; "self" leaves out
# the time of the imports it made.
_IMPORT_TIME = {"header": True, "level": 0, "accumulated": 0}


def _timed_find_and_load(boot: Any, abs_name: str, import_: Any) -> Any:
    import time

    state = _IMPORT_TIME
    if state["header"]:
        if config.import_time_header:
            _write_c_stderr("import time: self [us] | cumulative | imported package\n")
        state["header"] = False
    accumulated_before = state["accumulated"]
    state["level"] += 1
    state["accumulated"] = 0
    start = time.perf_counter_ns()
    try:
        return boot._find_and_load(abs_name, import_)
    finally:
        cumulative = time.perf_counter_ns() - start
        state["level"] -= 1
        own = cumulative - state["accumulated"]
        _write_c_stderr(
            f"import time: {-(-own // 1000):9d} | {-(-cumulative // 1000):10d} | "
            f"{'  ' * state['level']}{abs_name}\n"
        )
        state["accumulated"] = accumulated_before + cumulative


def _write_c_stderr(text: str) -> None:
    """Write to the process's stderr as C's fprintf(stderr) does, whatever sys.stderr is."""
    try:
        sys.__stderr__.flush()
        os.write(2, text.encode("utf-8", "backslashreplace"))
    except (OSError, ValueError, AttributeError):
        pass


def _warnings_loaded(module: types.ModuleType) -> None:
    """C code's warnings go through the guest's warnings module, as CPython's do.

    CPython's C warnings (_warnings.c: the parser's invalid escapes, pvm's compiler's
    SyntaxWarnings, a C function's DeprecationWarning, the guest's own through
    ``_warnings.warn_explicit``) read ``filters`` and call ``_showwarnmsg`` of the
    ``warnings`` module in the interpreter's sys.modules.  For the host's C code that is
    the host's: the guest's module takes its place there, so that a guest's
    ``showwarning``, ``catch_warnings(record=True)`` and ``assertWarns`` see them.
    """
    sys.modules["warnings"] = module


# sys attributes finalize_modules sets to None before the modules go (pylifecycle.c).
_SYS_DELETES = (
    "path",
    "argv",
    "ps1",
    "ps2",
    "last_type",
    "last_value",
    "last_traceback",
    "path_hooks",
    "path_importer_cache",
    "meta_path",
    "__interactivehook__",
)


# The thread that runs finalize_modules; any other that reaches a check point after it
# began stops there for good, as a CPython thread that wants the GIL once the interpreter
# is finalizing exits (a daemon thread must not run on while the modules are wiped).
_FINALIZER = [-1]


def _is_finalizing() -> bool:
    """sys.is_finalizing() for the guest: True from the start of finalize_modules on."""
    return _FINALIZER[0] != -1 or sys.is_finalizing()


def _freeze_during_finalization(tstate: Any, frame: Any) -> None:
    if _thread.get_ident() == _FINALIZER[0]:
        return
    if hooks.GIL_ON[0]:
        hooks.gil.exit_thread(tstate)  # gives the GIL up for good, to the finalizer
    never = _thread.allocate_lock()
    never.acquire()
    never.acquire()  # the process ends with this thread still here, as CPython's


hooks.add_breaker_handler(hooks.Request.FINALIZING, _freeze_during_finalization)


def _clear_module_dict(d: dict) -> None:
    """Set a module's globals to None as _PyModule_ClearDict: the names that start with
    one underscore first (CPython's way to order the destructors of globals), then all
    but __builtins__."""
    for key in list(d):
        if type(key) is str and key[:1] == "_" and key[1:2] != "_" and d.get(key) is not None:
            d[key] = None
    for key in list(d):
        if type(key) is str and key != "__builtins__" and d.get(key) is not None:
            d[key] = None


def _testcapi_loaded(module: types.ModuleType) -> None:
    """CPython's test-only C API: endless allocation failure would stop pvm itself."""
    set_nomemory = module.set_nomemory

    def guarded_set_nomemory(start: Any, stop: Any = 0, /) -> Any:
        if isinstance(stop, int) and stop <= 0:
            raise NotImplementedError(
                "pvm does not support _testcapi.set_nomemory() without an end (stop=0): "
                "the allocations it makes fail are also pvm's own interpreter's, which "
                "cannot run without memory"
            )
        return set_nomemory(start, stop)

    module.__dict__["set_nomemory"] = guarded_set_nomemory
    module.__dict__["settrace_to_record"] = _settrace_to_record


# PyTrace_CALL, PyTrace_EXCEPTION, PyTrace_LINE, PyTrace_RETURN, PyTrace_OPCODE
_PY_TRACE = {"call": 0, "exception": 1, "line": 2, "return": 3, "opcode": 7}


def _settrace_to_record(events: list, /) -> None:
    """_testcapi.settrace_to_record(): a C trace function appending (what, line, arg).

    The host's would trace pvm's own interpreter (and crash it); this one traces the
    guest's frames, through pvm's sys.settrace, with a tracer that, as C code, has no
    frames of its own to trace.
    """
    from pvm.vm import trace

    def record(frame: Any, event: str, arg: Any) -> Any:
        events.append((_PY_TRACE[event], frame.f_lineno, arg))
        return record

    trace.settrace(record)


def _testinternalcapi_loaded(module: types.ModuleType) -> None:
    """CPython's internal test API: the recursion depth is the guest's, not pvm's own."""

    def get_recursion_depth() -> int:
        from pvm.vm import threadstate

        # C subtracts one for its own call: what is left is the guest's frames.
        return threadstate.current().depth

    module.__dict__["get_recursion_depth"] = get_recursion_depth


after_load("warnings", _warnings_loaded)
after_load("_testcapi", _testcapi_loaded)
after_load("_testinternalcapi", _testinternalcapi_loaded)

_WORLD: World | None = None


def current() -> World | None:
    """Return this process's guest world, or None when the library runs natively."""
    return _WORLD


def enter(argv: list[str], path: list[str]) -> World:
    """Make and start this process's guest world; the guest's builtins import through it."""
    global _WORLD
    from pvm.runtime.builtins import _with_host_names, builtins_module

    module = builtins_module()
    world = World(argv, path, module)
    _WORLD = world
    namespace = module.__dict__
    namespace["__import__"] = _with_host_names(world.import_, _host_builtins.__import__)
    namespace["print"] = _with_host_names(_make_print(world), _host_builtins.print)
    namespace["input"] = _with_host_names(_make_input(world), _host_builtins.input)
    hooks.provide(modules=world.modules, handed_traceback=hooks.services.traceback_view)
    world.start()
    world.builtins_copy = dict(namespace)  # finalize_modules puts these back
    return world


def default_path() -> list[str]:
    """Return the guest's initial sys.path, without its first entry (the program's)."""
    # Under -P (-I) the host put no program directory first.
    return list(sys.path if sys.flags.safe_path else sys.path[1:])
