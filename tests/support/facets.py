"""The search facets the tests expect: the registry kinds readers can narrow results by, each
with the Pagefind filter it is indexed as, and the facet of an article's language."""

from __future__ import annotations

# The registry kinds readers can narrow results by, in the order of kinds.yaml, and the
# Pagefind filter each one is indexed as. Authors are not a facet.
FACETS = {
    "actors": "actor",
    "locations": "location",
    "sanctions": "sanction",
    "events": "event",
    "topics": "topic",
}
# The facet of the articles' language, narrowing results from every language's index.
LANGUAGE_FACET = "language"
