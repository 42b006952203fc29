"""Run a guest program as the python command would: argv, __main__, exit codes.

What belongs here: ``run_path``, ``run_module``, ``run_source`` (argv, sys.path[0],
__main__, uncaught exceptions, thread joins, atexit, flushing), ``exit_process``, and
``restore_host``.  What does not: the command line (pvm.cli), printing tracebacks
(pvm.runtime.traceback), source checks (pvm.runtime.source), imports
(pvm.runtime.importer).
"""

# run_path, run_module and run_source set up the guest's sys.argv, sys.path[0] and a
# fresh __main__ module, run the code on pvm, report an uncaught exception as CPython
# does, wait for threads, run atexit handlers, flush the standard streams, and return
# the exit status. exit_process then ends the process as CPython would (after a
# KeyboardInterrupt by SIGINT, so the parent sees -2 and the shell 130).

from __future__ import annotations

import atexit
import builtins as _host_builtins
import gc
import importlib.machinery
import importlib.util
import os
import signal
import sys
import threading
import types
import zipfile
from typing import Any, NoReturn

from pvm.config import config
from pvm.runtime import (  # noqa: F401 - asynciomodule and pickling register modules
    asynciomodule,
    importer,
    introspect,
    pickling,
    source,
    sysmodule,
    world,
)
from pvm.runtime import traceback as pvm_traceback
from pvm.vm import hooks, threadstate

# Frames CPython's traceback shows above the module when it runs `-m` (Lib/runpy.py
# as frozen in 3.11.7): running the code, and importing the parent package.
_RUNPY_RUN = (("<frozen runpy>", 198, "_run_module_as_main"), ("<frozen runpy>", 88, "_run_code"))
_RUNPY_MAIN = ("<frozen runpy>", 189, "_run_module_as_main")
_RUNPY_RECURSE = ("<frozen runpy>", 148, "_get_module_details")  # package -> pkg.__main__
_RUNPY_IMPORT_PARENT = ("<frozen runpy>", 112, "_get_module_details")
_RUNPY_GET_CODE = (
    ("<frozen runpy>", 159, "_get_module_details"),
    ("<frozen importlib._bootstrap_external>", 1074, "get_code"),
    ("<frozen importlib._bootstrap_external>", 1004, "source_to_code"),
    ("<frozen importlib._bootstrap>", 241, "_call_with_frames_removed"),
)

# Python/pythonrun.c: status when flushing stdout at exit fails.
_FLUSH_FAILED = 120
_SIGINT_STATUS = 130

# Set when the last run ended in KeyboardInterrupt (exit_process re-raises SIGINT).
interrupted = False
# python3's -i (PYTHONINSPECT): after the program, however it ended, an interactive
# session in its __main__ (pvm.runtime.repl).  Set by the command line.
inspect = False


