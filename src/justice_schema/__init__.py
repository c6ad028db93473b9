"""justice_schema: canonical, versioned criminal-justice data models.

The public face is small::

    >>> import justice_schema as js
    >>> js.SCHEMA_VERSIONS
    ('1.0', '1.1', '1.2')
    >>> js.ENTITY_TYPES[:7]
    ('person', 'incident', 'arrest', 'charge', 'disposition', 'booking', 'supervision')
    >>> js.ENTITY_TYPES[7:]
    ('victim', 'offender', 'property', 'court_case', 'prosecution_decision', 'custody_period', 'agency', 'court', 'facility')
    >>> js.json_schema("person", "1.0")["$id"]
    'urn:justice-schema:1.0:person'

* the entity models live in a subpackage per schema major version
  (``from justice_schema.v1 import Arrest``);
* :func:`parse` reads a dict or JSON text under the version it declares;
* :func:`json_schema` and :func:`arrow_schema` give the published schemas;
* :func:`to_table` and :func:`from_table` move records to Arrow and back;
  :mod:`justice_schema.flat` gives the flat CSV layout;
* the pipeline's three stages are functions: :func:`translate` (the
  translators themselves live in :mod:`justice_schema.translation`),
  :func:`validate` and :func:`match`.
"""

from justice_schema._version import __version__
from justice_schema.arrow import arrow_schema, from_table, to_table
from justice_schema.errors import (
    InputError,
    JusticeSchemaError,
    RecordError,
    UnknownEntityError,
    UnsupportedSchemaVersionError,
)
from justice_schema.facade import match, translate, validate
from justice_schema.registry import (
    CURRENT_SCHEMA_VERSION,
    ENTITY_TYPES,
    SCHEMA_VERSIONS,
    model_for,
    parse,
)
from justice_schema.schema_json import json_schema

__all__ = [
    "__version__",
    "SCHEMA_VERSIONS",
    "CURRENT_SCHEMA_VERSION",
    "ENTITY_TYPES",
    "model_for",
    "parse",
    "json_schema",
    "validate",
    "translate",
    "match",
    "arrow_schema",
    "to_table",
    "from_table",
    "JusticeSchemaError",
    "UnknownEntityError",
    "UnsupportedSchemaVersionError",
    "RecordError",
    "InputError",
]

