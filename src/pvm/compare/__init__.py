"""`pvm compare`: the seed's "Threads vs. Processes" table, measured on a workload under python3 and pvm.

The pipeline, a file per stage:

    1. target.py       TARGET and --items/--args parsed; built-in workloads' sizes
    2. runner.py       the plan: one child interpreter per mode, running
                       workloads/driver.py under python3, `pvm run` and `pvm gil --json`
    3. gilshares.py    a `pvm gil --json` record reduced to GIL shares per worker thread
                       and the number of processes holding a GIL at once
    4. document.py     speed-ups, efficiency and the table's rows as one JSON document
                       (docs/compare.schema.json, checked by schema.py)
    5. verdict.py      which model won, by how much, and why
    6. render.py       rich tables and markdown; chart.py the matplotlib chart

The host never imports the target: only the driver does, in the child interpreters.
"""
