"""Let the host's inspect and dis work on guest code, frames and tracebacks as on CPython's.

What belongs here: the patches of the host's inspect and dis for guest objects, and a
guest frame's logical f_back through host code.  What does not: the frame and
traceback views themselves (pvm.runtime.sysmodule, pvm.runtime.traceback), pvm's
disassembler (pvm.bytecode.dis).
"""

# Guest functions, generators and frames already pass the host's isinstance checks
# (their __class__ is types.FunctionType, types.GeneratorType, types.FrameType), so
# most of inspect (signature, isfunction, currentframe, getsource once iscode agrees,
# getgeneratorstate...), linecache, doctest and pydoc work on them as they are. While
# a guest runs, install_host_patch() swaps in the few host functions that do not:
#
#   inspect.iscode         also accepts pvm's CodeObject; inspect's own callers
#                          (getfile, findsource, getargs, doctest's line lookup) look
#                          the name up in inspect's globals, so they follow.
#   inspect.getmodule      pvm's classes have a __module__ where CPython's C types have
#   inspect.getdoc         none and a docstring for pvm's developers: answer as for
#   inspect.getattr_static the C type (the descriptors of types.FunctionType...).
#   inspect.getinnerframes a host traceback through pvm's loop reads as the guest's.
#   dis.dis, disassemble,  pvm's disassembly (pvm.bytecode.dis) for guest functions,
#   get_instructions,      generators, code objects and source text, which pvm
#   Bytecode, distb,       compiles; anything else goes to the host's dis, which
#   _try_compile           recurses through the patched names (classes, modules).
#   inspect's eval         pvm's, for get_annotations(eval_str=True).
#
# The second half computes a guest frame's f_back as CPython has it: the host code
# that called into pvm's loop (threads, asyncio, callbacks, importlib) included.
# Nothing here is on the interpreter's path, and nothing hands guest source or code
# to the host's compile or exec.

from __future__ import annotations

import dis as _host_dis
import inspect as _host_inspect
import os
import sys
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any

from pvm.bytecode import dis as pvm_dis
from pvm.bytecode import opcode as pvm_opcode
from pvm.bytecode.code import CO_ASYNC_GENERATOR, CO_COROUTINE, CO_GENERATOR, CodeObject
from pvm.bytecode.opcode import INSTRUCTION_SIZE
from pvm.runtime import world
from pvm.vm import hooks

_PVM_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep

_HOST_ISCODE = _host_inspect.iscode
_HOST_GETMODULE = _host_inspect.getmodule
_HOST_GETDOC = _host_inspect.getdoc
_HOST_GETATTR_STATIC = _host_inspect.getattr_static
_HOST_GETINNERFRAMES = _host_inspect.getinnerframes
_HOST_DIS = _host_dis.dis
_HOST_DISASSEMBLE = _host_dis.disassemble
_HOST_DISTB = _host_dis.distb
_HOST_GET_INSTRUCTIONS = _host_dis.get_instructions
_HOST_BYTECODE = _host_dis.Bytecode
_HOST_TRY_COMPILE = _host_dis._try_compile

_HOST_GET_CODE_POSITION = _host_inspect._get_code_position

_NOTHING = object()


def _stands_for(host: Any) -> Callable[[Any], Any]:
    """Give a replacement the host function's name, module and docstring."""

    def decorate(fn: Any) -> Any:
        for attr in ("__name__", "__qualname__", "__module__", "__doc__"):
            setattr(fn, attr, getattr(host, attr))
        return fn

    return decorate


# -- pvm's stand-ins for C types -------------------------------------------------------


def _stand_ins() -> dict[type, type]:
    """Return pvm's types that stand for host C types, with the C type of each."""
    from pvm.runtime.sysmodule import GuestFrame, HostFrame
    from pvm.runtime.traceback import GuestTraceback
    from pvm.vm import generator
    from pvm.vm.function import Function

    return {
        Function: types.FunctionType,
        generator.Generator: types.GeneratorType,
        generator.Coroutine: types.CoroutineType,
        generator.AsyncGenerator: types.AsyncGeneratorType,
        GuestFrame: types.FrameType,
        HostFrame: types.FrameType,
        ImportFrame: types.FrameType,
        GuestTraceback: types.TracebackType,
        CodeObject: types.CodeType,
    }


