"""The check cache alone: what it keeps from one run to the next, and the registry facts a
verdict depends on. What `check` makes of it on a fixture site is in
tests/site/test_check_cache.py."""

from __future__ import annotations

from pathlib import Path

from dossier.read.check_cache import CheckCache, registry_facts


def test_cache_round_trip_keeps_only_what_was_used(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    cache = CheckCache(path, "v1")
    key = cache.text_key("a: 1\n", 2)
    assert cache.data(key) is None
    cache.remember(key, {"a": 1})
    verdict = cache.verdict_key("article", key, {("kim-jong-un", "actors", "Person")})
    assert not cache.passed(verdict)
    cache.record_pass(verdict)
    cache.save()
    again = CheckCache(path, "v1")
    assert again.data(key) == {"a": 1}
    assert again.passed(verdict)
    assert not again.passed(cache.verdict_key("article", key, set()))  # other facts
    again.save()  # used: the one entry of each kind
    other = CheckCache(path, "v2")
    assert other.data(key) is None


def test_registry_facts_find_ids_anywhere_in_the_data() -> None:
    kinds = {"kim-jong-un": "actors", "vostochny-cosmodrome": "locations"}
    types = {"kim-jong-un": "Person"}
    data = {
        "title": "kim-jong-un",
        "locations": ["vostochny-cosmodrome", "nowhere"],
        "image": {"alt": "x"},
        "n": 3,
    }
    assert registry_facts(data, kinds, types) == {
        ("kim-jong-un", "actors", "Person"),
        ("vostochny-cosmodrome", "locations", ""),
    }
