// The page of `pvm trace`: step through a recorded run (docs/trace.md).
//
// The trace (docs/trace-json.md) stores each step as the keys that changed since the
// step before.  On load one pass replays every step, keeping a copy of the whole
// state every CHECKPOINT steps and a few facts per step (thread, line, function);
// showing step i starts from the checkpoint at or before it.  The heap is laid out by
// dagre (vendored); arrows from variables to heap objects are drawn over the page.
"use strict";

const TRACE = JSON.parse(document.getElementById("trace").textContent);
const STEPS = TRACE.steps;
const M = STEPS.length;
const CHECKPOINT = 256;
const SVGNS = "http://www.w3.org/2000/svg";
const $ = (id) => document.getElementById(id);

// -- one pass over the steps -----------------------------------------------------

const per = { thread: [], file: [], line: [], out: [], err: [], codes: [], slot: [], fn: [], key: [] };
const checkpoints = [];
(function replay() {
  const state = new Map();
  let out = 0, err = 0, codes = 0, slot = null, thread = null, file = 0, line = null;
  STEPS.forEach((step, i) => {
    apply(state, step);
    if (i % CHECKPOINT === 0) checkpoints.push(new Map(state));
    if ("o" in step) out = step.o;
    if ("e" in step) err = step.e;
    if ("c" in step) codes = step.c;
    if ("slot" in step) slot = step.slot;
    if ("t" in step) { thread = step.t; file = step.f; line = step.l; } else { thread = null; }
    per.thread.push(thread); per.file.push(file); per.line.push(line);
    per.out.push(out); per.err.push(err); per.codes.push(codes); per.slot.push(slot);
    const top = thread === null ? null : topFrame(state, thread);
    per.fn.push(top ? top.fn : null);
    per.key.push(top ? top.key : null);
  });
})();

function apply(state, step) {
  for (const k of step.del || []) state.delete(k);
  const set = step.set || {};
  for (const k in set) state.set(k, set[k]);
}

function topFrame(state, t) {
  const th = state.get("T" + t);
  return th && th.frames ? state.get("F" + t + "." + (th.frames - 1)) : null;
}

function stateAt(i) {
  if (i < 0) return new Map();
  const c = Math.floor(i / CHECKPOINT);
  const state = new Map(checkpoints[c]);
  for (let j = c * CHECKPOINT + 1; j <= i; j++) apply(state, STEPS[j]);
  return state;
}

// -- small helpers ---------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const k in attrs || {}) {
    if (k === "class") node.className = attrs[k];
    else if (k.startsWith("data-") || k === "title") node.setAttribute(k, attrs[k]);
    else node[k] = attrs[k];
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVGNS, tag);
  for (const k in attrs || {}) node.setAttribute(k, attrs[k]);
  if (text !== undefined) node.textContent = text;
  return node;
}

function threadName(t) {
  const info = TRACE.threads[t];
  return info ? info.name : "thread " + t;
}

function valueText(state, ref) {
  if (ref === null || ref === undefined) return "(left out)";
  const obj = state.get("H" + ref);
  return obj ? obj.value : "#" + ref;
}

// -- the parts of the page ------------------------------------------------------------

let current = 0;

function render(i) {
  current = i;
  const step = STEPS[i];
  const state = stateAt(i);
  const prev = stateAt(i - 1);
  $("position").textContent = M ? `Step ${i + 1} of ${M}` : "no steps";
  $("slider").value = i + 1;
  $("permalink").href = "#step=" + (i + 1);
  if (location.hash !== "#step=" + (i + 1)) history.replaceState(null, "", "#step=" + (i + 1));
  const t = per.thread[i];
  $("event").textContent = t === null
    ? "the program has ended: its globals before they are cleared"
    : `about to run line ${per.line[i]}` + ("n" in step ? `, instruction ${step.n} ${opAt(state, t, step.n)}` : "") +
      ` in ${per.fn[i]} (thread ${threadName(t)})`;
  renderSource(i);
  renderDis(state, i);
  renderCodes(i);
  $("stdout").textContent = TRACE.stdout.slice(0, per.out[i]);
  $("stderr").textContent = (TRACE.stderr || "").slice(0, per.err[i]);
  renderThreads(state, t);
  renderHeap(state, prev, step, i);
  renderData(state, i);
  renderGil(i);
  drawArrows();
}