_STAND_INS: dict[type, type] | None = None


def _host_type_of(obj: Any) -> type | None:
    """Return the C type a pvm object stands for (Function -> FunctionType...), or None."""
    global _STAND_INS
    if _STAND_INS is None:
        _STAND_INS = _stand_ins()
    return _STAND_INS.get(type(obj))


# -- inspect ---------------------------------------------------------------------------


@_stands_for(_HOST_ISCODE)
def iscode(object: Any) -> bool:
    return isinstance(object, (types.CodeType, CodeObject))


# A host code object that carries only a file name: inspect's file-based lookups treat
# it as they treat CPython's code objects (it holds none of the guest's code).
_FILE_PROBE = (lambda: None).__code__
_NO_FILE = (types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType)


@_stands_for(_HOST_GETMODULE)
def getmodule(object: Any, _filename: str | None = None) -> Any:
    host_type = _host_type_of(object)
    if host_type is types.TracebackType:
        object = object.tb_frame
        host_type = _host_type_of(object)
    if host_type is types.FrameType:
        object = object.f_code
    if isinstance(object, CodeObject):
        object = _FILE_PROBE.replace(co_filename=object.co_filename)
    elif host_type in _NO_FILE:
        return None  # as CPython's: no __module__, and getfile() refuses them
    return _HOST_GETMODULE(object, _filename)


@_stands_for(_HOST_GETDOC)
def getdoc(object: Any) -> str | None:
    host_type = _host_type_of(object)
    if host_type is None or host_type is types.FunctionType:
        return _HOST_GETDOC(object)
    doc = host_type.__doc__
    return _host_inspect.cleandoc(doc) if isinstance(doc, str) else None


@_stands_for(_HOST_GETATTR_STATIC)
def getattr_static(obj: Any, attr: str, default: Any = _NOTHING) -> Any:
    host_type = _host_type_of(obj)
    if host_type is None:
        if default is _NOTHING:
            return _HOST_GETATTR_STATIC(obj, attr)
        return _HOST_GETATTR_STATIC(obj, attr, default)
    # The C type's descriptors, and (for functions) the object's own __dict__.
    klass_result = _NOTHING
    for entry in host_type.__mro__:
        if attr in entry.__dict__:
            klass_result = entry.__dict__[attr]
            break
    instance_result = _NOTHING
    if "__dict__" in host_type.__dict__:
        try:
            instance_result = object.__getattribute__(obj, "__dict__")[attr]
        except (AttributeError, KeyError):
            pass
    if klass_result is not _NOTHING and instance_result is not _NOTHING:
        kind = type(klass_result)
        if hasattr(kind, "__get__") and (hasattr(kind, "__set__") or hasattr(kind, "__delete__")):
            return klass_result
    if instance_result is not _NOTHING:
        return instance_result
    if klass_result is not _NOTHING:
        return klass_result
    if default is not _NOTHING:
        return default
    raise AttributeError(attr)


@_stands_for(_HOST_GET_CODE_POSITION)
def _get_code_position(code: Any, instruction_index: int) -> tuple:
    if isinstance(code, CodeObject) and instruction_index == 0 and code.co_flags & _GENERATORS:
        # f_lasti 0 of a generator's frame: not started; CPython is on RETURN_GENERATOR,
        # which pvm does not have, at the def line.
        return (code.co_firstlineno, code.co_firstlineno, None, None)
    return _HOST_GET_CODE_POSITION(code, instruction_index)


_GENERATORS = CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR


def _guest_tb(tb: Any) -> Any:
    """Return the guest's view of a host traceback that passed through pvm's loop."""
    if type(tb) is not types.TracebackType:
        return tb
    from pvm.runtime import traceback as pvm_traceback

    if not pvm_traceback._passes_pvm(tb):
        return tb
    exc = pvm_traceback._owner_exception(tb)
    if exc is None:
        return tb
    return pvm_traceback.guest_traceback(exc)


@_stands_for(_HOST_GETINNERFRAMES)
def getinnerframes(tb: Any, context: int = 1) -> list:
    return _HOST_GETINNERFRAMES(_guest_tb(tb), context)


