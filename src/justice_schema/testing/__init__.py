"""Test kit for vendors and integrators: hypothesis strategies of valid records.

Install with the ``testing`` extra (``pip install justice-schema[testing]``)::

    from justice_schema.testing import records, persons
"""

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
]
