"""The guest's exec, eval and compile: pvm's compiler and interpreter, never the host's.

What belongs here: guest exec, eval and compile (argument checks and messages as
CPython's, namespaces, inherited future flags, closures), and locals() of a frame,
lent to the vm through pvm.vm.hooks.  What does not: compiling (pvm.compiler),
running (pvm.vm.interpreter.run_code), the builtins dict (pvm.runtime.builtins).
"""

from __future__ import annotations
import __future__

import ast
import builtins as _host_builtins
import operator
import os
import types
import weakref
from typing import Any

from pvm.bytecode.code import CodeObject
from pvm.vm import hooks

_MODES = ("exec", "eval", "single")
# Include/cpython/compile.h: PyCF_MASK (the __future__ flags code inherits) and the
# flags compile() accepts (PyCF_MASK | PyCF_MASK_OBSOLETE | PyCF_COMPILE_MASK).
_FUTURE_MASK = sum(
    {getattr(__future__, name).compiler_flag for name in __future__.all_feature_names}
)
_ALLOWED_FLAGS = (
    _FUTURE_MASK
    | 0x0010  # CO_NESTED, obsolete
    | 0x0200  # PyCF_DONT_IMPLY_DEDENT
    | ast.PyCF_ONLY_AST
    | ast.PyCF_TYPE_COMMENTS
    | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    | 0x4000  # PyCF_ALLOW_INCOMPLETE_INPUT
)
_AST_NODE_FOR_MODE = {"exec": ast.Module, "eval": ast.Expression, "single": ast.Interactive}


def _caller_frame() -> Any:
    from pvm.vm import threadstate

    return threadstate.current().frame


# CPython 3.11 gives a function frame one locals dict, refreshed from the fast locals
# by every locals() call (PyFrame_FastToLocals), so names that exec() adds to it stay.
_LOCALS_DICTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def frame_locals(frame: Any) -> Any:
    """Return the locals mapping of a guest frame, as locals() and frame.f_locals do."""
    if frame.f_locals is not None:
        return frame.f_locals
    fresh = frame.locals_dict()
    try:
        d = _LOCALS_DICTS.get(frame)
    except TypeError:
        return fresh
    if d is None:
        try:
            _LOCALS_DICTS[frame] = fresh
        except TypeError:
            pass
        return fresh
    code = frame.f_code
    for name in code.co_varnames + code.co_cellvars + code.co_freevars:
        if name not in fresh:
            d.pop(name, None)
    d.update(fresh)
    return d


_frame_locals = frame_locals


def _is_mapping(obj: Any) -> bool:
    # PyMapping_Check: anything whose type has __getitem__ (lists pass too).
    return hasattr(type(obj), "__getitem__")


def _inherited_flags() -> int:
    """Return the __future__ flags of the calling guest code (PyEval_MergeCompilerFlags)."""
    frame = _caller_frame()
    if frame is None:
        return 0
    return frame.f_code.co_flags & _FUTURE_MASK


def _run(code: CodeObject, globals: dict, locals: Any) -> Any:
    from pvm.vm.interpreter import run_code

    if "__builtins__" not in globals:
        frame = _caller_frame()
        globals["__builtins__"] = _builtins_of(frame)
    return run_code(code, globals, locals)


def _run_with_closure(code: CodeObject, globals: dict, locals: Any, closure: tuple) -> Any:
    """Run code whose free variables are bound to the given cells (exec's closure=)."""
    from pvm.vm.frame import Frame
    from pvm.vm.interpreter import builtins_for, run_frame
    from pvm.vm.null import NULL

    if "__builtins__" not in globals:
        globals["__builtins__"] = _builtins_of(_caller_frame())
    fast = [NULL] * len(code.co_varnames)
    cells = [types.CellType() for _ in code.co_cellvars] + list(closure)
    frame = Frame(code, globals, builtins_for(globals), locals, fast, cells)
    return run_frame(frame)


def _builtins_of(frame: Any) -> dict:
    if frame is not None:
        b = frame.f_builtins
        return b if isinstance(b, dict) else b.__dict__
    from pvm.runtime.importer import guest_builtins

    return guest_builtins()


def _source_text(source: Any) -> Any:
    """Return str/bytes source as given; buffers become bytes."""
    if isinstance(source, (str, bytes)):
        return source
    if isinstance(source, (bytearray, memoryview)):
        return bytes(source)
    return None


def _resolve_namespaces(fn: str, globals: Any, locals: Any) -> tuple[dict, Any]:
    if globals is None:
        frame = _caller_frame()
        if frame is None:
            globals = {}
            if locals is None:
                locals = globals
        else:
            globals = frame.f_globals
            if locals is None:
                locals = _frame_locals(frame)
    elif locals is None:
        locals = globals
    return globals, locals


