"""Validate: the read corpus, the JSON Schemas and the registry to a list of diagnostics.

Pure and total: it never raises on bad content and reports every problem it finds, worded for
editors. ``validate`` (in ``run``) is the whole stage; ``explain`` puts schema errors into plain
words, ``rules`` checks what no single schema can, across fields and files, and both know the
registry through ``context``.
"""

from dossier.validate.run import validate

__all__ = ["validate"]