# -- dis -------------------------------------------------------------------------------


def _guest_code(x: Any) -> CodeObject | None:
    """Return the pvm code object dis would show for x, or None if x has none."""
    x = getattr(x, "__func__", x)  # a method
    for attr in ("__code__", "gi_code", "ag_code", "cr_code"):
        try:
            inner = getattr(x, attr, None)
        except Exception:  # noqa: BLE001 - a failing property means "no code here"
            inner = None
        if inner is not None:
            x = inner
            break
    return x if isinstance(x, CodeObject) else None


@_stands_for(_HOST_TRY_COMPILE)
def _try_compile(source: str, name: str) -> CodeObject:
    from pvm.compiler import compile_source

    try:
        return compile_source(source, name, "eval")
    except SyntaxError:
        pass
    return compile_source(source, name, "exec")


def _instructions(code: CodeObject, line_offset: int, dis: Any) -> Iterator[Any]:
    """Yield pvm's instructions of code as ``dis.Instruction`` (the host's or the guest's
    dis module), line numbers moved by line_offset (get_instructions' first_line)."""
    numbers = _opcode_numbers(dis.opmap)
    for i in pvm_dis.get_instructions(code):
        line = i.starts_line if i.starts_line is None else i.starts_line + line_offset
        yield dis.Instruction(
            i.opname,
            numbers[i.opcode],
            *i[2:6],
            line,
            i.is_jump_target,
            dis.Positions(*i.positions or ()),
        )


def _opcode_numbers(opmap: dict) -> dict[int, int]:
    """Map pvm's opcodes to the numbers dis.opmap knows their names by.

    Programs test ``instr.opcode in (dis.opmap["LOAD_GLOBAL"], ...)`` (cloudpickle finds
    a function's globals so), so an Instruction carries CPython's number for the name;
    pvm's few opcodes that CPython 3.11 lacks take numbers CPython leaves unused.
    """
    unused = iter(sorted(set(range(256)) - set(opmap.values())))
    return {
        op: opmap[name] if name in opmap else next(unused) for name, op in pvm_opcode.opmap.items()
    }


def _disassembly(code: CodeObject, lasti: int = -1, line_offset: int = 0) -> list[str]:
    """Return the lines of pvm_dis.format_disassembly(code) as dis prints them: CPython's
    "-->" on the instruction at lasti, line numbers moved by line_offset."""
    instructions = [
        i if i.starts_line is None else i._replace(starts_line=i.starts_line + line_offset)
        for i in pvm_dis.get_instructions(code)
    ]
    starts = [i.starts_line for i in instructions if i.starts_line is not None]
    lineno_width = 0
    if starts:
        lineno_width = len(str(max(starts))) if max(starts) >= 1000 else 3
    maxoffset = len(code.co_code) - INSTRUCTION_SIZE
    offset_width = len(str(maxoffset)) if maxoffset >= 10000 else 4
    # A frame's f_lasti and a traceback's tb_lasti count CPython's 2-byte units (see
    # pvm.runtime.sysmodule), pvm's offsets INSTRUCTION_SIZE bytes per instruction; an odd
    # lasti (CPython's, inside a call's inline cache) marks no instruction.
    current = lasti * INSTRUCTION_SIZE // 2 if lasti >= 0 and lasti % 2 == 0 else -1
    lines = []
    for instr in instructions:
        if lineno_width and instr.starts_line is not None and instr.offset > 0:
            lines.append("")
        line = pvm_dis.format_instruction(instr, lineno_width, offset_width)
        if instr.offset == current:
            mark = lineno_width + 1 if lineno_width else 0  # the column after the line's
            line = line[:mark] + "-->" + line[mark + 3 :]
        lines.append(line)
    return lines + pvm_dis.format_exception_table(code)


def _code_or_source(x: Any, name: str) -> CodeObject | None:
    code = _guest_code(x)
    if code is None and isinstance(x, str):
        code = _try_compile(x, name)
    return code


