"""Suggest stage: what an article's text names that its front matter does not reference, and
what it references that its text never names, as notes (``dossier suggest``, ``dossier check
--suggest``). Pure: the read corpus and the schemas in, diagnostics of severity "note" out.

``words`` folds a text into the words the matcher compares, ``names`` finds the registry's
names in it (one automaton per registry and language), ``notes`` words what was found.
"""

from __future__ import annotations

from collections.abc import Collection

from dossier.diagnostics import Diagnostic
from dossier.read.corpus import Corpus
from dossier.schemas import Schemas
from dossier.suggest.names import Lexicon
from dossier.suggest.notes import Fields, article_notes


def suggest(
    corpus: Corpus, schemas: Schemas, focus: Collection[str] | None = None
) -> list[Diagnostic]:
    """The notes on the corpus's articles; with ``focus`` (paths as diagnostics show them),
    on those articles only. The whole registry is read for names."""
    fields = Fields.of(schemas)
    lexicon = Lexicon.of(corpus.entities, fields.by_kind)
    return sorted(
        note
        for doc in corpus.articles
        if focus is None or doc.display in focus
        for note in article_notes(doc, lexicon, fields)
    )
