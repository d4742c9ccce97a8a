"""Damaged caches: what a crash or a full disk leaves in a cache file (nothing, half of it,
zeros, noise, or data of another shape) is treated as an empty cache and made anew by the real
`dossier build`, which says so in one warning line naming the file, and publishes exactly the
site a build without caches makes. Never a traceback, never "Aborted!".

The four caches: the check cache (cache/dossier-check.json), the manifest of the published
site (cache/dossier-published-*.json), the articles' rendered texts
(cache/dossier-bodies-<version>/), and the smaller copies of the articles' images
(cache/dossier-images/)."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from dossier.read.source import body_key, read_body
from dossier.write import bodies

from ..conftest import FIXTURES, Result, Site, make_site
from ..support.images import png
from ..support.pagefind import UNSTABLE

DOSSIER = Path(sys.executable).with_name("dossier")
WARNING = re.compile(
    r"^(?P<path>\S+): warning: damaged cache file \((?P<what>[^)]*)\); it is rebuilt$"
)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        name: p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not UNSTABLE.fullmatch(name := p.relative_to(folder).as_posix())
    }


def with_image(site: Site) -> Site:
    """The fixture site with an image of its own on one article: its smaller copies are cached."""
    site.write("images/handshake.png", png(1600, 900))
    path = site.content / "articles/2023/summit.en.md"
    text = path.read_text(encoding="utf-8")
    image = "image:\n  src: images/handshake.png\n  alt: Kim and Putin shake hands\n"
    path.write_text(text.replace("---\nKim Jong Un arrived", image + "---\nKim Jong Un arrived"))
    return site


def build(site: Site) -> Result:
    """The real command, in this process. Pelican's loggers drop a warning already shown in the
    process (pelican.log.LimitFilter); these tests build many times, each of which says its
    warning once."""
    from pelican.log import LimitFilter

    LimitFilter._raised_messages.clear()
    return site.build()


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The site a build with no caches at all makes."""
    site = with_image(
        make_site(tmp_path_factory.mktemp("clean") / "site", FIXTURES / "site" / "content")
    )
    result = build(site)
    assert result.exit_code == 0, result.output
    return tree(site.output)


@pytest.fixture
def site(fixture_site: Site) -> Site:
    """The fixture site built once: every cache is filled."""
    with_image(fixture_site)
    result = build(fixture_site)
    assert result.exit_code == 0, result.output
    assert warnings(result.output) == []
    return fixture_site


def warnings(output: str) -> list[str]:
    return [line for line in output.splitlines() if "warning: damaged" in line]


# --- the kinds of damage ------------------------------------------------------------------------


def empty(data: bytes) -> bytes:
    return b""


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def zeroed(data: bytes) -> bytes:
    """Zeros where the middle was: what a file system can show after a crash."""
    third = len(data) // 3
    return data[:third] + b"\0" * third + data[2 * third :]


def noise(data: bytes) -> bytes:
    return random.Random(len(data)).randbytes(len(data))  # noqa: S311 - noise, not secrets


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "empty": empty,
    "truncated": truncated,
    "zeroed": zeroed,
    "noise": noise,
}


def check_cache(site: Site) -> Path:
    return site.root / "cache" / "dossier-check.json"


def manifest(site: Site) -> Path:
    (found,) = (site.root / "cache").glob("dossier-published-*.json")
    return found


def rendered_text(site: Site) -> Path:
    """An article's rendered text; the manifest goes, so that its page is made again and its
    text is asked for (with the published pages kept, it would not be)."""
    manifest(site).unlink()
    key = body_key(read_body(site.content / "articles/2023/summit.en.md"))
    (found,) = (site.root / "cache").glob(f"{bodies.PREFIX}*/{key}.html")
    return found


def image_copy(site: Site) -> Path:
    (found,) = (site.root / "cache" / "dossier-images").glob("*-480w.png")
    return found


CACHES: dict[str, Callable[[Site], Path]] = {
    "check": check_cache,
    "manifest": manifest,
    "text": rendered_text,
    "image": image_copy,
}