@_stands_for(_HOST_DIS)
def dis(
    x: Any = None,
    *,
    file: Any = None,
    depth: int | None = None,
    show_caches: bool = False,
    adaptive: bool = False,
) -> None:
    code = _code_or_source(x, "<dis>")
    if code is None:
        _HOST_DIS(x, file=file, depth=depth, show_caches=show_caches, adaptive=adaptive)
        return
    pvm_dis.dis(code, file=file if file is not None else sys.stdout, recursive=depth != 0)


@_stands_for(_HOST_DISASSEMBLE)
def disassemble(co: Any, lasti: int = -1, *, file: Any = None, **kwargs: Any) -> None:
    if isinstance(co, CodeObject):
        out = file if file is not None else sys.stdout
        out.write("\n".join(_disassembly(co, lasti)) + "\n")
        return
    _HOST_DISASSEMBLE(co, lasti, file=file, **kwargs)


@_stands_for(_HOST_DISTB)
def distb(tb: Any = None, *, file: Any = None, **kwargs: Any) -> None:
    _HOST_DISTB(_guest_tb(tb) if tb is not None else None, file=file, **kwargs)


@_stands_for(_HOST_GET_INSTRUCTIONS)
def get_instructions(
    x: Any, *, first_line: int | None = None, show_caches: bool = False, adaptive: bool = False
) -> Any:
    code = _code_or_source(x, "<disassembly>")
    if code is None:
        return _HOST_GET_INSTRUCTIONS(
            x, first_line=first_line, show_caches=show_caches, adaptive=adaptive
        )
    offset = 0 if first_line is None else first_line - code.co_firstlineno
    return _instructions(code, offset, _host_dis)


class Bytecode(_HOST_BYTECODE):
    """dis.Bytecode, over pvm's instructions when given guest code."""

    def __init__(
        self,
        x: Any,
        *,
        first_line: int | None = None,
        current_offset: int | None = None,
        show_caches: bool = False,
        adaptive: bool = False,
    ) -> None:
        code = _code_or_source(x, "<disassembly>")
        if code is None:
            super().__init__(
                x,
                first_line=first_line,
                current_offset=current_offset,
                show_caches=show_caches,
                adaptive=adaptive,
            )
            return
        self.codeobj = code
        self.first_line = code.co_firstlineno if first_line is None else first_line
        self._line_offset = self.first_line - code.co_firstlineno
        self._linestarts = dict(pvm_dis.findlinestarts(code))
        self._original_object = x
        self.current_offset = current_offset
        self.exception_entries = [
            _host_dis._ExceptionTableEntry(*e) for e in pvm_dis.exception_entries(code)
        ]
        self.show_caches = show_caches
        self.adaptive = adaptive

    def __iter__(self) -> Any:
        if isinstance(self.codeobj, CodeObject):
            return _instructions(self.codeobj, self._line_offset, _host_dis)
        return super().__iter__()

    def dis(self) -> str:
        if isinstance(self.codeobj, CodeObject):
            lasti = -1 if self.current_offset is None else self.current_offset
            return "\n".join(_disassembly(self.codeobj, lasti, self._line_offset)) + "\n"
        return super().dis()


Bytecode.__module__ = _HOST_BYTECODE.__module__
Bytecode.__doc__ = _HOST_BYTECODE.__doc__


# -- the caller of a guest frame, host frames included ---------------------------------
#
# A guest function calling a guest function stays in one run of pvm's loop (one host
# frame of interpreter._run, whose innermost guest frame pvm.vm.hooks.loop_runs gives).
# A new run starts where host code calls guest code: a thread's target, an asyncio
# callback, a host library calling back, an import. CPython's f_back of the first
# guest frame of such a run is the host code that called it, so the view goes there:
#
#   host stack (innermost first)             guest frames
#   _run (frame=B) ..pvm..                   B  (first of the inner run; f_back = A)
#   events.py _run, base_events ... (host)   <- what B's f_back shows
#   ..pvm.. _run (frame=A)                   A  (the outer run's current frame)
#
# Below the outermost run is either pvm's own launcher (hidden: CPython has nothing
# below the program) or the host code that started a thread (threading's frames).

_LAUNCHERS = tuple(
    os.path.join(_PVM_DIR, *parts)
    for parts in (("runtime", "main.py"), ("cli.py",), ("__main__.py",))
)


