"""Renderings of a `pvm memory` report: rich panels and tables, JSON, Graphviz dot."""

from __future__ import annotations

import enum
import io
import json
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text


class Format(enum.Enum):
    """The output formats of `pvm memory --format`."""

    TEXT = "text"
    JSON = "json"
    DOT = "dot"


def render(doc: dict, fmt: Format, width: int | None = None, color: bool = False) -> str:
    """Return the report in the given format."""
    if fmt is Format.JSON:
        return json.dumps(doc, indent=2) + "\n"
    if fmt is Format.DOT:
        return render_dot(doc)
    return render_text(doc, width or 100, color)


def tree_document(
    root: dict, root_process: dict, children: list[dict], missing: list[dict]
) -> dict:
    """Return the root's document with each child process's document beside it.

    root_process and each child give pid, ppid, name and how (root, exec, fork); a child
    record's document is under its "memory" key (pvm.observe.processes).
    """
    doc = dict(root)
    doc["process"] = root_process
    doc["processes"] = [
        {
            "pid": c["pid"],
            "ppid": c.get("ppid"),
            "name": c.get("name", ""),
            "how": c.get("how", ""),
            "document": c.get("memory"),
        }
        for c in children
    ]
    doc["processes_without_record"] = [
        {"pid": m.get("pid"), "argv": m.get("argv", [])} for m in missing
    ]
    return doc


def render_tree(
    root: dict,
    log: Any,
    children: list[dict],
    missing: list[dict],
    fmt: Format,
    width: int | None = None,
    color: bool = False,
) -> str:
    """Return the report of a process tree: the root's snapshots, then each child's."""
    root_process = {"pid": log.pid, "ppid": log.ppid, "name": log.name, "how": "root"}
    doc = tree_document(root, root_process, children, missing)
    if fmt is Format.JSON:
        return json.dumps(doc, indent=2) + "\n"
    if fmt is Format.DOT:
        return render_dot(root) + "".join(
            render_dot(c["document"]) for c in doc["processes"] if c["document"]
        )
    parts = [_process_rule(root_process, width or 100) + render_text(root, width or 100, color)]
    for c in doc["processes"]:
        head = _process_rule(c, width or 100)
        if c["document"] is None:
            parts.append(head + "(no snapshots recorded)\n")
        else:
            parts.append(head + render_text(c["document"], width or 100, color))
    for m in doc["processes_without_record"]:
        parts.append(
            f"pvm memory: process {m['pid']} left no snapshots (still running or killed)\n"
        )
    return "\n".join(parts)


def _process_rule(p: dict, width: int) -> str:
    if p.get("how") == "root":
        how = "the root process"
    else:
        how = f"{'forked' if p.get('how') == 'fork' else 'a new pvm'}, parent pid {p.get('ppid')}"
    title = f"== Process {p.get('name')} (pid {p['pid']}): {how}; its own heap =="
    return title[: max(width, 20)] + "\n"


# -- text -------------------------------------------------------------------------------


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _describe_trigger(t: dict) -> str:
    kind = t["kind"]
    if kind == "exit":
        return "at exit (before module globals are cleared)"
    where = f"line {t['line']} of {t.get('file', '?')}, in {t.get('function', '?')}"
    if kind == "line":
        return f"{where} (about to run, {_ordinal(t['count'])} time)"
    if kind == "function":
        return f"entry to {t['function']} ({t.get('file', '?')}:{t['line']})"
    if kind == "every-instruction":
        return f"{where}, instruction {t['instruction']}"
    return where


def _ref(r: Any, heap: dict) -> str:
    if r is None:
        return "…"
    obj = heap.get(r)
    if obj is None:
        return f"#{r}"
    return f"#{r} {obj['value']}"


def render_text(doc: dict, width: int = 100, color: bool = False) -> str:
    """Return the readable rendering: the four segments of each snapshot as panels."""
    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
    )
    console.print(
        Text(
            f"pvm memory: {doc['program']} — {len(doc['snapshots'])} snapshot(s), "
            f"exit status {doc['exit_status']}",
            style="bold",
        )
    )
    show_all = bool(doc.get("settings", {}).get("all"))
    for snap in doc["snapshots"]:
        _print_snapshot(console, snap, show_all)
    if doc.get("snapshots_left_out"):
        console.print(
            f"({doc['snapshots_left_out']} more snapshot(s) left out: --max-snapshots "
            f"{doc['settings']['max_snapshots']})"
        )
    if doc.get("stopped_at_max_steps"):
        console.print(f"(observation stopped after --max-steps {doc['settings']['max_steps']})")
    if "refs" in doc:
        _print_refs(console, doc)
    _print_gc(console, doc)
    return out.getvalue()


