"""``python -m justice_schema.cli``."""

from justice_schema.cli import main

raise SystemExit(main())
