"""The library's private toolkit: small helpers every pipeline subpackage shares.

Nothing here is public API. Each module has one job (safe JSON decoding, Arrow
scalars and text kernels, strict dates, ...); the translation, validation and
identity subpackages import from here instead of keeping copies of their own.
"""
