#!/usr/bin/env bash
# Run the seed's example programs on pvm, disassemble one, show its memory and the GIL's
# time slots, and show a guest traceback.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/examples"
# Use the checkout's pvm whether or not it is pip-installed.
export PYTHONPATH="$ROOT/src${PYTHONPATH:+:$PYTHONPATH}"
PVM=(python3 -m pvm)

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

for example in add_memory.py threading_example.py multiprocessing_example.py asyncio_example.py; do
    step "pvm run $example"
    "${PVM[@]}" run "$example"
done

step "pvm compile add_memory.py: bytecode cached in __pycache__"
# PYTHONDONTWRITEBYTECODE would (rightly) stop the write; this step is about the cache.
env -u PYTHONDONTWRITEBYTECODE "${PVM[@]}" compile add_memory.py
ls -l __pycache__/ 2>/dev/null | grep pvm || echo "(no cache file: directory not writable)"

step "pvm dis add_memory.py"
"${PVM[@]}" dis add_memory.py

step "pvm memory add_memory.py --at 8: code segment, stack, heap and data segment at 'return result'"
"${PVM[@]}" memory add_memory.py --at 8

step "pvm gil threading_example.py: the seed's time-slot table (deterministic schedule, seed 1)"
"${PVM[@]}" gil --schedule deterministic --seed 1 threading_example.py

step "pvm gil gil_cpu_bound.py: two CPU-bound threads take turns, one switch interval each"
"${PVM[@]}" gil --slots 10 gil_cpu_bound.py

step "pvm run traceback_demo.py (an uncaught guest exception)"
status=0
"${PVM[@]}" run traceback_demo.py || status=$?
echo "(exit code $status, as python3 gives)"

step "the same under python3, for comparison"
python3 traceback_demo.py || true
