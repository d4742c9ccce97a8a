"""Dossier: validated, linked news content for Pelican.

The package is a pipeline, one module per stage: ``source`` (read) → ``validate`` → ``resolve`` →
``enrich`` → templates (render) → ``publish``. ``plugin`` is the only module that talks to Pelican.
"""


def register():
    """Pelican's entry point; imported lazily so the pure core never needs Pelican."""
    from dossier.plugin import register as register_plugin

    register_plugin()
