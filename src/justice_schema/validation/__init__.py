"""Validation: a coded rule catalogue, a columnar engine and a per-record engine, and reports."""
