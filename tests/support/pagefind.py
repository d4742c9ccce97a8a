"""Reading the Pagefind index a build writes: its shards, entry files, fragments and the CBOR
index files, and a view of them that two builds of the same site share; and a stand-in for
Pagefind that fails.

Plain Python only (no pytest), so that ``bench/compare_builds.py`` reads the index as the tests
do.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"

# Pagefind 1.5.2 keeps each filter's values, and the list of filters, in Rust hash maps whose
# seed is random in every process, and writes them in that map's order (its issue #638): the
# same pages give the same values in another order. So its filter files, the meta file that names
# them by content hash and the entry file that names that one differ from run to run, even on a
# byte-identical site, and no setting orders them. What they hold is compared instead (shard).
UNSTABLE = re.compile(r"pagefind/[^/]+/(filter/.*|pagefind\..*\.pf_meta|pagefind-entry\.json)")


def bundles(output: Path) -> list[Path]:
    """The index's shards: one Pagefind bundle each, below pagefind/."""
    return sorted(p.parent for p in (output / "pagefind").glob("*/pagefind-entry.json"))


def entry(bundle: Path) -> dict:
    return json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))


def fragments(output: Path) -> dict[str, dict]:
    """Every page in the index, by URL: what search results are made of."""
    out = {}
    for bundle in bundles(output):
        for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
            data = gzip.decompress(path.read_bytes())
            assert data.startswith(SIGNATURE), path
            fragment = json.loads(data.removeprefix(SIGNATURE))
            assert fragment["url"] not in out, f"{fragment['url']} is indexed twice"
            out[fragment["url"]] = fragment | {"file": path.name, "bundle": bundle.name}
    return out


def cbor(data: bytes, at: int = 0) -> tuple[Any, int]:
    """One CBOR item (RFC 8949) and where the next begins: the definite-length integers,
    strings, arrays, maps and simple values Pagefind's index files are made of."""
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        n = info
    else:
        size = 1 << (info - 24)  # 24..27: the length follows in 1, 2, 4 or 8 bytes
        n, at = int.from_bytes(data[at : at + size], "big"), at + size
    if major in (2, 3):
        raw = data[at : at + n]
        return (raw.decode() if major == 3 else raw), at + n
    if major in (4, 5):
        items = []
        for _ in range(n * (major - 3)):  # a map holds a key and a value per entry
            item, at = cbor(data, at)
            items.append(item)
        return (items if major == 4 else dict(zip(items[::2], items[1::2], strict=True))), at
    simple = {0: n, 1: -1 - n, 7: {20: False, 21: True, 22: None}.get(n)}
    return simple[major], at


def index_file(path: Path) -> Any:
    """A Pagefind index file: gzip, a signature, then one CBOR item."""
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(SIGNATURE), path
    value, end = cbor(data, len(SIGNATURE))
    assert end == len(data), path
    return value


def facets(output: Path) -> dict[str, dict[str, dict[str, list[str]]]]:
    """What each language's filter indexes find, over all shards: language -> filter -> value
    -> article URLs.

    A shard's meta file for a language lists its pages (by fragment) and its filter files; a
    filter file lists each value with the numbers of the pages that carry it."""
    out: dict[str, dict[str, dict[str, list[str]]]] = {}
    pages_by_url = fragments(output)
    for bundle in bundles(output):
        urls = {
            f["file"].removesuffix(".pf_fragment"): url
            for url, f in pages_by_url.items()
            if f["bundle"] == bundle.name
        }
        for lang, index in entry(bundle)["languages"].items():
            _, pages, _, filters, *_ = index_file(bundle / f"pagefind.{index['hash']}.pf_meta")
            for name, file in filters:
                key, values = index_file(bundle / "filter" / f"{file}.pf_filter")
                assert key == name
                found = out.setdefault(lang, {}).setdefault(name, {})
                for value, numbers in values:
                    found.setdefault(value, []).extend(urls[pages[n][0]] for n in numbers)
    return {
        lang: {name: {value: sorted(urls) for value, urls in v.items()} for name, v in f.items()}
        for lang, f in out.items()
    }


def shard(bundle: Path) -> dict[str, Any]:
    """One shard's unstable files (UNSTABLE), decoded, without the names they give each other and
    in an order of their own: the entry file less the meta files' hashes; per language, its meta
    file (pages, word-index chunks, result fields) with the filter names, sorted, in place of the
    list of filter files, and each filter as value -> the sorted numbers of its pages (numbers
    into the meta file's pages, which are in a stable order). ``unlisted`` counts the unstable
    files that neither the entry nor a meta file names (none, in a build as Pagefind writes it)."""
    head = entry(bundle)
    languages = head.pop("languages")
    read = {bundle / "pagefind-entry.json"}
    view: dict[str, Any] = {"entry": head}
    for lang, index in sorted(languages.items()):
        meta_path = bundle / f"pagefind.{index.pop('hash')}.pf_meta"
        meta = index_file(meta_path)
        read.add(meta_path)
        filters: dict[str, dict[str, list[int]]] = {}
        for name, file in meta[3]:
            path = bundle / "filter" / f"{file}.pf_filter"
            key, values = index_file(path)
            read.add(path)
            assert key == name, path
            filters[name] = {value: sorted(numbers) for value, numbers in sorted(values)}
        meta[3] = sorted(filters)
        view[lang] = {"entry": index, "meta": meta, "filters": dict(sorted(filters.items()))}
    prefix = f"pagefind/{bundle.name}/"
    view["unlisted"] = sum(
        1
        for p in bundle.rglob("*")
        if p.is_file()
        and p not in read
        and UNSTABLE.fullmatch(prefix + p.relative_to(bundle).as_posix())
    )
    return view


def search_index(output: Path) -> dict[str, Any]:
    """Pagefind's index without the names its unstable files give each other and in no hash
    map's order: each shard's view (shard), and what each facet value finds over all shards."""
    return {"facets": facets(output)} | {bundle.name: shard(bundle) for bundle in bundles(output)}


def failing_indexer(message: str) -> tuple[str, ...]:
    """A stand-in for Pagefind that fails the way it does: a message and a non-zero status."""
    return (sys.executable, "-c", f"import sys; sys.exit({message!r})")