def _print_snapshot(console: Console, snap: dict, show_all: bool = False) -> None:
    heap = {o["id"]: o for o in snap["heap"]["objects"]}
    console.print()
    console.rule(f"Snapshot {snap['index'] + 1}: {_describe_trigger(snap['trigger'])}")
    console.print(
        Panel(_code_table(snap), title="Code segment", title_align="left", box=box.SQUARE)
    )
    console.print(
        Panel(_stack_group(snap, heap, show_all), title="Stack", title_align="left", box=box.SQUARE)
    )
    console.print(Panel(_heap_group(snap), title="Heap", title_align="left", box=box.SQUARE))
    if snap.get("shared_memory"):
        console.print(
            Panel(
                _shared_table(snap, heap),
                title="Shared memory (mapped by this process)",
                title_align="left",
                box=box.SQUARE,
            )
        )
    console.print(
        Panel(_data_group(snap, heap), title="Data segment", title_align="left", box=box.SQUARE)
    )


def _shared_table(snap: dict, heap: dict) -> Table:
    """The POSIX shared memory blocks the process maps, and the objects that hold them."""
    t = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=True)
    t.add_column("block", no_wrap=True)
    t.add_column("mapped bytes", justify="right", no_wrap=True)
    t.add_column("held by", overflow="fold")
    t.add_column("first bytes", overflow="fold", ratio=2)
    for block in snap["shared_memory"]:
        holders = [heap[i] for i in block.get("objects", []) if i in heap]
        first = next(
            (h["shared_memory"].get("first_bytes", "") for h in holders if "shared_memory" in h),
            "",
        )
        held = ", ".join(
            f"#{h['id']} {h['type']}"
            + (f" ({', '.join(h['referrers'])})" if h["referrers"] else "")
            for h in holders
        )
        t.add_row(block["name"], f"{block['mapped_bytes']:,}", held or "(no object found)", first)
    return t


def _code_table(snap: dict) -> Table:
    t = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=True)
    t.add_column("id", no_wrap=True)
    t.add_column("code", overflow="fold")
    t.add_column("defined at", no_wrap=True)
    t.add_column("instrs", justify="right", no_wrap=True)
    t.add_column("bytes", justify="right", no_wrap=True)
    t.add_column("constants", overflow="fold", ratio=2)
    t.add_column("names", overflow="fold", ratio=1)
    for c in snap["code_segment"]:
        t.add_row(
            c["id"],
            c["qualname"],
            f"{c['file']}:{c['first_line']}",
            str(c["instructions"]),
            str(c["bytes"]),
            ", ".join(c["consts"]),
            ", ".join(c["names"]),
        )
    return t


def _slot_list(entries: list, heap: dict) -> str:
    return ", ".join(f"{e['name']}={_ref(e['ref'], heap)}" for e in entries)


def _stack_group(snap: dict, heap: dict, show_all: bool = False) -> Group:
    parts: list = []
    threads = snap["threads"]
    if not threads:
        parts.append(Text("(no frames: the program has finished)"))
    for n, thread in enumerate(threads):
        label = f"Thread {thread['name']}" + (" (main)" if thread["main"] else "")
        parts.append(Text(label + ": frames from the bottom (oldest) up", style="bold"))
        if not thread["frames"]:
            parts.append(Text("  (no guest frames)"))
        if thread.get("frames_left_out"):
            parts.append(Text(f"  ... {thread['frames_left_out']} older frames left out"))
        for depth, f in enumerate(thread["frames"]):
            kind = " (generator)" if f.get("generator") else ""
            library = f.get("library", False)
            hidden = library and not show_all
            args = "…" if hidden else _slot_list(f["args"], heap)
            at = f"at line {f['line']}"
            if library:
                kind += " (library)"
                at += f" of {f['file'].rsplit('/', 1)[-1]}"
            lines = [
                f"  [{depth}] {f['function']}({args}){kind}",
                f"      {at}, instruction {f['instruction']} (offset {f['offset']})",
            ]
            if hidden:
                lines.append("      variables and value stack: the library's (--all shows them)")
            elif f["module_level"]:
                lines.append("      locals: the module's globals (see Data segment)")
            elif f["locals"]:
                lines.append(f"      locals: {_slot_list(f['locals'], heap)}")
            if f["cells"]:
                cell_text = ", ".join(
                    f"{c['kind']} {c['name']}={_ref(c['ref'], heap)}" for c in f["cells"]
                )
                lines.append(f"      cells: {cell_text}")
            stack = ", ".join("NULL" if e.get("null") else _ref(e["ref"], heap) for e in f["stack"])
            if not hidden:
                lines.append(f"      value stack: [{stack}]")
            ra = f["return_address"]
            if ra:
                lines.append(
                    f"      return address: {ra['function']} instruction {ra['instruction']} "
                    f"(offset {ra['offset']}), line {ra['line']}"
                )
            else:
                lines.append("      return address: - (bottom of the stack)")
            parts.append(Text("\n".join(lines)))
        if n + 1 < len(threads):
            parts.append(Text(""))
    gens = snap.get("generators") or []
    if gens:
        parts.append(
            Text("Generator and coroutine frames (on the heap, not on a stack)", style="bold")
        )
        t = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=True)
        for name in ("object", "function", "state", "at", "locals", "value stack"):
            t.add_column(name, overflow="fold")
        for g in gens:
            at = f"line {g['line']}, instr {g['instruction']}" if "line" in g else "-"
            local_text = _slot_list(g.get("locals", []), heap)
            stack = ", ".join(_ref(e["ref"], heap) for e in g.get("stack", []))
            t.add_row(
                f"#{g['id']} {g['kind']}",
                g["function"],
                g["state"],
                at,
                local_text or "-",
                f"[{stack}]",
            )
        parts.append(t)
    return Group(*parts)