class _RunError(Exception):
    """A failure to start the program, printed as "EXECUTABLE: message"."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def run_path(path: str, argv: list[str]) -> int:
    """Run the script (or directory with __main__.py) at ``path``; return the exit status."""
    abspath = path if os.path.isabs(path) else os.path.join(os.getcwd(), path)
    with _GuestProcess(argv) as proc:
        try:
            if os.path.isdir(abspath):
                main_file = os.path.join(abspath, "__main__.py")
                if not os.path.isfile(main_file):
                    raise _RunError(f"can't find '__main__' module in {abspath!r}")
                proc.set_path0(abspath)
                loader = importer.PvmLoader("__main__", main_file)
                spec = importlib.machinery.ModuleSpec("__main__", loader, origin=main_file)
                spec.has_location = True
                spec.cached = importer.cache_path(main_file)
                proc.new_main(
                    __file__=main_file,
                    __cached__=spec.cached,
                    __loader__=loader,
                    __spec__=spec,
                    __package__="",
                )
            else:
                if not os.path.exists(abspath):
                    raise _RunError(
                        f"can't open file {abspath!r}: [Errno 2] No such file or directory", 2
                    )
                if zipfile.is_zipfile(abspath):
                    raise _RunError(f"pvm cannot run zip archives: {abspath!r}")
                main_file = abspath
                proc.set_path0(os.path.dirname(os.path.realpath(abspath)))
                proc.new_main(
                    __file__=abspath,
                    __cached__=None,
                    __loader__=importer.PvmLoader("__main__", abspath),
                )
            code = _compile_main_file(main_file)
        except _RunError as e:
            return proc.fail(e)
        except SyntaxError as e:
            return proc.report_uncaught(e)
        return proc.execute(code)


def run_module(name: str, argv: list[str]) -> int:
    """Run module ``name`` as ``python -m name`` does; return the exit status."""
    with _GuestProcess(argv) as proc:
        proc.set_path0(os.getcwd())
        if proc.world is not None:
            # As CPython's pymain_run_module: the guest's own runpy finds and runs it.
            proc.new_main()  # runpy runs the module in __main__'s namespace
            run_module_as_main = proc.world.import_("runpy")._run_module_as_main
            return proc.execute_call(run_module_as_main, name, True)
        try:
            spec, depth = _find_main_spec(name)
            origin = spec.origin
            if not origin or not origin.endswith(".py") or not os.path.isfile(origin):
                raise _RunError(f"No code object available for {spec.name}")
            code = importer.compile_file(origin)
        except _RunError as e:
            return proc.fail(e)
        except _ParentImportFailed as e:
            prefix = (_RUNPY_MAIN,) + (_RUNPY_RECURSE,) * e.depth + (_RUNPY_IMPORT_PARENT,)
            return proc.handle(e.error, prefix=prefix)
        except SyntaxError as e:
            prefix = (_RUNPY_MAIN,) + (_RUNPY_RECURSE,) * depth + _RUNPY_GET_CODE
            return proc.report_uncaught(e, prefix=prefix)
        sys.argv[0] = origin
        proc.new_main(
            __file__=origin,
            __cached__=spec.cached,
            __loader__=spec.loader,
            __spec__=spec,
            __package__=spec.name.rpartition(".")[0],
        )
        return proc.execute(code, prefix=_RUNPY_RUN)


def run_source(source: str | bytes, argv: list[str], filename: str = "<string>") -> int:
    """Run program text (``-c`` or stdin when filename is "<stdin>"); return the exit status."""
    with _GuestProcess(argv) as proc:
        proc.set_path0("")
        extra: dict[str, Any] = {}
        if filename != "<string>":
            extra = {"__file__": filename, "__cached__": None}
        proc.new_main(**extra)
        try:
            from pvm.compiler import compile_source

            code = compile_source(source, filename, "exec")
        except SyntaxError as e:
            return proc.report_uncaught(e)
        return proc.execute(code)


def run_interactive(argv: list[str]) -> int:
    """Run an interactive session (no program, stdin a terminal); return the exit status."""
    with _GuestProcess(argv) as proc:
        proc.set_path0("")
        proc.new_main()
        proc.ran = proc.interactive = True
        return proc.finish(0)


def exit_process(status: int) -> NoReturn:
    """End the process with ``status``; after a KeyboardInterrupt, die by SIGINT as CPython."""
    if interrupted and status == _SIGINT_STATUS and hasattr(signal, "SIGKILL"):
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    sys.exit(status)


def _compile_main_file(path: str) -> Any:
    """Compile the main script, with the errors CPython gives for a script file."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise _RunError(f"can't open file {path!r}: [Errno {e.errno}] {e.strerror}", 2) from None
    if config.skip_first_line:
        # python3 -x: the first line is not Python; its newline stays, so that line
        # numbers are the file's.  Compiled apart from the cache, which holds the file's.
        newline = data.find(b"\n")
        data = data[newline:] if newline >= 0 else b""
    problem = source.check_script_source(data, path)
    if problem is not None:
        raise problem
    if config.skip_first_line:
        from pvm.compiler import compile_source

        return compile_source(data, path, "exec")
    from pvm.bytecode import cache

    compiles = cache.stats.compiles
    code = importer.compile_file(path)
    if cache.stats.compiles != compiles:
        # The compiler's trees and scopes refer to each other: collect them before the
        # program starts, so that its gc.collect() counts only its own garbage, as
        # python3's does.  (A cached program made none.)
        gc.collect()
    return code


class _ParentImportFailed(Exception):
    """Importing the parent package of the ``-m`` module raised ``error``."""

    def __init__(self, error: BaseException, depth: int) -> None:
        super().__init__()
        self.error = error
        self.depth = depth


