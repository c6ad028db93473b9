"""Test kit for vendors and integrators: hypothesis strategies of valid records, and the
translator conformance kit.

Install with the ``testing`` extra (``pip install justice-schema[testing]``)::

    from justice_schema.testing import records, persons
    from justice_schema.testing import assert_conformance   # needs no hypothesis
"""

_CONFORMANCE = ("assert_conformance", "check_conformance", "write_golden_files")
_HAVE_HYPOTHESIS = True

try:
    from justice_schema.testing.strategies import (
        arrests,
        bookings,
        charges,
        dispositions,
        incidents,
        persons,
        record_dicts,
        records,
        strategy_for_model,
        supervisions,
    )
except ModuleNotFoundError as _missing:  # pragma: no cover - only without the testing extra
    if _missing.name != "hypothesis":
        raise
    _HAVE_HYPOTHESIS = False


def __getattr__(name: str) -> object:
    # The conformance kit is imported on first use (so ``python -m justice_schema.testing.conformance``
    # runs cleanly), and works without hypothesis.
    if name in _CONFORMANCE:
        import importlib

        return getattr(importlib.import_module("justice_schema.testing.conformance"), name)
    if not _HAVE_HYPOTHESIS:
        raise ImportError(f"justice_schema.testing.{name} needs hypothesis: pip install justice-schema[testing]")
    raise AttributeError(name)

__all__ = [
    "records",
    "record_dicts",
    "persons",
    "incidents",
    "arrests",
    "charges",
    "dispositions",
    "bookings",
    "supervisions",
    "strategy_for_model",
    "assert_conformance",
    "check_conformance",
    "write_golden_files",
]
