"""A pvm trace in Python Tutor's trace format, so that its front-end can show pvm's traces.

What belongs here: replaying the delta-encoded steps of docs/trace-json.md into whole
states, and encoding each as Python Tutor's step (`line`, `event`, `func_name`,
`globals`, `ordered_globals`, `stack_to_render`, `heap`, `stdout`; references as
`["REF", id]`), with pvm's extra facts in `pvm_*` fields.  What does not: recording
(trace_record) and pvm's own page (trace_html).
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from typing import Any

# Python Tutor draws these inline in their frames, not as heap objects.
_INLINE = {"int", "float", "str", "bool", "NoneType"}
_SEQUENCES = {"list": "LIST", "tuple": "TUPLE", "set": "SET", "frozenset": "SET"}


def states(doc: dict) -> Iterator[tuple[dict, dict]]:
    """Yield (step, whole state map after it) for each step of a trace document."""
    state: dict[str, Any] = {}
    for step in doc["steps"]:
        for key in step.get("del", ()):
            state.pop(key, None)
        state.update(step.get("set", {}))
        yield step, state


def convert(doc: dict) -> dict:
    """Return the trace document as Python Tutor's {"code", "trace"}."""
    program = doc["program"]
    code = doc["sources"].get(program) or ""
    files = doc["files"]
    main_file = files.index(program) if program in files else 0
    out = []
    last_top: dict[int, Any] = {}
    stdout, stderr = doc["stdout"], doc.get("stderr", "")
    length = err = 0
    gil = None
    for step, state in states(doc):
        length = step.get("o", length)
        err = step.get("e", err)
        gil = step.get("slot", gil)
        entry = _step(doc, step, state, stdout[:length], last_top, main_file, gil)
        entry["pvm_stderr"] = stderr[:err]
        out.append(entry)
    message = _uncaught(doc)
    if out and message is not None:
        out[-1]["event"] = "uncaught_exception"
        out[-1]["exception_msg"] = message
    return {
        "code": code,
        "trace": out,
        "pvm": {
            "tool": "pvm trace",
            "program": program,
            "threads": doc["threads"],
            "gil_slots": doc["gil"]["slots"],
            "stopped": doc["stopped"],
        },
    }


def _step(
    doc: dict,
    step: dict,
    state: dict,
    stdout: str,
    last_top: dict,
    main_file: int,
    gil: int | None,
) -> dict:
    enc = _Encoder(state)
    thread = step.get("t")
    stacks = {}
    for key, value in state.items():
        if key[0] == "T":
            t = int(key[1:])
            stacks[t] = [_frame(enc, state, t, d) for d in range(value["frames"])]
    event = "step_line"
    func_name = "<module>"
    if step.get("event") == "exit":
        event = "return"
    elif thread is not None and stacks.get(thread):
        top = stacks[thread][-1]
        func_name = top["func_name"]
        before = last_top.get(thread)
        if before is not None and top["frame_id"] != before[0] and len(stacks[thread]) > before[1]:
            event = "call"
        last_top[thread] = (top["frame_id"], len(stacks[thread]))
    globals_: dict[str, Any] = {}
    ordered = []
    other_modules: dict[str, dict] = {}
    for key, ref in state.items():
        if key[0] != "G":
            continue
        module, _, name = key[1:].partition(":")
        if module == "__main__":
            globals_[name] = enc.value(ref)
            ordered.append(name)
        else:
            other_modules.setdefault(module, {})[name] = enc.value(ref)
    own = [f for f in stacks.get(thread, []) if not f.pop("pvm_module", False)]
    for t, frames in stacks.items():
        if t != thread:
            for f in frames:
                f.pop("pvm_module", None)
    if own:
        own[-1]["is_highlighted"] = True
    enc.drain()
    line = step.get("l")
    if line is None:
        line = _last_line(doc, main_file)
    entry = {
        "line": line,
        "event": event,
        "func_name": func_name,
        "globals": globals_,
        "ordered_globals": ordered,
        "stack_to_render": own,
        "heap": enc.heap,
        "stdout": stdout,
        # pvm's own facts (Python Tutor's front-end ignores fields it does not know).
        "pvm_thread": thread,
        "pvm_file": doc["files"][step["f"]] if "f" in step else None,
        "pvm_gil_slot": gil,
        "pvm_gil_holder": doc["threads"][thread]["gil"] if thread is not None else None,
        "pvm_refcounts": {str(k[1:]): v["rc"] for k, v in state.items() if k[0] == "H"},
        "pvm_threads": [
            {"thread": t, "name": doc["threads"][t]["name"], "stack_to_render": frames}
            for t, frames in sorted(stacks.items())
            if t != thread
        ],
    }
    if other_modules:
        entry["pvm_module_globals"] = other_modules
    if "gc" in step:
        entry["pvm_gc"] = step["gc"]
    return entry