def logical_back(frame: Any) -> Any:
    """Return CPython's f_back of a guest frame: its guest caller, or a view of the host
    code that called it, or None."""
    from pvm.runtime.sysmodule import HostFrame, guest_frame

    back = frame.f_back
    if back is not None and _in_single_run(frame):
        return guest_frame(back)
    threads = sys._current_frames()
    try:
        for top in threads.values():
            runs = _runs(top)
            if not runs:
                continue
            if back is not None:
                for j in range(1, len(runs)):
                    if runs[j][1] is back:
                        view = _caller_view(runs[j - 1][0].f_back, runs[j][0], back)
                        return view if view is not None else guest_frame(back)
                continue
            outermost_host, guest = runs[-1]
            while guest is not None and guest is not frame:
                guest = guest.f_back
            if guest is frame:
                host = _first_visible_below(outermost_host.f_back)
                return HostFrame(host, None) if host is not None else None
        return guest_frame(back) if back is not None else None
    finally:
        # One of the threads' frames is this function's own: holding it (top, or the
        # dict) past the return would make a cycle, and whatever the guest frames hold
        # would wait for the collector (a __del__ that looks at its caller's f_back).
        threads.clear()
        top = runs = outermost_host = guest = None


def _in_single_run(frame: Any) -> bool:
    """Return True if frame is on this thread's stack and the thread runs the loop once.

    Then its caller is a guest frame of the same run, and host frames need no look.
    """
    from pvm.vm import threadstate

    tstate = threadstate.current()
    if tstate.nested != 1:
        return False
    guest = tstate.frame
    while guest is not None:
        if guest is frame:
            return True
        guest = guest.f_back
    return False


def _is_pvm(host_frame: Any) -> bool:
    return host_frame.f_code.co_filename.startswith(_PVM_DIR)


def _runs(top: Any) -> list[tuple[Any, Any]]:
    """Return (host frame, innermost guest frame) of each run of the loop, innermost first."""
    return [(run.host, run.frame) for run in hooks.loop_runs(top)]


def _caller_view(host: Any, stop: Any, back: Any) -> Any:
    """Return a view of the host code between two runs (from ``host`` out to ``stop``)
    that continues into guest frame ``back``; None if all of it is pvm's."""
    from pvm.runtime.sysmodule import HostFrame

    stand_ins = []  # pvm frames that stand where CPython has host frames, innermost first
    while host is not None and host is not stop:
        if not _is_pvm(host):
            view = HostFrame(host, back)
            for frame in reversed(stand_ins):
                view = _host_frames_for(frame, view)
            return view
        if _stands_in(host):
            stand_ins.append(host)
        host = host.f_back
    return None


def _first_visible_below(host: Any) -> Any:
    """Return the host code that started the outermost run, or None below pvm's launcher."""
    while host is not None and _is_pvm(host):
        if host.f_code.co_filename in _LAUNCHERS:
            return None
        host = host.f_back
    return host


# CPython runs a module's code from importlib's SourceFileLoader.exec_module through
# _call_with_frames_removed; pvm's loader runs it itself. Where pvm imports a guest
# module, two ImportFrame views stand where CPython has those frames.


class ImportFrame:
    """A frame view of one of importlib's functions, stopped at its last call."""

    __slots__ = ("_back", "f_code", "f_globals", "f_lasti", "f_lineno", "f_locals")

    def __init__(self, function: Any, f_locals: dict, back: Any, *, calls_python: bool) -> None:
        code = function.__code__
        call = [i for i in _HOST_GET_INSTRUCTIONS(code) if i.opname.startswith("CALL")][-1]
        self.f_code = code
        self.f_globals = function.__globals__
        self.f_lasti = call.offset
        if calls_python:
            # CPython 3.11 leaves f_lasti on the call's last inline cache entry while a
            # Python function it called runs (on the call itself for a C function).
            self.f_lasti += 2 * _host_dis._inline_cache_entries[call.opcode]
        self.f_lineno = call.positions.lineno
        self.f_locals = f_locals
        self._back = back

    @property
    def f_back(self) -> Any:
        return self._back

    @property
    def f_builtins(self) -> dict:
        builtins = self.f_globals.get("__builtins__", {})
        return builtins if isinstance(builtins, dict) else builtins.__dict__

    @property
    def f_trace(self) -> None:
        return None

    @property
    def __class__(self) -> type:
        return types.FrameType

    def clear(self) -> None:
        """Do nothing, as for the other frame views."""

    def __repr__(self) -> str:
        return (
            f"<frame at {id(self):#x}, file '{self.f_code.co_filename}', "
            f"line {self.f_lineno}, code {self.f_code.co_name}>"
        )


