"""The project's sample content as written, read with PyYAML: rich enough to show what Dossier
does. It is built end to end in tests/site/test_sample_site.py."""

from __future__ import annotations

from ..support.sample import LANGS, articles


def test_sample_content_is_rich_enough() -> None:
    """The issue's minimum: a translated pair plus four more articles, and a draft."""
    slugs = {a["slug"] for a in articles()}
    assert len(slugs) >= 5
    pairs = [s for s in slugs if {a["lang"] for a in articles() if a["slug"] == s} == set(LANGS)]
    assert pairs
    assert any(a.get("status") == "draft" for a in articles())