def _heap_group(snap: dict) -> Group:
    h = snap["heap"]
    t = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=True)
    t.add_column("id", no_wrap=True)
    t.add_column("type", overflow="fold")
    t.add_column("value", overflow="fold", ratio=2)
    t.add_column("refcount", justify="right", overflow="fold")
    t.add_column("referred to by", overflow="fold", ratio=2)
    t.add_column("refers to", overflow="fold", ratio=2)
    for o in h["objects"]:
        refs = ", ".join(
            f"{r['label'].strip()}→{'…' if r['to'] is None else '#' + str(r['to'])}"
            for r in o["refs"]
        )
        if o.get("code"):
            refs = f"code {o['code']}" + (f", {refs}" if refs else "")
        if o.get("truncated"):
            refs += ", … (truncated)"
        count = str(o["refcount"])
        if not o["reachable"]:
            count += " (unreachable)"
        t.add_row(f"#{o['id']}", o["type"], o["value"], count, ", ".join(o["referrers"]), refs)
    notes = []
    if h["left_out"]:
        notes.append(
            f"{len(h['objects'])} objects shown; {h['left_out']} more reference(s) to objects "
            f"left out (--max-objects {h['max_objects']})"
        )
    if h.get("shared_by_threads"):
        notes.append("The heap is shared by all threads; each thread has its own stack.")
    if any(not o["reachable"] for o in h["objects"]):
        notes.append(
            "Unreachable objects are alive but not reachable from the program's roots "
            "(a reference cycle waits for the cycle collector)."
        )
    return Group(t, *(Text(n) for n in notes))


def _data_group(snap: dict, heap: dict) -> Group:
    parts: list = []
    for module in snap["data_segment"]["modules"]:
        parts.append(Text(f"Globals of module {module['module']}", style="bold"))
        t = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=True)
        t.add_column("name")
        t.add_column("object", overflow="fold")
        for g in module["globals"]:
            t.add_row(g["name"], _ref(g["ref"], heap))
        if not module["globals"]:
            parts.append(Text("  (none yet)"))
        else:
            parts.append(t)
    parts.append(
        Text("Constants (held by the code objects, not counted as references)", style="bold")
    )
    t = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=True)
    t.add_column("code")
    t.add_column("co_consts", overflow="fold")
    for c in snap["data_segment"]["constants"]:
        t.add_row(c["code"], ", ".join(c["consts"]))
    parts.append(t)
    return Group(*parts)


def _print_refs(console: Console, doc: dict) -> None:
    console.print()
    console.rule("Reference counts, step by step (--refs)")
    if not doc["refs"]:
        console.print("(no reference-count changes)")
    for step in doc["refs"]:
        where = step["where"]
        if where is None:
            head = f"step {step['step']}"
        else:
            head = f"line {where['line']} ({where['function']}): {where.get('source', '')}"
        console.print(Text(head, style="bold"))
        for ev in step["events"]:
            if "finalizer" in ev:
                obj = "?" if ev["object"] is None else f"#{ev['object']}"
                console.print(f"    finalizer {ev['finalizer']}() runs on {obj} ({ev['type']})")
            elif ev.get("gc") == "start":
                console.print(f"    gc: collection of generation {ev['generation']} starts")
            elif ev.get("gc") == "stop":
                console.print(
                    f"    gc: collection of generation {ev['generation']} collected {ev['collected']}"
                )
        for ch in step["changes"]:
            what = ", ".join(f"{c['sign']}{c['referrer']} ({c['reason']})" for c in ch["changes"])
            end = ""
            if ch.get("freed"):
                end = (
                    "  count 0: freed"
                    if ch["type"] not in _CACHED
                    else "  count 0: no references left"
                )
            elif ch.get("unreachable"):
                end = "  unreachable: not freed (a cycle)"
            elif ch.get("reachable_again"):
                end = "  reachable again (from a finalizer's frame)"
            value = ch["value"]
            if not value.lstrip("<").startswith(ch["type"]):
                value = f"{ch['type']} {value}"
            line = f"  #{ch['id']} {value}: {ch['before']} -> {ch['after']}"
            console.print(Text(f"{line}  {what}{end}" if what else f"{line}{end}"))