// With --every-instruction each code object comes with its disassembly.
const codesById = new Map(TRACE.code_segment.map((c) => [c.id, c]));

function opAt(state, t, n) {
  const top = topFrame(state, t);
  const code = top && codesById.get(top.code);
  const ins = code && code.dis && code.dis[n];
  return ins ? (ins[1] + (ins[2] ? " " + ins[2] : "")) : "";
}

function renderDis(state, i) {
  const pre = $("dis");
  const t = per.thread[i];
  const top = t === null ? null : topFrame(state, t);
  const code = top && codesById.get(top.code);
  if (!code || !code.dis) { pre.hidden = true; return; }
  pre.hidden = false;
  pre.replaceChildren(el("span", { class: "muted" }, `${code.id} ${code.qualname}:\n`));
  for (const [k, name, arg, line] of code.dis) {
    const cls = k === STEPS[i].n ? "ln next" : "ln";
    pre.append(el("span", { class: cls, "data-instruction": k },
      `${String(line).padStart(4)} ${String(k).padStart(4)} ${name.padEnd(22)} ${arg}`));
  }
}

function renderSource(i) {
  const name = TRACE.files[per.file[i]];
  const text = TRACE.sources[name] || "";
  const next = per.thread[i] === null ? null : per.line[i];
  let prev = null;
  if (i > 0 && per.file[i - 1] === per.file[i]) prev = per.line[i - 1];
  const pre = $("source");
  pre.replaceChildren();
  text.split("\n").forEach((src, k) => {
    const n = k + 1;
    const cls = n === next ? "ln next" : n === prev ? "ln prev" : "ln";
    const mark = n === next ? "\u279c" : n === prev ? "\u2192" : "";
    const title = n === next ? "the line about to run" : n === prev ? "the line just run" : "";
    pre.append(el("span", { class: cls, "data-line": n, title },
      el("span", { class: "no" }, String(n)), el("span", { class: "mark" }, mark), src));
  });
  const mark = pre.querySelector(".next") || pre.querySelector(".prev");
  if (mark) {
    const top = mark.offsetTop - pre.offsetTop;
    if (top < pre.scrollTop || top > pre.scrollTop + pre.clientHeight - 20)
      pre.scrollTop = Math.max(0, top - pre.clientHeight / 2);
  }
}

function renderCodes(i) {
  const table = $("codes");
  table.replaceChildren(el("tr", {}, el("th", {}, "code"), el("th", {}, "function"),
    el("th", {}, "defined at"), el("th", {}, "instructions")));
  for (const c of TRACE.code_segment.slice(0, per.codes[i])) {
    table.append(el("tr", { "data-code": c.id }, el("td", {}, c.id), el("td", {}, c.qualname),
      el("td", {}, `${c.file}:${c.first_line}`), el("td", {}, String(c.instructions))));
  }
}

function varRow(state, name, ref, kind) {
  // A null on a value stack is pvm's NULL marker; elsewhere an object left out (--max-objects).
  const text = ref === null && kind === "value stack" ? "NULL" : valueText(state, ref);
  return el("div", { class: "var", "data-name": name },
    el("span", {}, name, kind ? el("span", { class: "kind" }, " " + kind) : null),
    el("span", { class: "val", "data-ref": ref === null ? "" : ref, title: ref === null ? "" : "#" + ref }, text));
}