def guest_exec(
    source: Any, globals: Any = None, locals: Any = None, /, *, closure: Any = None
) -> None:
    """Run source or a code object on pvm, like the builtin exec()."""
    if globals is not None and not isinstance(globals, dict):
        raise TypeError(f"exec() globals must be a dict, not {type(globals).__name__}")
    if locals is not None and not _is_mapping(locals):
        raise TypeError(f"locals must be a mapping or None, not {type(locals).__name__}")
    globals, locals = _resolve_namespaces("exec", globals, locals)
    if isinstance(source, CodeObject):
        code = source
        nfree = len(code.co_freevars)
        if closure is not None and not nfree:
            raise TypeError("cannot use a closure with this code object")
        if nfree:
            if not (
                isinstance(closure, tuple)
                and len(closure) == nfree
                and all(isinstance(c, types.CellType) for c in closure)
            ):
                raise TypeError(f"code object requires a closure of exactly length {nfree}")
            _run_with_closure(code, globals, locals, closure)
            return
    else:
        if closure is not None:
            raise TypeError("closure can only be used when source is a code object")
        text = _source_text(source)
        if text is None:
            if isinstance(source, type(guest_exec.__code__)):
                raise TypeError("pvm cannot run host code objects; pass source text instead")
            raise TypeError("exec() arg 1 must be a string, bytes or code object")
        from pvm.compiler import compile_source

        code = compile_source(text, "<string>", "exec", _inherited_flags())
    _run(code, globals, locals)
    return


def guest_eval(source: Any, globals: Any = None, locals: Any = None, /) -> Any:
    """Evaluate an expression (or run a code object) on pvm, like the builtin eval()."""
    if locals is not None and not _is_mapping(locals):
        raise TypeError("locals must be a mapping")
    if globals is not None and not isinstance(globals, dict):
        raise TypeError(
            "globals must be a real dict; try eval(expr, {}, mapping)"
            if _is_mapping(globals)
            else "globals must be a dict"
        )
    globals, locals = _resolve_namespaces("eval", globals, locals)
    if isinstance(source, CodeObject):
        code = source
        if code.co_freevars:
            raise TypeError("code object passed to eval() may not contain free variables")
    else:
        text = _source_text(source)
        if text is None:
            if isinstance(source, type(guest_eval.__code__)):
                raise TypeError("pvm cannot run host code objects; pass source text instead")
            raise TypeError("eval() arg 1 must be a string, bytes or code object")
        # Python/bltinmodule.c: eval() skips leading spaces and tabs.
        text = text.lstrip(b" \t" if isinstance(text, bytes) else " \t")
        from pvm.compiler import compile_source

        code = compile_source(text, "<string>", "eval", _inherited_flags())
    return _run(code, globals, locals)


def guest_compile(
    source: Any,
    filename: Any,
    mode: str,
    flags: int = 0,
    dont_inherit: bool = False,
    optimize: int = -1,
    *,
    _feature_version: int = -1,
) -> Any:
    """Compile source or an AST to a pvm code object, like the builtin compile()."""
    filename = os.fsdecode(filename)
    # The C builtin converts its integer arguments first (__index__), as argument parsing.
    flags, optimize = operator.index(flags), operator.index(optimize)
    dont_inherit = operator.index(dont_inherit)
    if flags & ~_ALLOWED_FLAGS:
        raise ValueError("compile(): unrecognised flags")
    if not -1 <= optimize <= 2:
        raise ValueError("compile(): invalid optimize value")
    if not dont_inherit:
        flags |= _inherited_flags()
    if flags & ast.PyCF_ONLY_AST:
        # Parsing only (this is what ast.parse does): no host code object is made.
        return _host_builtins.compile(
            source, filename, mode, flags, True, optimize, _feature_version=_feature_version
        )
    if mode not in _MODES:
        raise ValueError("compile() mode must be 'exec', 'eval' or 'single'")
    if isinstance(source, ast.AST):
        expected = _AST_NODE_FOR_MODE[mode]
        if not isinstance(source, expected):
            raise TypeError(f"expected {expected.__name__} node, got {type(source).__name__}")
        from pvm.compiler import compile_ast

        return compile_ast(source, filename, mode, flags, optimize)
    text = _source_text(source)
    if text is None:
        raise TypeError("compile() arg 1 must be a string, bytes or AST object")
    from pvm.compiler import compile_source

    return compile_source(text, filename, mode, flags, dont_inherit, optimize)


hooks.provide(frame_locals=frame_locals, locals_dict=_LOCALS_DICTS.get)
