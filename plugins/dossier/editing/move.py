"""``dossier move``: an article to another slug or year, every language version at once, its old
addresses kept so that they redirect.

Each version's file goes to its new name (``<slug>.<lang>.md``) and, with a new year, to that
year's folder; its ``slug`` and the year of its ``date`` are rewritten (round trip: comments and
formatting kept), and its old address goes into its ``formerly`` as the slug and year it had, so
that the build leaves a redirect there. Every link to the moved files (``{filename}``, in any
article) follows them, and so do the moved files' own relative links.

A new year changes the date, not the folder alone: check requires an article filed under a
year's folder to be dated in that year, and its address is made from its date (``{date:%Y}`` in
ARTICLE_URL), so a story's year is its date's. Month, day and time stay as they are.

Planned whole like a rename (``rename.Plan``): shown as a diff, then checked as ``dossier check``
would check the files it leaves, and written all or nothing (``commit``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import ScalarString

from dossier.diagnostics import Diagnostic, format_text, has_errors
from dossier.editing import rename, roundtrip
from dossier.editing.commit import check_change, write_change
from dossier.editing.files import Progress, quiet, read
from dossier.editing.lookup import valid_id
from dossier.editing.messages import InputError, RefusalError, shown
from dossier.read.source import Document
from dossier.reserved import article_address
from dossier.schemas import Schemas, former_front_matter, list_items, parse_datetime
from dossier.settings import DossierSettings
from dossier.spelling import closest
from dossier.validate.static import link_addresses, link_target
from dossier.words import plural

_YEAR_FOLDER = re.compile(r"\d{4}")


@dataclass(frozen=True)
class PlannedMove:
    """A move planned and not yet written: the plan, its diff, and each published version's
    address before and after (those that change)."""

    slug: str
    plan: rename.Plan
    diff: str
    addresses: list[tuple[str, str]]  # (old URL, new URL)

    @property
    def name(self) -> str:
        return f"move of '{self.slug}'"

    def redirects(self, tense: str) -> str:
        """Which old addresses redirect where, in a sentence's words."""
        if not self.addresses:
            return "no published address changes"
        pairs = ", ".join(f"/{old} to /{new}" for old, new in self.addresses)
        return f"the old {'address' if len(self.addresses) == 1 else 'addresses'} {tense}: {pairs}"

    def dry_run(self) -> str:
        files = plural(len(self.plan.changes), "file", grouped=True)
        return (
            f"{files} would change; {self.redirects('would redirect')}. This was a dry run: "
            "nothing was written. Run the command again with --apply to write it."
        )


@dataclass(frozen=True)
class AppliedMove:
    """A written move, and what check says of the files it wrote."""

    planned: PlannedMove
    diagnostics: list[Diagnostic]

    @property
    def status(self) -> int:
        return 1 if has_errors(self.diagnostics) else 0

    def lines(self) -> list[str]:
        files = plural(len(self.planned.plan.changes), "file", grouped=True)
        return [
            f"Changed {files}; {self.planned.redirects('now redirect')}.",
            format_text(self.diagnostics),
        ]


def prepare_move(
    settings: DossierSettings,
    slug: str,
    year: int | None,
    new_slug: str | None,
    *,
    progress: Progress = quiet,
) -> PlannedMove:
    """The article ``slug`` is to be dated and filed in ``year`` and/or to have the slug
    ``new_slug``. InputError for arguments that cannot be taken, RefusalError (nothing written)
    for content that forbids it."""
    if year is None and new_slug is None:
        raise InputError("say where to move it: --year, --slug or both")
    corpus, schemas = read(settings, progress)
    if new_slug is not None:
        valid_id(new_slug, schemas.id_pattern, "--slug")
    content = settings.content_folder.resolve()
    found = [doc for doc in corpus.articles if _file_slug(doc.path) == slug]
    if not found:
        raise InputError(f"no article has the slug '{slug}'{_meant(corpus.articles, slug)}", "SLUG")
    target = new_slug or slug
    conflicts = [
        f"{doc.display} cannot be read as YAML and may link the article; fix it first "
        "(dossier check shows what is wrong)"
        for doc in corpus.articles
        if doc.data is None and _may_link(doc, found)
    ]
    versions = []
    for doc in found:
        version = _Version.of(doc, year, target, settings)
        if isinstance(version, str):
            conflicts.append(version)
        else:
            versions.append(version)
    if not conflicts and all(v.new_path == v.path and v.new_date == v.date for v in versions):
        where = f"dated {year}" if new_slug is None else f"'{target}'"
        raise InputError(f"'{slug}' is already {where}: nothing would change")
    conflicts += _conflicts(corpus.articles, versions, target != slug, settings)
    if conflicts:
        raise RefusalError("Nothing was changed: the move is refused.", conflicts=conflicts)
    moves = {v.path: v.new_path for v in versions}
    edits: dict[Path, rename.Change] = {}
    for version in versions:
        try:
            edits[version.doc.path] = version.change(schemas, moves, content)
        except roundtrip.EditError as error:  # YAML the reader accepts and ruamel.yaml not
            conflicts.append(f"{version.doc.display} cannot be edited: {error}")
    if conflicts:
        raise RefusalError("Nothing was changed: the move is refused.", conflicts=conflicts)
    for doc in corpus.articles:
        if doc.path in edits or doc.data is None:
            continue
        source = roundtrip.Source.read(doc.path)
        front, rest = roundtrip.split_front_matter(source.text)
        folder = doc.path.resolve().parent
        relinked = _relinked(rest, folder, folder, moves, content)
        if relinked != rest:
            after = source.render(roundtrip.join_front_matter(front, relinked))
            edits[doc.path] = rename.Change(doc.path, _before(doc), after)
    plan = rename.Plan(sorted(edits.values(), key=lambda c: c.path))
    addresses = sorted((v.before, v.after) for v in versions if v.redirects)
    return PlannedMove(slug, plan, rename.diff(plan, Path.cwd()), addresses)