function frameBox(state, t, d, n) {
  const f = state.get(`F${t}.${d}`) || {};
  const [line] = state.get(`P${t}.${d}`) || [null];
  const v = state.get(`V${t}.${d}`) || { args: [], locals: [], cells: [], stack: [] };
  const args = v.args.map(([name, ref]) => `${name}=${valueText(state, ref)}`).join(", ");
  const sig = f.module ? f.fn : `${f.fn}(${args})`;
  const box = el("div", { class: "frame" + (d === n - 1 ? " top" : ""), "data-fn": f.fn || "" },
    el("div", { class: "sig" }, sig),
    el("div", { class: "where" }, `line ${line}` + (f.gen ? " \u00b7 running generator" : "")));
  if (f.module) box.append(el("div", { class: "muted" }, "locals: the module's globals (data segment)"));
  for (const [name, ref] of v.args) box.append(varRow(state, name, ref, "arg"));
  for (const [name, ref] of v.locals) box.append(varRow(state, name, ref, ""));
  for (const [name, kind, ref] of v.cells) box.append(varRow(state, name, ref, kind));
  v.stack.forEach((ref, k) => box.append(varRow(state, `stack[${k}]`, ref, "value stack")));
  box.append(el("div", { class: "ret" }, f.ret
    ? `returns to ${f.ret[0]}, line ${f.ret[1]} (instruction ${f.ret[2]})`
    : "return address: - (bottom of the stack)"));
  return box;
}

function renderThreads(state, stepping) {
  const root = $("threads");
  root.replaceChildren();
  const keys = [...state.keys()].filter((k) => k[0] === "T")
    .map((k) => Number(k.slice(1))).sort((a, b) => a - b);
  for (const t of keys) {
    const th = state.get("T" + t);
    const info = TRACE.threads[t] || {};
    const col = el("div", { class: "thread" + (t === stepping ? " stepping" : ""), "data-thread": t },
      el("h3", {}, threadName(t) + (t === stepping ? " \u2014 running" : "")));
    if (th.left_out) col.append(el("div", { class: "muted" }, `${th.left_out} older frames left out`));
    for (let d = 0; d < th.frames; d++) {
      // The library's frames (threading.py's Thread.run ...) are one line: their
      // variables are the library's (pvm memory --all shows them).
      let e = d;
      while (e < th.frames - 1 && (state.get(`F${t}.${e}`) || {}).lib) e++;
      if (e > d) {
        const names = [];
        for (let k = d; k < e; k++) names.push(state.get(`F${t}.${k}`).fn);
        col.append(el("div", { class: "frame library", title: names.join(" \u2192 ") },
          `${e - d} library frame${e - d > 1 ? "s" : ""}: ${names.join(", ")}`));
        d = e - 1;
        continue;
      }
      col.append(frameBox(state, t, d, th.frames));
    }
    if (info.gil !== undefined && info.gil !== null) col.dataset.gil = info.gil;
    root.append(col);
  }
  const gens = [...state.entries()].filter(([k, g]) => k[0] === "Y" && g.state !== "running");
  if (gens.length) {
    const col = el("div", { class: "thread generators" }, el("h3", {}, "Generators and coroutines"));
    for (const [k, g] of gens) {
      const box = el("div", { class: "frame " + g.state, "data-fn": g.fn, "data-state": g.state },
        el("div", { class: "sig" }, `${g.fn} \u2014 ${g.kind}`),
        el("div", { class: "where" }, {
          suspended: `suspended at line ${g.line} (instruction ${g.instruction}), not returned`,
          created: `created, not started (its code starts at line ${g.line})`,
          finished: "finished (returned)",
        }[g.state] || g.state));
      for (const [name, ref] of g.locals || []) box.append(varRow(state, name, ref, ""));
      box.dataset.id = k.slice(1);
      col.append(box);
    }
    root.append(col);
  }
}

// -- the heap graph ---------------------------------------------------------------------

const measure = document.createElement("canvas").getContext("2d");
measure.font = "12px ui-monospace, Menlo, Consolas, monospace";
const textWidth = (s) => measure.measureText(s).width;

