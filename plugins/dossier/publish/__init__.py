"""Publish: write the built site into a fresh folder, keep what has not changed since the
published build, index it for search, and swap it in whole, or leave the published site as it
was."""
