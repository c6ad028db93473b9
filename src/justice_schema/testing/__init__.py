"""Test kit for vendors and integrators: hypothesis strategies of valid records, and the
translator conformance kit.

Install with the ``testing`` extra (``pip install justice-schema[testing]``)::

    from justice_schema.testing import records, persons
    from justice_schema.testing import assert_conformance, VendorSamples   # need no hypothesis
"""

_CONFORMANCE = ("assert_conformance", "check_conformance", "write_golden_files", "VendorSamples")
_HAVE_HYPOTHESIS = True

# The package exports the conformance kit and, with hypothesis installed, every name of
# ``strategies.__all__``: that list is the one place a new strategy is declared.
__all__ = list(_CONFORMANCE)

try:
    from justice_schema.testing import strategies
    from justice_schema.testing.strategies import *  # noqa: F403 - re-exports strategies.__all__
except ModuleNotFoundError as _missing:  # pragma: no cover - only without the testing extra
    if _missing.name != "hypothesis":
        raise
    _HAVE_HYPOTHESIS = False
else:
    __all__ += strategies.__all__


def __getattr__(name: str) -> object:
    # The conformance kit is imported on first use (so ``python -m justice_schema.testing.conformance``
    # runs cleanly), and works without hypothesis.
    if name in _CONFORMANCE:
        import importlib

        return getattr(importlib.import_module("justice_schema.testing.conformance"), name)
    if not _HAVE_HYPOTHESIS:
        raise ImportError(f"justice_schema.testing.{name} needs hypothesis: pip install justice-schema[testing]")
    raise AttributeError(name)