def _find_main_spec(name: str, depth: int = 0) -> tuple[Any, int]:
    """Find the spec of the module ``-m name`` runs, with runpy's errors (Lib/runpy.py).

    Returns the spec and how many times a package redirected to its __main__.
    """
    if name.startswith("."):
        raise _RunError("Relative module names not supported")
    pkg_name = name.rpartition(".")[0]
    if pkg_name:
        try:
            importer.guest_import(pkg_name)
        except ImportError as e:
            if e.name is None or (e.name != pkg_name and not pkg_name.startswith(e.name + ".")):
                raise _ParentImportFailed(e, depth) from None
        except BaseException as e:
            raise _ParentImportFailed(e, depth) from None
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, AttributeError, TypeError, ValueError) as ex:
        msg = f"Error while finding module specification for {name!r} ({type(ex).__name__}: {ex})"
        if name.endswith(".py"):
            msg += f". Try using '{name[:-3]}' instead of '{name}' as the module name."
        raise _RunError(msg) from None
    if spec is None:
        raise _RunError(f"No module named {name}")
    if spec.submodule_search_locations is not None:
        if name == "__main__" or name.endswith(".__main__"):
            raise _RunError("Cannot use package as __main__ module")
        try:
            return _find_main_spec(name + ".__main__", depth + 1)
        except _RunError as e:
            if name not in sys.modules:
                raise
            raise _RunError(f"{e}; {name!r} is a package and cannot be directly executed") from None
    if spec.loader is None:
        raise _RunError(f"{name!r} is a namespace package and cannot be executed")
    return spec, depth