def apply_move(planned: PlannedMove, settings: DossierSettings) -> AppliedMove:
    """Check the files as the move would leave them; then write it, all or nothing. Refused
    (nothing written) when check finds an error in them."""
    plan = planned.plan
    changes = rename.file_changes(plan)
    written = [c.move_to or c.path for c in plan.changes]
    diagnostics = check_change(settings, changes, written)
    if has_errors(diagnostics):
        raise RefusalError(
            "Nothing was written: the move would leave these errors.", diagnostics=diagnostics
        )
    write_change(settings, planned.name, changes)
    return AppliedMove(planned, diagnostics)


# --- one version ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Version:
    """A language version and where the move takes it: its file, its date, its address."""

    doc: Document
    path: Path  # resolved, as now
    new_path: Path
    date: str
    new_date: str
    before: str | None  # the address now (None: its fields make none, check says why)
    after: str | None

    @classmethod
    def of(
        cls, doc: Document, year: int | None, slug: str, settings: DossierSettings
    ) -> _Version | str:
        """The version's move, or why it cannot be moved."""
        data = doc.data
        if not isinstance(data, dict) or parse_datetime(str(data.get("date"))) is None:
            return (
                f"{doc.display} has no date that can be read; fix it first (dossier check shows "
                "what is wrong)"
            )
        if not isinstance(data.get("slug"), str):
            return (
                f"{doc.display} has no slug that can be read; fix it first (dossier check shows "
                "what is wrong)"
            )
        date = data["date"]
        new_date = f"{year:04d}{date[4:]}" if year is not None else date
        if parse_datetime(new_date) is None:
            return f"{doc.display}: its date {date[:10]} has no such day in {year}; change it first"
        folder = doc.path.resolve().parent
        if year is not None and _YEAR_FOLDER.fullmatch(folder.name):
            folder = folder.with_name(f"{year:04d}")
        new_path = folder / f"{slug}.{doc.path.name.split('.', 1)[1]}"
        after = article_address(settings, {**data, "slug": slug, "date": new_date})
        return cls(
            doc, doc.path.resolve(), new_path, date, new_date,
            article_address(settings, data), after,
        )  # fmt: skip

    @property
    def redirects(self) -> bool:
        """Whether its old address is to redirect: it changes, and it was public (a draft's
        never was)."""
        published = self.doc.data.get("status", "published") == "published"
        return published and None not in (self.before, self.after) and self.before != self.after

    def change(self, schemas: Schemas, moves: Mapping[Path, Path], content: Path) -> rename.Change:
        """The version's new text (slug, date, formerly, links) and file."""
        source = roundtrip.Source.read(self.doc.path)
        front, rest = roundtrip.split_front_matter(source.text)
        document = roundtrip.load(front)
        data = document.data
        slug = self.new_path.name.split(".", 1)[0]
        roundtrip.shift_comment(data, "slug", 2, len(slug) - len(str(data["slug"])))
        data["slug"] = _like(data["slug"], slug)
        if self.new_date != self.date:
            was = data["date"]
            quoted = isinstance(was, ScalarString)
            data["date"] = type(was)(self.new_date) if quoted else roundtrip.scalar(self.new_date)
        self._formerly(data, schemas, slug)
        relinked = _relinked(rest, self.path.parent, self.new_path.parent, moves, content)
        after = source.render(roundtrip.join_front_matter(document.dump(), relinked))
        moved = self.new_path if self.new_path != self.path else None
        return rename.Change(self.doc.path, _before(self.doc), after, moved)

    def _formerly(self, data: CommentedMap, schemas: Schemas, slug: str) -> None:
        """The old address goes into ``formerly`` when it is to redirect; the new one leaves it
        (a move back: an address never redirects to itself). The list is changed in place, so
        that its other items keep their comments."""
        here = {"slug": slug, "year": int(self.new_date[:4])}
        old = {"slug": self.doc.data["slug"], "year": int(self.date[:4])}
        items = data.get("formerly")
        if not isinstance(items, list):  # none yet, or a mistake check reports
            if not self.redirects:
                return
            items = CommentedSeq()
        gone = [here, old] if self.redirects else [here]
        for i in reversed(range(len(items))):
            if isinstance(items[i], dict) and dict(items[i]) in gone:
                del items[i]
        if self.redirects:
            item = CommentedMap([("slug", roundtrip.text(old["slug"])), ("year", old["year"])])
            item.fa.set_flow_style()
            items.append(item)
        if items:
            roundtrip.put(data, "formerly", items, list(schemas.article["properties"]))
        else:
            del data["formerly"]