_CACHED = frozenset(("int", "str", "bool", "NoneType", "float", "bytes"))


def _print_gc(console: Console, doc: dict) -> None:
    gcinfo = doc["gc"]
    console.print()
    console.rule("Garbage collector")
    th = gcinfo["thresholds"]
    console.print(f"generations 0, 1, 2; thresholds {th[0]}, {th[1]}, {th[2]}")
    for error in gcinfo.get("report_errors", []):
        console.print(f"(pvm memory could not record a collection: {error})")
    quiet = gcinfo.get("quiet_collections", {})
    quiet_n = sum(quiet.values())
    if not gcinfo["collections"]:
        # (How many automatic collections ran depends on pvm's own allocations.)
        console.print("no collection freed any of the program's objects")
        return
    t = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=True)
    for name in (
        "gen",
        "counts before",
        "at",
        "collected",
        "uncollectable",
        "freed",
        "finalizers run",
    ):
        t.add_column(name, overflow="fold")
    for c in gcinfo["collections"]:
        where = c.get("where")
        at = f"line {where['line']}" if where else "-"
        freed = ", ".join(
            f"#{o['id']} {o['type']}" if o["id"] is not None else f"{o['type']} (not seen before)"
            for o in c.get("freed", [])
        )
        fins = ", ".join(
            f"{f['finalizer']}(#{f['object']})"
            if f["object"] is not None
            else f"{f['finalizer']}()"
            for f in c["finalizers"]
        )
        t.add_row(
            str(c["generation"]),
            ", ".join(map(str, c["counts_before"])),
            at,
            str(c.get("collected", "?")),
            str(c.get("uncollectable", "?")),
            freed or "-",
            fins or "-",
        )
    console.print(t)
    if quiet_n:
        console.print("(other collections freed none of the program's objects)")


# -- dot --------------------------------------------------------------------------------


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def render_dot(doc: dict) -> str:
    """Return Graphviz source: one digraph of roots and heap per snapshot."""
    out = []
    for snap in doc["snapshots"]:
        name = f"snapshot_{snap['index'] + 1}"
        lines = [f"digraph {name} {{", "  rankdir=LR;", "  node [shape=box, fontname=monospace];"]
        lines.append(f"  label={_q(_describe_trigger(snap['trigger']))};")
        for module in snap["data_segment"]["modules"]:
            for g in module["globals"]:
                root = f"g_{module['module']}_{g['name']}"
                lines.append(f"  {_q(root)} [label={_q('global ' + g['name'])}, shape=plain];")
                if g["ref"] is not None:
                    lines.append(f"  {_q(root)} -> o{g['ref']};")
        for ti, thread in enumerate(snap["threads"]):
            for depth, f in enumerate(thread["frames"]):
                frame = f"t{ti}_f{depth}"
                lines.append(
                    f"  {frame} [label={_q(thread['name'] + ': ' + f['function'] + '()')}, shape=folder];"
                )
                for group in ("args", "locals", "cells"):
                    for e in f[group]:
                        if e["ref"] is not None:
                            lines.append(f"  {frame} -> o{e['ref']} [label={_q(e['name'])}];")
                for i, e in enumerate(f["stack"]):
                    if e.get("ref") is not None:
                        lines.append(
                            f"  {frame} -> o{e['ref']} [label={_q(f'stack[{i}]')}, style=dashed];"
                        )
        for o in snap["heap"]["objects"]:
            label = f"#{o['id']} {o['type']}\n{o['value']}\nrefcount {o['refcount']}"
            style = ", style=dotted" if not o["reachable"] else ""
            lines.append(f"  o{o['id']} [label={_q(label)}{style}];")
            for r in o["refs"]:
                if r["to"] is not None:
                    lines.append(f"  o{o['id']} -> o{r['to']} [label={_q(r['label'].strip())}];")
        if snap["heap"]["left_out"]:
            lines.append(
                f"  left_out [label={_q(str(snap['heap']['left_out']) + ' references left out')}, shape=note];"
            )
        lines.append("}")
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n" if out else "digraph empty {}\n"
