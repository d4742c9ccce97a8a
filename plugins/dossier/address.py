"""Where ``dossier serve`` listens unless told otherwise: the defaults of its ``--host`` and
``--port``, and so the address the editor's preview opens (``frontmatter.json``)."""

SERVE_HOST = "127.0.0.1"  # this computer only
SERVE_PORT = 8000