def rebuilt(site: Site, path: Path, clean: dict[str, bytes]) -> str:
    """Build again: one warning line, for ``path``; the site a clean build makes; and a cache
    that the next build uses without a word. Returns what the warning said was wrong."""
    result = build(site)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "Aborted" not in result.output
    (line,) = warnings(result.output)
    said = WARNING.match(line)
    assert said, line
    assert said["path"] == path.relative_to(site.root).as_posix()
    assert tree(site.output) == clean
    again = build(site)
    assert again.exit_code == 0, again.output
    assert warnings(again.output) == []
    assert tree(site.output) == clean
    return said["what"]


@pytest.mark.parametrize("cache", CACHES)
@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_cache_file_is_rebuilt_with_one_warning(
    site: Site, clean: dict[str, bytes], cache: str, damage: str
) -> None:
    path = CACHES[cache](site)
    path.write_bytes(DAMAGE[damage](path.read_bytes()))
    what = rebuilt(site, path, clean)
    assert what in {
        "empty",
        "cut short or garbled: not JSON",
        "garbled: not UTF-8 text",
        "cut short or garbled: not as last written",
        "cut short or garbled: its bytes differ from those written",
    }


def test_the_check_cache_of_another_shape_is_rebuilt(site: Site, clean: dict[str, bytes]) -> None:
    path = check_cache(site)
    version = json.loads(path.read_text(encoding="utf-8"))["version"]
    for wrong in (["a list"], {"version": version, "parsed": 5, "valid": []}):
        path.write_text(json.dumps(wrong), encoding="utf-8")
        assert rebuilt(site, path, clean) == "not the data Dossier writes there"


def test_a_manifest_of_another_shape_is_rebuilt(site: Site, clean: dict[str, bytes]) -> None:
    path = manifest(site)
    stored = json.loads(path.read_text(encoding="utf-8"))
    name = next(iter(stored["files"]))
    for wrong in (
        {"files": {}},  # no version
        stored | {"files": [name]},
        stored | {"files": {name: [1, 2, 3, 4]}},
        stored | {"model": 7},
    ):
        path.write_text(json.dumps(wrong), encoding="utf-8")
        assert rebuilt(site, path, clean) == "not the data Dossier writes there"


def test_an_image_copy_of_other_bytes_or_a_damaged_checksum_is_made_again(
    site: Site, clean: dict[str, bytes]
) -> None:
    path = image_copy(site)
    path.write_bytes(png(480, 270))  # a valid image, but not the one made from the original
    assert rebuilt(site, path, clean) == "cut short or garbled: its bytes differ from those written"
    checksum = path.with_name(path.name + ".sum")
    checksum.write_bytes(b"")
    assert rebuilt(site, path, clean) == "cut short or garbled: its bytes differ from those written"


def test_image_copies_cached_before_checksums_existed_are_made_again_quietly(
    site: Site, clean: dict[str, bytes]
) -> None:
    for checksum in (site.root / "cache" / "dossier-images").glob("*.sum"):
        checksum.unlink()
    result = build(site)
    assert result.exit_code == 0, result.output
    assert warnings(result.output) == []
    assert tree(site.output) == clean
    assert len(list((site.root / "cache" / "dossier-images").glob("*.sum"))) == 3


def test_empty_cache_files_end_no_real_build_with_aborted(site: Site) -> None:
    """What an empty cache file once did to `dossier build` (Pelican's unpickling ran out of
    input, and click printed "Aborted!") no cache file does. The installed command, its
    streams apart."""
    rendered_text(site).write_bytes(b"")
    check_cache(site).write_bytes(b"")
    done = subprocess.run(
        [str(DOSSIER), "build", "--settings", "settings.py"],
        cwd=site.root,
        capture_output=True,
        text=True,
        check=False,
        env=os.environ,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Aborted" not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert len(warnings(done.stdout)) == 2
    assert done.stdout.splitlines()[-1] == f"Published to {site.output}."


def test_dossier_check_rebuilds_a_damaged_check_cache_without_a_word(site: Site) -> None:
    """What `check` prints is its diagnostics alone: the cache changes none of them."""
    check_cache(site).write_bytes(b"")
    assert site.check().output == "All content is valid.\n"
    assert json.loads(check_cache(site).read_text(encoding="utf-8"))["parsed"]
