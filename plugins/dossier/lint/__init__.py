"""Lint: checks of a built site, offline (``dossier lint-jsonld``: every page's JSON-LD against
the schema.org vocabulary, Google's Article guidance and schema.org's SHACL shapes)."""