def _stands_in(pvm_frame: Any) -> bool:
    """Return True if CPython has host frames where this frame of pvm's runs."""
    from pvm.runtime import importer

    code = pvm_frame.f_code
    if code is importer.PvmLoader.exec_module.__code__:
        return True
    run_code = getattr(sys.modules.get("runpy"), "_run_code", None)
    return importer._RUNPY_SAVED is not None and code is getattr(run_code, "__code__", None)


def _host_frames_for(pvm_frame: Any, back: Any) -> ImportFrame:
    """Return views of the host frames CPython has where ``pvm_frame`` runs (see
    _stands_in), the outermost continuing into ``back``."""
    from pvm.runtime import importer

    if pvm_frame.f_code is importer.PvmLoader.exec_module.__code__:
        return _import_frames(pvm_frame, back)
    return _runpy_frame(importer._RUNPY_SAVED[0], pvm_frame, back)


def _import_frames(loader_frame: Any, back: Any) -> ImportFrame:
    """Return the importlib frames CPython has above a module that pvm's loader runs."""
    from importlib import _bootstrap, _bootstrap_external

    local = loader_frame.f_locals
    module = local.get("module")
    namespace = getattr(module, "__dict__", {})
    exec_module = ImportFrame(
        _bootstrap_external._LoaderBasics.exec_module,
        {"self": local.get("self"), "module": module, "code": local.get("code")},
        back,
        calls_python=True,
    )
    return ImportFrame(
        _bootstrap._call_with_frames_removed,
        {"f": exec, "args": (local.get("code"), namespace), "kwds": {}},
        exec_module,
        calls_python=False,
    )


def _runpy_frame(host_run_code: Any, pvm_frame: Any, back: Any) -> ImportFrame:
    """Return runpy._run_code's frame, which pvm's replacement stands for (runpy.run_path)."""
    names = host_run_code.__code__.co_varnames
    local = {k: v for k, v in pvm_frame.f_locals.items() if k in names}
    return ImportFrame(host_run_code, local, back, calls_python=False)


# -- installing ------------------------------------------------------------------------

_PATCHES = (
    (_host_inspect, "iscode", _HOST_ISCODE, iscode),
    (_host_inspect, "getmodule", _HOST_GETMODULE, getmodule),
    (_host_inspect, "getdoc", _HOST_GETDOC, getdoc),
    (_host_inspect, "getattr_static", _HOST_GETATTR_STATIC, getattr_static),
    (_host_inspect, "getinnerframes", _HOST_GETINNERFRAMES, getinnerframes),
    (_host_inspect, "_get_code_position", _HOST_GET_CODE_POSITION, _get_code_position),
    (_host_dis, "dis", _HOST_DIS, dis),
    (_host_dis, "disassemble", _HOST_DISASSEMBLE, disassemble),
    (_host_dis, "disco", _HOST_DISASSEMBLE, disassemble),
    (_host_dis, "distb", _HOST_DISTB, distb),
    (_host_dis, "get_instructions", _HOST_GET_INSTRUCTIONS, get_instructions),
    (_host_dis, "Bytecode", _HOST_BYTECODE, Bytecode),
    (_host_dis, "_try_compile", _HOST_TRY_COMPILE, _try_compile),
)


# inspect.get_annotations(eval_str=True) (and signature(eval_str=True)) evaluates the
# guest's annotation strings with the eval of inspect's globals, and typing.ForwardRef
# (typing.get_type_hints) compiles and evaluates them with typing's compile and eval:
# while a guest runs, those names are pvm's. A ForwardRef made before (the host's own
# code object) is still evaluated by the host: it holds no guest source.
_HOST_CODE = type(compile("0", "<pvm>", "eval"))