def _conflicts(
    articles: list[Document], versions: list[_Version], new_slug: bool, settings: DossierSettings
) -> list[str]:
    """What stands in the way of the move: a file where a version goes, another article with
    the new slug, another article's former address where a version's new one is."""
    out = [f"{shown(v.new_path)} already exists" for v in versions
           if v.new_path != v.path and v.new_path.exists()]  # fmt: skip
    moving = {v.path for v in versions}
    slug = versions[0].new_path.name.split(".", 1)[0] if versions else ""
    formers: dict[str, Document] = {}
    for doc in articles:
        if doc.path.resolve() in moving or not isinstance(doc.data, dict):
            continue
        if new_slug and _file_slug(doc.path) == slug:
            out.append(
                f"{doc.display} has the slug '{slug}' already (language versions share their "
                "slug); choose another one"
            )
        for former in list_items(doc.data.get("formerly")):
            then = former_front_matter(doc.data, former)
            if then is not None and (url := article_address(settings, then)):
                formers.setdefault(url, doc)
    for version in versions:
        if version.after in formers:
            out.append(
                f"/{version.after} is a former address of {formers[version.after].display} and "
                "redirects there; remove it from that article's formerly first if it may go"
            )
    return out


# --- links ------------------------------------------------------------------------------------


def _relinked(
    text: str, before: Path, after: Path, moves: Mapping[Path, Path], content: Path
) -> str:
    """An article's text with each link to a moved file pointing at its new place, and, for a
    moved article (in the folder ``before``, going to ``after``), each relative link still
    reaching the file it reached. Absolute links stay absolute, relative ones relative."""
    lines = text.split("\n")
    for number, written_line in enumerate(lines):
        line = written_line
        for start, address in reversed(
            list(link_addresses(line))
        ):  # from the end: the starts stay right
            path = address.split("?", 1)[0].split("#", 1)[0]
            if not path or not address.startswith(path):
                continue
            target = link_target(before, address, content)
            new = moves.get(target, target)
            if new == target and before == after:
                continue
            if path.startswith("/"):
                written = "/" + new.relative_to(content).as_posix()
            else:
                if link_target(after, address, content) == new:
                    continue  # it reaches it from the new folder as written
                written = Path(os.path.relpath(new, after)).as_posix()
            line = line[:start] + written + line[start + len(path) :]
        lines[number] = line
    return "\n".join(lines)


def _may_link(doc: Document, versions: list[Document]) -> bool:
    """Whether an unreadable article's text names one of the versions' files."""
    text = doc.path.read_text(encoding="utf-8", errors="replace")
    return any(v.path.name in text for v in versions)


# --- small things -----------------------------------------------------------------------------


def _file_slug(path: Path) -> str:
    return path.name.split(".", 1)[0]


def _meant(articles: list[Document], slug: str) -> str:
    """Where an unknown slug went (a former slug), or a close one."""
    for doc in articles:
        data = doc.data if isinstance(doc.data, dict) else {}
        for former in list_items(data.get("formerly")):
            if isinstance(former, dict) and former.get("slug") == slug:
                return f"; it was moved to '{data.get('slug')}'"
    known = sorted({_file_slug(doc.path) for doc in articles})
    close = closest(slug, known)
    return f"; did you mean '{close}'?" if close else ""


def _like(original: Any, text: str) -> Any:
    """``text`` in the quoting style of the value it replaces (quoted if YAML needs it)."""
    return type(original)(text) if isinstance(original, ScalarString) else roundtrip.text(text)


def _before(doc: Document) -> str:
    return doc.path.read_bytes().decode("utf-8")  # as it is: CRLF line ends stay
