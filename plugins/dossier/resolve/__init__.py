"""Resolve: a corpus that validated to the site model (``model``): ids to entities, language
versions to groups, and for every entity the published articles that reference it."""
