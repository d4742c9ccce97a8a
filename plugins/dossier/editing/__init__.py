"""Editing: the commands that create and change content files (``dossier new``, ``translate``,
``refs``, ``rename``, ``merge``, ``editor-config``), with round-trip YAML that keeps every byte an
editor wrote except the ones the command changes."""