class _GuestProcess:
    """The process-wide state of one guest run, restored afterwards for in-process callers."""

    def __init__(self, argv: list[str]) -> None:
        self.argv = list(argv) if argv else [""]
        # The library on pvm, in a module namespace of the guest's own (the default;
        # pvm run --native-stdlib, or PVM_GUEST_WORLD=0, runs it natively instead: see
        # pvm.runtime.world).
        self.world: Any = None
        self.main_globals: dict | None = None  # new_main()'s, until execute() runs it
        self.ran = False  # the program ran (or began to): -i then enters a session
        self.interactive = False  # no program: the session is the program (with a banner)
        self.guest_world = os.environ.get("PVM_GUEST_WORLD", "1") != "0"

    def __enter__(self) -> _GuestProcess:
        global interrupted
        interrupted = False
        self.saved_argv = sys.argv
        self.saved_path = list(sys.path)
        self.saved_main = sys.modules.get("__main__")
        self.saved_hooks = (sys.unraisablehook, threading.excepthook)
        sys.argv = list(self.argv)
        sys.unraisablehook = pvm_traceback.unraisablehook
        threading.excepthook = pvm_traceback.thread_excepthook
        importer.install()
        from pvm.runtime.builtins import builtins_module

        # Before any guest code takes a reference to the builtins dict. The guest's
        # builtins module also stands in sys.modules, so that lookups by name
        # (inspect.getmodule, doctest, mock.patch("builtins.open")) find the guest's.
        sys.modules["builtins"] = builtins_module()
        pvm_traceback.install_host_patch()
        sysmodule.install_host_patch()
        importer.install_host_patch()
        introspect.install_host_patch()
        if self.guest_world:
            self.world = world.enter(self.argv, world.default_path())
        if config.tracemalloc:
            # -X tracemalloc: from here, not from the host's start, so that pvm's own
            # start-up is not traced (the guest's has not begun).
            import tracemalloc

            tracemalloc.start(config.tracemalloc)
        return self

    def __exit__(self, *exc: object) -> None:
        # The hooks and host patches stay: guest objects can still raise at interpreter
        # shutdown (__del__, daemon threads), and they change nothing for exceptions
        # that never met guest code. restore_host() removes them for in-process callers.
        global _SAVED_HOOKS
        sys.argv = self.saved_argv
        sys.path[:] = self.saved_path
        if self.saved_main is not None:
            sys.modules["__main__"] = self.saved_main
        if _SAVED_HOOKS is None:
            _SAVED_HOOKS = self.saved_hooks

    def set_path0(self, entry: str) -> None:
        """Make ``entry`` the first module search path entry, as python does."""
        if sys.flags.safe_path:
            return
        path = self.world.sys.path if self.world is not None else sys.path
        if path and self.world is None:
            path[0] = entry
        else:
            path.insert(0, entry)
        importer.PvmFinder.invalidate_caches()

    def new_main(self, **attrs: Any) -> types.ModuleType:
        """Make a fresh ``__main__`` module in sys.modules, with python's attributes."""
        from pvm.runtime.builtins import builtins_module

        module = types.ModuleType("__main__")
        d = module.__dict__
        d["__package__"] = attrs.pop("__package__", None)
        d["__loader__"] = attrs.pop("__loader__", importlib.machinery.BuiltinImporter)
        d["__spec__"] = attrs.pop("__spec__", None)
        d["__annotations__"] = {}
        d["__builtins__"] = builtins_module()
        d.update(attrs)
        (self.world.modules if self.world is not None else sys.modules)["__main__"] = module
        self.main_globals = d
        return module

    def fail(self, e: _RunError) -> int:
        """Report a failure to start the program as python does."""
        _write_stderr(f"{source.PROG}: {e}\n")
        return self.finish(e.status)

    def execute(self, code: Any, prefix: tuple = ()) -> int:
        """Run the main code object in new_main()'s module; return the exit status."""
        from pvm.vm.interpreter import run_code

        # Neither __main__'s globals nor the exception that ended the program may stay
        # referenced from here while finish() runs: finalize_modules frees them, as
        # CPython's does once sys.modules lets go.
        globals_, self.main_globals = self.main_globals, None
        status = 0
        self.ran = True
        try:
            run_code(code, globals_)
        except BaseException as e:
            status = self.exit_status(e, prefix)
        del globals_
        return self.finish(status)

    def execute_call(self, function: Any, *args: Any) -> int:
        """Run the program by calling a guest function; return the exit status."""
        self.main_globals = None
        status = 0
        self.ran = True
        try:
            function(*args)
        except BaseException as e:
            status = self.exit_status(e)
        del function, args
        return self.finish(status)

    def handle(self, e: BaseException, prefix: tuple = ()) -> int:
        """Turn an exception that ended the program into an exit status, and finish."""
        return self.finish(self.exit_status(e, prefix))

    def exit_status(self, e: BaseException, prefix: tuple = ()) -> int:
        """Report an exception that ended the program; return the exit status it makes."""
        global interrupted
        if inspect:  # python3 -i: every exception is printed, and the session follows
            return self.report_uncaught(e, prefix=prefix, finish=False)
        if isinstance(e, SystemExit):
            return _system_exit_status(e)
        status = self.report_uncaught(e, prefix=prefix, finish=False)
        if isinstance(e, KeyboardInterrupt):
            interrupted = True
            status = _SIGINT_STATUS
        return status

    def report_uncaught(self, e: BaseException, prefix: tuple = (), finish: bool = True) -> int:
        """Print an uncaught exception through sys.excepthook, as python does."""
        # The guest's sys: a guest world's own module, else the host's.
        guest_sys = self.world.sys if self.world is not None else sys
        guest_sys.last_type, guest_sys.last_value = type(e), e
        guest_sys.last_traceback = e.__traceback__
        hook = guest_sys.excepthook
        if hook is sys.__excepthook__ or hook is pvm_traceback.excepthook:
            _write_stderr(_format_with_prefix(e, prefix))
        else:
            try:
                hook(type(e), e, e.__traceback__)
            except BaseException as hook_exc:
                if isinstance(hook_exc, SystemExit):
                    status = _system_exit_status(hook_exc)
                    return self.finish(status) if finish else status
                _write_stderr("Error in sys.excepthook:\n")
                _write_stderr(pvm_traceback.format_exception(hook_exc))
                _write_stderr("\nOriginal exception was:\n")
                _write_stderr(_format_with_prefix(e, prefix))
        if os.environ.get("PVM_HOST_TRACEBACK"):
            # For debugging pvm itself: the host's view, pvm's own frames included.
            _write_stderr("\n[pvm] host traceback:\n" + _host_report(e))
        return self.finish(1) if finish else 1

    def finish(self, status: int) -> int:
        """Wait for threads, run atexit handlers and flush stdio, as interpreter shutdown does.

        Under -i, after a program that ran, an interactive session comes first, and its
        end is the process's exit status.
        """
        if self.ran and (inspect or self.interactive):
            from pvm.runtime import repl

            self.ran = False
            # As python3, the banner only when the session is the whole program.
            status = repl.interact(self, self.interactive and not sys.flags.quiet)
        if self.world is not None:
            self.world.shutdown_threads()
        else:
            _join_threads()
        atexit._run_exitfuncs()
        if not _flush_std_files():  # Py_FinalizeEx failing makes the status 120
            status = _FLUSH_FAILED
        if self.world is not None:
            self.world.finalize_modules()
        if hooks.GIL_ON[0]:  # the main thread gives pvm's GIL up for good
            hooks.gil.exit_thread(threadstate.current())
        return status


