"""Hypothesis strategies for generated content files."""

from __future__ import annotations

from hypothesis import strategies as st

front_matter_like = st.one_of(
    st.text(),
    st.builds(lambda a, b: f"---\n{a}\n---\n{b}", st.text(), st.text()),
    st.binary().map(lambda b: b.decode("latin-1")),
)
