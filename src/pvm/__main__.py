"""Entry point for `python -m pvm`."""

from pvm.cli import main

raise SystemExit(main())