function renderHeap(state, prev, step, i) {
  const gcBox = $("gc");
  gcBox.replaceChildren();
  for (const c of step.gc || []) {
    const freed = c.freed.length ? "freed " + c.freed.map((id) => "#" + id).join(", ") : "freed none of the program's objects";
    gcBox.append(el("div", { class: "gc-step" },
      `Garbage collection (generation ${c.generation}) ran before this step: ` +
      `${c.collected} objects collected; ${freed}` +
      (c.finalizers.length ? `; finalizers: ${c.finalizers.join(", ")}` : "")));
  }
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: "LR", nodesep: 10, ranksep: 36, marginx: 6, marginy: 6 });
  g.setDefaultEdgeLabel(() => ({}));
  const nodes = [];
  for (const [k, obj] of state) if (k[0] === "H") nodes.push([k.slice(1), obj, ""]);
  for (const [k, obj] of prev) {
    if (k[0] === "H" && !state.has(k)) nodes.push([k.slice(1), obj, "leaving"]);
  }
  for (const [id, obj, how] of nodes) {
    const head = `#${id} ${obj.type}`;
    const rc = how === "leaving" ? "freed" : `refcount ${obj.rc}`;
    const width = Math.max(textWidth(head) + textWidth(rc) + 24, textWidth(obj.value) + 16, 60);
    let cls = how;
    if (!how && i > 0 && !prev.has("H" + id)) cls = "entering";
    if (obj.unreachable) cls += " unreachable";
    g.setNode(id, { width, height: 36, obj, head, rc, cls });
  }
  for (const [id, obj, how] of nodes) {
    if (how) continue;
    (obj.refs || []).forEach(([label, to], k) => {
      if (to !== null && g.hasNode(String(to))) {
        const text = label.trim().slice(0, 18);
        g.setEdge(id, String(to), { label: text, width: textWidth(text) * 0.85, height: 12, labelpos: "c" }, id + ":" + k);
      }
    });
  }
  dagre.layout(g);
  const size = g.graph();
  // Scaled down to the panel's width when wider (the viewBox keeps the proportions).
  const w = Math.max(size.width || 0, 10), h = Math.max(size.height || 0, 10);
  const root = svg("svg", { viewBox: `0 0 ${w} ${h}`, width: w, style: `max-width: 100%; height: auto` });
  const defs = svg("defs");
  const marker = svg("marker", { id: "head", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
  marker.append(svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#7a8494" }));
  defs.append(marker);
  root.append(defs);
  for (const e of g.edges()) {
    const edge = g.edge(e);
    const d = edge.points.map((p, k) => (k ? "L" : "M") + p.x + "," + p.y).join(" ");
    const group = svg("g", { class: "heap-edge", "data-from": e.v, "data-to": e.w });
    group.append(svg("path", { d, "marker-end": "url(#head)" }));
    if (edge.label) group.append(svg("text", { x: edge.x, y: edge.y + 4, "text-anchor": "middle" }, edge.label));
    root.append(group);
  }
  for (const id of g.nodes()) {
    const n = g.node(id);
    const x = n.x - n.width / 2, y = n.y - n.height / 2;
    const group = svg("g", { class: "heap-obj " + n.cls, "data-id": id, "data-type": n.obj.type,
      "data-value": n.obj.value, "data-rc": n.cls.includes("leaving") ? "" : n.obj.rc });
    group.append(svg("rect", { x, y, width: n.width, height: n.height, rx: 3 }));
    group.append(svg("text", { x: x + 6, y: y + 14 }, n.head));
    group.append(svg("text", { x: x + n.width - 6, y: y + 14, "text-anchor": "end", class: "rc" }, n.rc));
    group.append(svg("text", { x: x + 6, y: y + 30, class: "value" }, n.obj.value));
    const title = svg("title", {}, `#${id} ${n.obj.type} ${n.obj.value}: ${n.rc}` +
      (n.obj.unreachable ? " (unreachable: a cycle the collector may free)" : ""));
    group.append(title);
    root.append(group);
  }
  $("heap").replaceChildren(root);
}

// -- the data segment ---------------------------------------------------------------------

function renderData(state, i) {
  const root = $("globals");
  root.replaceChildren();
  const modules = new Map();
  for (const [k, ref] of state) {
    if (k[0] !== "G") continue;
    const cut = k.indexOf(":");
    const mod = k.slice(1, cut);
    if (!modules.has(mod)) modules.set(mod, []);
    modules.get(mod).push([k.slice(cut + 1), ref]);
  }
  for (const [mod, names] of modules) {
    const box = el("div", { class: "module", "data-module": mod }, el("h3", {}, `Globals of ${mod}`));
    for (const [name, ref] of names) box.append(varRow(state, name, ref, ""));
    root.append(box);
  }
  if (!modules.size) root.append(el("div", { class: "muted" }, "no globals"));
  const consts = $("constants");
  consts.replaceChildren();
  for (const c of TRACE.code_segment.slice(0, per.codes[i])) {
    consts.append(el("div", { class: "var" }, el("span", {}, c.id + " " + c.qualname),
      el("span", { class: "muted" }, c.consts.join(", "))));
  }
}

// -- the GIL strip ---------------------------------------------------------------------------

const gilLanes = (TRACE.gil.threads.length ? TRACE.gil.threads : TRACE.threads.map((t) => ({ number: t.gil, name: t.name })));
const laneOf = new Map(gilLanes.map((lane, k) => [lane.number, k]));
const W = 1000, LANE = 16, LEFT = 150;

function holderAt(i) {
  const t = per.thread[i];
  return t === null ? null : (TRACE.threads[t] || {}).gil;
}

const strip = (function buildStrip() {
  const height = gilLanes.length * LANE + 18;
  const root = svg("svg", { viewBox: `0 0 ${W + LEFT} ${height}`, preserveAspectRatio: "none", height });
  const x = (i) => LEFT + (M ? (i / M) * W : 0);
  gilLanes.forEach((lane, k) => {
    root.append(svg("text", { x: 2, y: 14 + k * LANE + 10, class: "lane-name" }, lane.name));
  });
  let start = 0;
  for (let i = 1; i <= M; i++) {
    if (i === M || holderAt(i) !== holderAt(start) || per.slot[i] !== per.slot[start]) {
      const lane = laneOf.get(holderAt(start));
      if (lane !== undefined) {
        const rect = svg("rect", { class: "held", x: x(start), y: 14 + lane * LANE + 2, width: Math.max(x(i) - x(start), 0.8), height: LANE - 4 });
        const slot = TRACE.gil.slots[(per.slot[start] || 0) - 1];
        rect.append(svg("title", {}, slotText(slot) + ` (steps ${start + 1}-${i})`));
        root.append(rect);
      }
      if (i < M && per.slot[i] !== per.slot[i - 1]) {
        root.append(svg("line", { class: "boundary", x1: x(i), x2: x(i), y1: 0, y2: height }));
        if (M < 400) root.append(svg("text", { x: x(i) + 2, y: 10, class: "lane-name" }, "T" + per.slot[i]));
      }
      start = i;
    }
  }
  if (M && per.slot[0]) root.append(svg("text", { x: LEFT + 2, y: 10, class: "lane-name" }, "T" + per.slot[0]));
  const cursor = svg("line", { class: "cursor", x1: LEFT, x2: LEFT, y1: 0, y2: height });
  root.append(cursor);
  root.addEventListener("click", (ev) => {
    const box = root.getBoundingClientRect();
    const at = ((ev.clientX - box.left) / box.width) * (W + LEFT) - LEFT;
    if (at >= 0) go(Math.min(M - 1, Math.floor((at / W) * M)));
  });
  const table = el("table", { id: "slots" });
  $("gil").append(root, table);
  return { cursor, x, table };
})();

// -- the processes' lanes (a program that started processes) ------------------------------

const procs = (function buildProcesses() {
  const P = TRACE.processes;
  if (!P) return null;
  const span = Math.max(P.span_us, 1);
  const x = (us) => LEFT + (Math.max(0, us) / span) * W;
  const laneOfPid = new Map(P.lanes.map((lane, k) => [lane.pid, k]));
  const height = P.lanes.length * LANE + 18;
  const root = svg("svg", { viewBox: `0 0 ${W + LEFT} ${height}`, preserveAspectRatio: "none", height, id: "process-lanes" });
  P.lanes.forEach((lane, k) => {
    const y = 14 + k * LANE;
    const g = svg("g", { class: "process-lane", "data-pid": lane.pid });
    g.append(svg("text", { x: 2, y: y + 10, class: "lane-name" }, `${lane.name} (pid ${lane.pid})`));
    const alive = svg("rect", { class: "alive", x: x(lane.alive[0]), y: y + 5, width: Math.max(x(lane.alive[1]) - x(lane.alive[0]), 1), height: LANE - 10 });
    alive.append(svg("title", {}, `${lane.name}: ${lane.how}, exit status ${lane.exit_status}`));
    g.append(alive);
    for (const [a, b] of lane.held) {
      const r = svg("rect", { class: "held", x: x(a), y: y + 2, width: Math.max(x(b) - x(a), 1), height: LANE - 4 });
      r.append(svg("title", {}, `${lane.name} held its own GIL: ${((b - a) / 1000).toFixed(1)} ms`));
      g.append(r);
    }
    root.append(g);
  });
  for (const m of P.messages) {
    const a = laneOfPid.get(m.from), b = laneOfPid.get(m.to);
    if (a === undefined || b === undefined) continue;
    const line = svg("line", { class: "message", x1: x(m.sent_us), y1: 14 + a * LANE + LANE / 2, x2: x(m.received_us), y2: 14 + b * LANE + LANE / 2 });
    line.append(svg("title", {}, `message of ${m.bytes} bytes, pid ${m.from} to pid ${m.to}`));
    root.append(line);
  }
  const cursor = svg("line", { class: "cursor", x1: LEFT, x2: LEFT, y1: 0, y2: height });
  root.append(cursor);
  root.addEventListener("click", (ev) => {
    const box = root.getBoundingClientRect();
    const us = (((ev.clientX - box.left) / box.width) * (W + LEFT) - LEFT) / W * span;
    let best = 0;
    STEPS.forEach((step, j) => { if ("us" in step && step.us <= us) best = j; });
    go(best);
  });
  const note = el("p", { class: "muted" }, `A lane per process on the machine's clock (${(span / 1e6).toFixed(2)} s): ` +
    "green where the process held its own GIL, grey while it lived, a line per message; " +
    "the red cursor is the step shown (steps are the root process's)." +
    (P.missing ? ` ${P.missing} process(es) left no record.` : ""));
  $("gil").append(el("h3", {}, "Processes"), root, note);
  return { cursor, x };
})();

function slotText(slot) {
  if (!slot) return "no GIL slot";
  const holder = (gilLanes[laneOf.get(slot.holder)] || {}).name || slot.holder;
  return `T${slot.slot}: ${holder} held the GIL; ended by ${slot.released || "the end of the recording"}` +
    (slot.detail ? ` (${slot.detail})` : "");
}

function renderGil(i) {
  const x = strip.x(i + 0.5);
  strip.cursor.setAttribute("x1", x);
  strip.cursor.setAttribute("x2", x);
  if (procs && "us" in STEPS[i]) {
    procs.cursor.setAttribute("x1", procs.x(STEPS[i].us));
    procs.cursor.setAttribute("x2", procs.x(STEPS[i].us));
  }
  const slots = TRACE.gil.slots;
  const now = per.slot[i] || 0;
  const from = Math.max(0, Math.min(now - 4, slots.length - 8));
  const table = strip.table;
  table.replaceChildren(el("tr", {}, el("th", {}, "Time slot"),
    ...gilLanes.map((lane) => el("th", {}, lane.name)), el("th", {}, "Released")));
  for (const slot of slots.slice(from, from + 8)) {
    table.append(el("tr", { class: slot.slot === now ? "current" : "", "data-slot": slot.slot },
      el("td", {}, "T" + slot.slot),
      ...gilLanes.map((lane) => el("td", {}, slot.cells[String(lane.number)] || "")),
      el("td", {}, (slot.released || "-") + (slot.detail ? ": " + slot.detail : ""))));
  }
  if (slots.length > 8) table.append(el("tr", {}, el("td", { class: "muted", colSpan: gilLanes.length + 2 },
    `slots ${from + 1}-${Math.min(from + 8, slots.length)} of ${slots.length}`)));
}

// -- arrows from variables to the heap ---------------------------------------------------

function drawArrows() {
  const layer = $("arrows");
  layer.replaceChildren();
  layer.setAttribute("width", document.documentElement.scrollWidth);
  layer.setAttribute("height", document.documentElement.scrollHeight);
  const heap = $("heap").getBoundingClientRect();
  for (const src of document.querySelectorAll("#threads [data-ref], #globals [data-ref]")) {
    const id = src.dataset.ref;
    if (!id) continue;
    const target = document.querySelector(`#heap .heap-obj[data-id="${id}"] rect`);
    if (!target) continue;
    const a = src.getBoundingClientRect(), b = target.getBoundingClientRect();
    // An object scrolled out of the heap's view gets no arrow.
    if (b.bottom < heap.top || b.top > heap.bottom || b.right < heap.left || b.left > heap.right) continue;
    const fromLeft = a.left > b.right;
    const x1 = (fromLeft ? a.left : a.right) + scrollX, y1 = a.top + a.height / 2 + scrollY;
    const x2 = (fromLeft ? b.right : b.left) + scrollX, y2 = b.top + b.height / 2 + scrollY;
    const bend = (x2 - x1) / 2;
    layer.append(svg("path", { d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}` }));
  }
}

// -- navigation ------------------------------------------------------------------------------

function go(i) {
  if (!M) return;
  render(Math.max(0, Math.min(M - 1, i)));
}

function nextWhere(test) {
  for (let j = current + 1; j < M; j++) if (test(j)) return go(j);
  $("event").textContent = "no later step matches";
}

function setup() {
  $("title").textContent = `pvm trace: ${TRACE.program}` +
    (TRACE.argv.length > 1 ? " " + TRACE.argv.slice(1).join(" ") : "") +
    ` \u2014 ${M} steps, exit status ${TRACE.exit_status}`;
  if (TRACE.stopped) {
    const s = TRACE.stopped;
    const box = $("stopped");
    box.hidden = false;
    box.textContent = `Recording stopped after ${s.after_step + 1} steps (--max-steps ${s.max_steps}), ` +
      `at line ${s.line} of ${TRACE.files[s.file] || TRACE.program}: ` + (s.program_stopped
        ? "pvm trace stopped the program there, as Ctrl-C would (--stop-at-max-steps)."
        : "the program ran on to its end unrecorded.");
  }
  $("slider").max = Math.max(M, 1);
  $("first").onclick = () => go(0);
  $("back").onclick = () => go(current - 1);
  $("forward").onclick = () => go(current + 1);
  $("last").onclick = () => go(M - 1);
  $("slider").oninput = (ev) => go(Number(ev.target.value) - 1);
  const mainFile = TRACE.files.indexOf(TRACE.program);
  const lines = [...new Set(per.line.filter((l, j) => l !== null && per.file[j] === mainFile))].sort((a, b) => a - b);
  $("jump-line").replaceChildren(...lines.map((l) => el("option", { value: l }, String(l))));
  const fns = [...new Set(per.fn.filter((f) => f !== null))].sort();
  $("jump-fn").replaceChildren(...fns.map((f) => el("option", { value: f }, f)));
  $("jump-line-go").onclick = () => {
    const l = Number($("jump-line").value);
    nextWhere((j) => per.line[j] === l && per.file[j] === mainFile && per.thread[j] !== null);
  };
  $("jump-fn-go").onclick = () => {
    const f = $("jump-fn").value;
    nextWhere((j) => per.fn[j] === f && (j === 0 || per.key[j] !== per.key[j - 1]));
  };
  document.addEventListener("keydown", (ev) => {
    const tag = ev.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
    const moves = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: M - 1 };
    if (ev.key in moves) { ev.preventDefault(); go(moves[ev.key]); }
  });
  window.addEventListener("hashchange", () => go(stepFromHash()));
  window.addEventListener("resize", drawArrows);
  $("heap").addEventListener("scroll", drawArrows);
  $("threads").addEventListener("scroll", drawArrows);
  go(stepFromHash());
  // For tests and benchmarks: when the first step was drawn, in ms since navigation.
  document.body.dataset.ready = Math.round(performance.now());
}

function stepFromHash() {
  const m = /step=(\d+)/.exec(location.hash);
  return m ? Number(m[1]) - 1 : 0;
}

setup();