_SAVED_HOOKS: tuple | None = None


def restore_host() -> None:
    """Remove the hooks and host patches a run installed (for in-process callers)."""
    global _SAVED_HOOKS
    if _SAVED_HOOKS is not None:
        sys.unraisablehook, threading.excepthook = _SAVED_HOOKS
        _SAVED_HOOKS = None
    pvm_traceback.uninstall_host_patch()
    sysmodule.uninstall_host_patch()
    importer.uninstall_host_patch()
    introspect.uninstall_host_patch()
    sys.modules["builtins"] = _host_builtins


def _format_with_prefix(e: BaseException, prefix: tuple) -> str:
    try:
        text = pvm_traceback.format_exception(e)
    except Exception:  # noqa: BLE001 - a report must come out whatever the exception is
        import traceback

        text = "".join(traceback.format_exception_only(type(e), e))
    if not prefix:
        return text
    rows = "".join(f'  File "{f}", line {n}, in {name}\n' for f, n, name in prefix)
    header = "Traceback (most recent call last):\n"
    if text.startswith(header):
        return header + rows + text[len(header) :]
    # The frames belong above a SyntaxError's own location block too.
    if isinstance(e, SyntaxError):
        return header + rows + text
    return text


def _host_report(e: BaseException) -> str:
    """Return the host's own traceback report for e, pvm's frames included."""
    import traceback

    pvm_traceback.uninstall_host_patch()
    try:
        return "".join(traceback.format_exception(e))
    finally:
        pvm_traceback.install_host_patch()


def _system_exit_status(e: SystemExit) -> int:
    """Return the exit status for a SystemExit, printing a non-integer code (pythonrun.c)."""
    code = e.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code if -(2**63) <= code < 2**63 else -1
    try:
        text = str(code)
    except Exception:
        text = "<exception str() failed>"
    _write_stderr(text + "\n")
    return 1


def _write_stderr(text: str) -> None:
    stream = world.stream("stderr")
    if stream is None:
        stream = sys.__stderr__
    if stream is None:
        return
    try:
        stream.write(text)
        stream.flush()
    except Exception:
        pass


def _join_threads() -> None:
    """Wait for the guest's non-daemon threads, as Py_FinalizeEx does before atexit."""
    # As threading._shutdown: first the callbacks registered with
    # threading._register_atexit, newest first (concurrent.futures wakes its idle
    # workers there so that they exit); registering one after this point is an error.
    threading._SHUTTING_DOWN = True  # type: ignore[attr-defined]
    for call in reversed(threading._threading_atexits):  # type: ignore[attr-defined]
        call()
    threading._threading_atexits.clear()  # type: ignore[attr-defined]
    me = threading.current_thread()
    while True:
        pending = [
            t
            for t in threading.enumerate()
            if t is not me and not t.daemon and t.is_alive() and t is not threading.main_thread()
        ]
        if not pending:
            return
        for t in pending:
            t.join()


def _flush_std_files() -> bool:
    """Flush stdout and stderr; on failure report it as CPython does and silence the stream."""
    ok = True
    for name in ("stdout", "stderr"):
        stream = world.stream(name)
        if stream is None or getattr(stream, "closed", False):
            continue
        try:
            stream.flush()
        except Exception as e:
            if name == "stdout":
                ok = False
                _write_stderr(f"Exception ignored in: {stream!r}\n")
                _write_stderr(pvm_traceback.format_exception_only(e))
            _silence(stream)
    return ok


def _silence(stream: Any) -> None:
    """Point a failed stream's descriptor at /dev/null so the host's own flush at exit succeeds."""
    try:
        fd = stream.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
