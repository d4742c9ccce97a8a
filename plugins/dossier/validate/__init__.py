"""Validate: the read corpus, the JSON Schemas and the registry to a list of diagnostics.

Pure and total: it never raises on bad content and reports every problem it finds, worded for
editors. ``validate`` is the whole stage.
"""

from dossier.validate.rules import validate

__all__ = ["validate"]
