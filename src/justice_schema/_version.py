"""The package version (not the schema version: see :data:`justice_schema.SCHEMA_VERSIONS`)."""

__version__ = "0.1.0"
