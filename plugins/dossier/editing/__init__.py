"""Editing: the commands that create and change content files (``dossier new``, ``translate``,
``refs``, ``rename``, ``merge``, ``editor-config``), with round-trip YAML that keeps every byte an
editor wrote except the ones the command changes.

Each command is a function here that takes the settings and the command's arguments and returns
what it did as data (``cli.py`` only parses the arguments and prints the result): ``new``,
``translate``, ``refs``, ``change`` (rename and merge) and ``editor_config``. A wrong argument
raises ``messages.InputError``; content that forbids the change, ``messages.RefusalError``."""