def _annotation_eval(source: Any, globals: Any = None, locals: Any = None, /) -> Any:
    from pvm.runtime.builtins import guest_eval_checked

    if isinstance(source, _HOST_CODE):
        return eval(source, globals, locals)  # noqa: S307  (host library code, see above)
    return guest_eval_checked(source, globals, locals)


def _annotation_compile(source: Any, filename: Any, mode: Any, *args: Any, **kw: Any) -> Any:
    from pvm.runtime.exec import guest_compile

    return guest_compile(source, filename, mode, *args, **kw)


_EVALUATORS = (
    (_host_inspect, "eval", _annotation_eval),
    (typing, "eval", _annotation_eval),
    (typing, "compile", _annotation_compile),
)


# -- the guest world's own inspect and dis ---------------------------------------------
#
# In the guest world (pvm.runtime.world) the guest imports its own inspect and dis,
# compiled from Lib/ and run on pvm, which the host patches above do not reach. There
# types.CodeType is pvm's CodeObject and types.FrameType pvm's frame view, so most of
# inspect works as it is; world.after_load() fixes, in each fresh guest module, the few
# places where CPython's C types answer and pvm's classes answer otherwise:
#
#   inspect.getmodule          frames, tracebacks and code objects have no __module__ in
#                              CPython (pvm's classes do): found by their file instead.
#   inspect.getdoc             their C types have no docstring for pvm's developers.
#   inspect._get_code_position as _get_code_position above (an unstarted generator).
#   dis.dis, disassemble,      pvm's instruction set, 4-byte instructions and exception
#   disco, get_instructions,   entries, not CPython's bytes: pvm's disassembler
#   _disassemble_recursive,    (pvm.bytecode.dis), as the host patch gives; everything
#   _parse_exception_table,    else (dis.dis of classes, modules and source text, distb,
#   Bytecode.__iter__, .dis    code_info, _try_compile with pvm's compile) is dis.py's.
#
# Each fix keeps the guest's function for what is not a pvm object (the host code
# objects of --native packages), and prints through the guest's print, so output goes
# to the guest's sys.stdout.


def _fix_guest_inspect(inspect: types.ModuleType) -> None:
    """Make the guest's inspect answer for pvm's stand-ins as for CPython's C types."""
    guest_getmodule = inspect.getmodule
    guest_getdoc = inspect.getdoc
    guest_get_code_position = inspect._get_code_position
    no_module = (types.FrameType, types.TracebackType, types.CodeType)

    @_stands_for(guest_getmodule)
    def getmodule(object: Any, _filename: str | None = None) -> Any:
        if _host_type_of(object) not in no_module:
            return guest_getmodule(object, _filename)
        if _filename is None:
            try:
                _filename = inspect.getsourcefile(object) or inspect.getfile(object)
            except (TypeError, FileNotFoundError):
                return None
        # None has neither __module__ nor __name__, as CPython's frames and code objects:
        # inspect finds their module by the file alone.
        return guest_getmodule(None, _filename)

    @_stands_for(guest_getdoc)
    def getdoc(object: Any) -> str | None:
        host_type = _host_type_of(object)
        if host_type is None or host_type is types.FunctionType:
            return guest_getdoc(object)
        doc = host_type.__doc__
        return inspect.cleandoc(doc) if isinstance(doc, str) else None

    @_stands_for(guest_get_code_position)
    def _get_code_position(code: Any, instruction_index: int) -> tuple:
        if isinstance(code, CodeObject) and instruction_index == 0 and code.co_flags & _GENERATORS:
            return (code.co_firstlineno, code.co_firstlineno, None, None)
        return guest_get_code_position(code, instruction_index)

    inspect.getmodule = getmodule
    inspect.getdoc = getdoc
    inspect._get_code_position = _get_code_position