def _uncaught(doc: dict) -> str | None:
    """Return the last line of an uncaught exception's traceback, if the program ended by one."""
    lines = doc.get("stderr", "").rstrip("\n").splitlines()
    if doc["exit_status"] == 0 or "Traceback (most recent call last):" not in lines:
        return None
    return lines[-1] if lines else None


def _last_line(doc: dict, main_file: int) -> int:
    for step in reversed(doc["steps"]):
        if step.get("f") == main_file and "l" in step:
            return step["l"]
    return 1


def _frame(enc: _Encoder, state: dict, t: int, d: int) -> dict:
    static = state.get(f"F{t}.{d}", {})
    line, _instr = state.get(f"P{t}.{d}", [None, None])
    var = state.get(f"V{t}.{d}", {})
    locals_: dict[str, Any] = {}
    names = []
    for name, ref in var.get("args", []) + var.get("locals", []):
        locals_[name] = enc.value(ref)
        names.append(name)
    for name, _kind, ref in var.get("cells", []):
        # Python Tutor shows a closure variable by its value: the cell's contents.
        cell = state.get(f"H{ref}", {})
        contents = [to for label, to in cell.get("refs", []) if label == ".cell_contents"]
        locals_[name] = enc.value(contents[0]) if contents else None
        names.append(name)
    key = static.get("key", d)
    fn = static.get("fn", "?")
    frame = {
        "func_name": fn,
        "frame_id": key,
        "unique_hash": f"{fn}_f{key}",
        "is_highlighted": False,
        "is_parent": False,
        "is_zombie": False,
        "parent_frame_id_list": [],
        "encoded_locals": locals_,
        "ordered_varnames": names,
        "line": line,
        "pvm_return_address": static.get("ret"),
        "pvm_cells": [name for name, _k, _r in var.get("cells", [])],
    }
    if static.get("gen"):
        frame["pvm_generator"] = True
    if static.get("module"):
        frame["pvm_module"] = True
    return frame


class _Encoder:
    """Encodes heap references as Python Tutor values, filling its heap as it goes."""

    def __init__(self, state: dict) -> None:
        self.state = state
        self.heap: dict[str, Any] = {}
        self._todo: list[int] = []

    def value(self, ref: int | None) -> Any:
        if ref is None:
            return None
        obj = self.state.get(f"H{ref}")
        if obj is None:
            return None
        inline = _inline(obj)
        if inline is not _NOT_INLINE:
            return inline
        if str(ref) not in self.heap:
            self.heap[str(ref)] = None  # reserved: cycles end here
            self._todo.append(ref)
        return ["REF", ref]

    def drain(self) -> None:
        while self._todo:
            ref = self._todo.pop()
            self.heap[str(ref)] = self._encode(ref, self.state[f"H{ref}"])

    def _encode(self, ref: int, obj: dict) -> list:
        t = obj["type"]
        refs = obj.get("refs", [])
        if t in _SEQUENCES:
            return [_SEQUENCES[t], *(self.value(to) for _label, to in refs)]
        if t == "dict":
            out: list = ["DICT"]
            for i in range(0, len(refs) - 1, 2):
                out.append([self.value(refs[i][1]), self.value(refs[i + 1][1])])
            return out
        if t == "function":
            name = obj["value"][len("<function ") : -1]
            return ["FUNCTION", f"{name}({', '.join(obj.get('params', []))})", None]
        if obj["value"].startswith("<class "):
            name = obj["value"][len("<class '") : -2]
            attrs = [[label[1:], self.value(to)] for label, to in refs if "__bases__" not in label]
            return ["CLASS", name, [], *attrs]
        if refs and refs[0][0] == ".__class__":
            attrs = [[label[1:], self.value(to)] for label, to in refs[1:]]
            return ["INSTANCE", t, *attrs]
        if t == "cell":
            return ["INSTANCE", "cell", *[[label[1:], self.value(to)] for label, to in refs]]
        return ["HEAP_PRIMITIVE", t, obj["value"]]


_NOT_INLINE = object()


def _inline(obj: dict) -> Any:
    t = obj["type"]
    if t not in _INLINE:
        return _NOT_INLINE
    text = obj["value"]
    if t == "NoneType":
        return None
    if t == "bool":
        return text == "True"
    if t == "float":
        if text in ("inf", "-inf", "nan"):
            return ["SPECIAL_FLOAT", text.replace("inf", "Infinity").replace("nan", "NaN")]
        return float(text)
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text  # a long value pvm shortened ("...")


def dumps_compact(doc: dict) -> str:
    """Return doc as compact JSON (a Python Tutor trace is one document)."""
    return json.dumps(doc, separators=(",", ":")) + "\n"