def _fix_guest_dis(dis: types.ModuleType) -> None:
    """Make the guest's dis show pvm code objects with pvm's disassembler."""
    guest_dis = dis.dis
    guest_disassemble = dis.disassemble
    guest_recursive = dis._disassemble_recursive
    guest_get_instructions = dis.get_instructions
    guest_parse_exception_table = dis._parse_exception_table
    bytecode = dis.Bytecode
    guest_iter, guest_bytecode_dis = bytecode.__iter__, bytecode.dis
    builtins = dis.__builtins__
    print_ = builtins["print"] if isinstance(builtins, dict) else builtins.print

    @_stands_for(guest_dis)
    def dis_(x: Any = None, *, file: Any = None, depth: Any = None, **kwargs: Any) -> None:
        code = _guest_code(x)
        if code is None:  # a class, a module, source text, the last traceback
            return guest_dis(x, file=file, depth=depth, **kwargs)
        # Not the guest's: pvm's code objects have a __dict__, which would make them a
        # class or module there.
        return dis._disassemble_recursive(code, file=file, depth=depth, **kwargs)

    @_stands_for(guest_disassemble)
    def disassemble(co: Any, lasti: int = -1, *, file: Any = None, **kwargs: Any) -> None:
        if not isinstance(co, CodeObject):
            return guest_disassemble(co, lasti, file=file, **kwargs)
        for line in _disassembly(co, lasti):
            print_(line, file=file)
        return None

    @_stands_for(guest_recursive)
    def _disassemble_recursive(co: Any, *, file: Any = None, depth: Any = None, **kw: Any) -> None:
        if not isinstance(co, CodeObject):
            return guest_recursive(co, file=file, depth=depth, **kw)
        dis.disassemble(co, file=file, **kw)
        if depth is None or depth > 0:
            for inner in pvm_dis.nested_code_objects(co):
                print_(file=file)
                print_(f"Disassembly of {pvm_dis.code_repr(inner)}:", file=file)
                _disassemble_recursive(
                    inner, file=file, depth=None if depth is None else depth - 1, **kw
                )
        return None

    @_stands_for(guest_get_instructions)
    def get_instructions(x: Any, *, first_line: int | None = None, **kwargs: Any) -> Any:
        co = _guest_code(x)
        if co is None and isinstance(x, str):
            co = dis._get_code_object(x)  # compiled by pvm, through the guest's compile
        if co is None:  # the guest's error, raised from its own frame
            return guest_get_instructions(x, first_line=first_line, **kwargs)
        return _instructions(co, 0 if first_line is None else first_line - co.co_firstlineno, dis)

    @_stands_for(guest_parse_exception_table)
    def _parse_exception_table(code: Any) -> list:
        if not isinstance(code, CodeObject):
            return guest_parse_exception_table(code)
        return [dis._ExceptionTableEntry(*e) for e in pvm_dis.exception_entries(code)]

    @_stands_for(guest_iter)
    def __iter__(self: Any) -> Any:
        if not isinstance(self.codeobj, CodeObject):
            return guest_iter(self)
        return _instructions(self.codeobj, self._line_offset, dis)

    @_stands_for(guest_bytecode_dis)
    def bytecode_dis(self: Any) -> str:
        if not isinstance(self.codeobj, CodeObject):
            return guest_bytecode_dis(self)
        lasti = -1 if self.current_offset is None else self.current_offset
        return "\n".join(_disassembly(self.codeobj, lasti, self._line_offset)) + "\n"

    dis.dis = dis_
    dis.disassemble = dis.disco = disassemble
    dis._disassemble_recursive = _disassemble_recursive
    dis.get_instructions = get_instructions
    dis._parse_exception_table = _parse_exception_table
    bytecode.__iter__ = __iter__
    bytecode.dis = bytecode_dis


world.after_load("inspect", _fix_guest_inspect)
world.after_load("dis", _fix_guest_dis)


def install_host_patch() -> None:
    """Make the host's inspect and dis treat guest objects as CPython's (idempotent)."""
    for module, name, _host, guest in _PATCHES:
        setattr(module, name, guest)
    for module, name, guest in _EVALUATORS:
        module.__dict__[name] = guest


def uninstall_host_patch() -> None:
    """Undo install_host_patch()."""
    for module, name, host, _guest in _PATCHES:
        setattr(module, name, host)
    for module, name, _guest in _EVALUATORS:
        module.__dict__.pop(name, None)
