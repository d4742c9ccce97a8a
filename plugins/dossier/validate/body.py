"""Validate stage, an article's text: only the HTML ``data/html_policy.yaml`` allows.

The text is Markdown, read the way python-markdown reads it, with its own patterns where it has
them. What Markdown takes as code (fenced and indented code blocks, code spans) is text, never
HTML: it is blanked out first, every other character staying in place, so that positions remain
those of the file. Where Markdown takes HTML as it is (a block-level tag at the start of a line,
to its end tag), nothing inside is Markdown: backticks there make no code, and brackets no link.
Then:

- Markdown's links and images, reference definitions and automatic links (``<https://…>``):
  their addresses, decoded as a browser decodes them;
- attribute lists (``{: … }`` after a block, a heading, a table cell or an inline element, and
  on a code fence): only the global attributes (``lang``, ``dir``, ``title``);
- HTML, found by the standard library's tokenizer (``html.parser``), which reads a tag as a
  browser does (upper case, newlines and missing quotes in a tag, entities in a value): tags,
  attributes, addresses, embeds (``<iframe>`` from a host ``DOSSIER_EMBED_HOSTS`` lists, with a
  title), comments, and tags left open.

Every problem is an error, in a draft as in a published article: a draft is published by
changing one line, and nothing on the way would check its text again. What the check reads
differently from Markdown is still removed when the site is built (``render/body.py``).
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser, attrfind_tolerant, tagfind_tolerant

from markdown.blockprocessors import ReferenceProcessor
from markdown.extensions.abbr import AbbrBlockprocessor
from markdown.extensions.attr_list import (
    AttrListTreeprocessor,
    get_attrs_and_remainder,
    sanitize_name,
)
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.inlinepatterns import (
    AUTOLINK_RE,
    AUTOMAIL_RE,
    BACKTICK_RE,
    LINK_RE,
    BacktickInlineProcessor,
    LinkInlineProcessor,
)
from markdown.util import BLOCK_LEVEL_ELEMENTS

from dossier.data.html_policy import HtmlPolicy, embed_host, load_html_policy, refused_scheme
from dossier.diagnostics import Diagnostic
from dossier.read.check_cache import CheckCache
from dossier.read.source import Document, Position
from dossier.words import alternatives

SETTING = "DOSSIER_EMBED_HOSTS"
FIELD = "text"  # the field diagnostics about an article's text name

# HTML's own rules: elements without content, and those whose end tag may be left out.
VOID = frozenset(
    "area base br col embed hr img input link meta source track wbr".split()  # noqa: SIM905
)
END_OPTIONAL = frozenset(
    "p li dt dd tr td th thead tbody tfoot colgroup option optgroup rp rt".split()  # noqa: SIM905
)
SCRIPTS = frozenset({"javascript", "vbscript"})

# What could hold HTML, a link or an attribute list: a text without any of these has no problem.
_MAY_HOLD = re.compile(r"<|\]\(|\]:|\{")
_BLANK_LINE = re.compile(r"^[ \t]*$")
_INDENTED = re.compile(r"^(?:[ ]{0,3}>[ ]?)*(?: {4}|\t)", re.MULTILINE)
_QUOTE = re.compile(r"(?:[ ]{0,3}>[ ]?)*")  # block quote markers at the start of a line
_LINE_START_TAG = re.compile(r"^[ ]{0,3}<[A-Za-z]", re.MULTILINE)  # where a raw block may start
# A line that starts a list item, a footnote or a definition: indented lines after it continue it.
_CONTINUED = re.compile(r"[ ]{0,3}(?:[*+-]|\d+[.)]|:|\[\^[^\]\n]+\]:)[ \t]")
_BACKTICK = re.compile(BACKTICK_RE)
_AUTOLINK = re.compile(AUTOLINK_RE)
_AUTOMAIL = re.compile(AUTOMAIL_RE)
_LINK_OPEN = re.compile(r"\]\(")
_ATTRS = AttrListTreeprocessor.BASE_RE
_OWN_LINE_ATTRS = re.compile(rf"^[ ]*{_ATTRS}[ ]*$")  # a block's last line
_END_ATTRS = re.compile(rf"[ ]+{_ATTRS}[ ]*$")  # a heading, term or table cell
_INLINE_ATTRS = re.compile(rf"(?<=[*_)\]`]){_ATTRS}")  # after emphasis, a link, an image, code
_HEADING = re.compile(r"[ ]{0,3}#")
_SETEXT = re.compile(r"[ ]{0,3}(?:=+|-+)[ ]*$")


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in a text: where (an index into the text), what, and its diagnostic code."""

    offset: int
    message: str
    hint: str
    code: str


def check_body(
    doc: Document, embed_hosts: Collection[str], cache: CheckCache | None = None
) -> Iterator[Diagnostic]:
    """The problems of an article's text, located in its file. With ``cache``, a text that
    passed before under the same embed hosts is not read again."""
    if not _MAY_HOLD.search(doc.body):
        return
    key = cache.text_verdict_key(doc.body, embed_hosts) if cache else ""
    if cache and cache.text_passed(key):
        return
    found = body_problems(doc.body, embed_hosts)
    if cache and not found:
        cache.record_text_pass(key)
    starts = _line_starts(doc.body)
    for finding in found:
        line = bisect.bisect_right(starts, finding.offset) - 1
        where = Position(doc.body_line + line, finding.offset - starts[line] + 1)
        yield doc.diagnostic(where, FIELD, finding.message, finding.hint, code=finding.code)


def body_problems(text: str, embed_hosts: Collection[str]) -> list[Finding]:
    """Everything in a Markdown text the policy does not allow, in the order of the text."""
    if not _MAY_HOLD.search(text):
        return []
    return sorted(set(_Scan(text, load_html_policy(), tuple(embed_hosts)).run()))


class _Scan:
    """One text, read in the order python-markdown reads it: code first, raw HTML blocks, then
    Markdown's links and attribute lists, then the HTML that is left."""

    def __init__(self, text: str, policy: HtmlPolicy, hosts: tuple[str, ...]):
        self.text, self.policy, self.hosts = text, policy, hosts
        self.chars = list(text)  # the text, code blanked out as the scan goes
        self.joined: str | None = text
        self.raw: list[tuple[int, int]] = []  # raw HTML blocks: (start, end)

    def run(self) -> Iterator[Finding]:
        # Each step only where the text holds what it looks for: most texts hold few of these.
        text = self.text
        if "```" in text or "~~~" in text:
            yield from self._fenced_code()
        if "<" in text:
            self.raw = _RawBlocks.regions(self._current())
        if _INDENTED.search(text):
            self._indented_code()
        if "`" in text:
            self._code_spans()
        if "*[" in text:
            self._abbreviations()
        if "<" in text:
            yield from self._automatic_links()
        if "](" in text:
            yield from self._links()
        if "]:" in text:
            yield from self._references()
        if "{" in text:
            yield from self._attribute_lists()
        if "<" in text:
            yield from _Tags(self).findings()

    # --- the text -----------------------------------------------------------------------------

    def _current(self) -> str:
        if self.joined is None:
            self.joined = "".join(self.chars)
        return self.joined

    def _blank(self, start: int, end: int) -> None:
        self.chars[start:end] = [c if c == "\n" else " " for c in self.chars[start:end]]
        self.joined = None

    def _in_raw(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.raw)

    def _outside_raw(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """The parts of [start, end) outside raw HTML blocks."""
        for raw_start, raw_end in self.raw:
            if raw_end <= start or raw_start >= end:
                continue
            if raw_start > start:
                yield start, raw_start
            start = max(start, raw_end)
        if start < end:
            yield start, end

    # --- code --------------------------------------------------------------------------------

    def _fenced_code(self) -> Iterator[Finding]:
        """Fenced code blocks (python-markdown's own pattern); an attribute list on the fence."""
        for match in FencedBlockPreprocessor.FENCED_BLOCK_RE.finditer(self.text):
            if match.group("attrs"):
                yield from self._attribute_list(match.group("attrs"), match.start("attrs"), True)
            self._blank(match.start("code"), match.end("code"))

    def _indented_code(self) -> None:
        """Blocks indented by four spaces (a tab) after a blank line, in a block quote after its
        ``>``: code, unless they continue a list item, a footnote or a definition, where code is
        indented by eight."""
        text = self._current()
        continued = False
        for chunk in _quoted_chunks(text):
            start, first = chunk[0]
            if self._in_raw(start):
                continue
            indent = len(first.expandtabs(4)) - len(first.expandtabs(4).lstrip(" "))
            if indent < 4:
                continued = bool(_CONTINUED.match(first))
            elif not continued or indent >= 8:
                for line_start, line in chunk:
                    self._blank(line_start, line_start + len(line))

    def _code_spans(self) -> None:
        """Code spans, found as python-markdown finds them, in each paragraph. A code span that
        starts inside a tag (``<img title="`…`">``) is left: Markdown would put it, quotes and
        all, into the tag, where a browser reads it as HTML."""
        text = self._current()
        spans = _backticks()
        for chunk_start, chunk_end in _chunks(text):
            for start, end in self._outside_raw(chunk_start, chunk_end):
                part = text[start:end]
                at = 0
                while "`" in part[at:] and (match := _BACKTICK.search(part, at)):
                    # After escaped backslashes (\\`), the backtick opens a code span.
                    begin = match.end() if match.group(1) else match.start()
                    code_start, code_end = spans.find_code_spans(begin, part)
                    if code_end is None:
                        at = code_start
                        continue
                    if not _in_tag(part, begin):
                        self._blank(start + code_start, start + code_end)
                    at = code_end + (code_start - begin)

    def _abbreviations(self) -> None:
        """An abbreviation's meaning (``*[UN]: United Nations``) becomes a title: text."""
        for match in AbbrBlockprocessor.RE.finditer(self._current()):
            if not self._in_raw(match.start()):
                self._blank(match.start("title"), match.end("title"))

    # --- Markdown's links and attribute lists -------------------------------------------------

    def _automatic_links(self) -> Iterator[Finding]:
        text = self._current()
        for match in _AUTOLINK.finditer(text):
            if not self._in_raw(match.start()):
                yield from self._address(html.unescape(match.group(1)), match.start(1), "href")
                self._blank(match.start(), match.end())
        for match in _AUTOMAIL.finditer(self._current()):
            if not self._in_raw(match.start()):
                self._blank(match.start(), match.end())

    def _links(self) -> Iterator[Finding]:
        """``[text](address "title")`` and ``![text](address)``, read by python-markdown's own
        parser of what is between the parentheses, in the paragraph it is in, as Markdown does."""
        text = self._current()
        parser = _link_parser()
        for chunk_start, chunk_end in _chunks(text):
            for start, end in self._outside_raw(chunk_start, chunk_end):
                part = text[start:end]
                for match in _LINK_OPEN.finditer(part):
                    paren = match.start() + 1
                    address, _title, close, handled = parser.getLink(part, paren)
                    if not handled:
                        continue
                    where = part.find(address, paren, close) if address else -1
                    attribute = "src" if _is_image(part, match.start()) else "href"
                    value = html.unescape(address)
                    yield from self._address(value, start + max(where, paren + 1), attribute)
                    # The parentheses stay: an attribute list may follow the closing one.
                    self._blank(start + paren + 1, start + close - 1)

    def _references(self) -> Iterator[Finding]:
        """``[id]: address "title"`` (not footnotes, ``[^id]: text``)."""
        for match in ReferenceProcessor.RE.finditer(self._current()):
            if match.group(1).startswith("^") or self._in_raw(match.start()):
                continue
            address = match.group(2)
            where = match.start(2) + (1 if address.startswith("<") else 0)
            yield from self._address(html.unescape(address.lstrip("<").rstrip(">")), where, "href")
            self._blank(match.start(), match.end())

    def _attribute_lists(self) -> Iterator[Finding]:
        """``{: … }`` where python-markdown applies it: the own last line of a block, the end of
        a heading, a term or a table cell, and right after an inline element."""
        text = self._current()
        seen: set[int] = set()
        for chunk_start, chunk_end in _chunks(text):
            for start, end in self._outside_raw(chunk_start, chunk_end):
                lines = _lines(text, start, end)
                for i, (line_start, line) in enumerate(lines):
                    following = lines[i + 1][1] if i + 1 < len(lines) else ""
                    found = list(_INLINE_ATTRS.finditer(line))
                    if i == len(lines) - 1 and i > 0:
                        found += _OWN_LINE_ATTRS.finditer(line)
                    if (
                        _HEADING.match(line)
                        or following.startswith(":")
                        or (following and _SETEXT.match(following))
                    ):
                        found += _END_ATTRS.finditer(line)
                    lists = [(m.group(1), m.start(1)) for m in found]
                    if "|" in line:
                        lists += _cell_attrs(line)
                    for content, at in lists:
                        if line_start + at not in seen:
                            seen.add(line_start + at)
                            yield from self._attribute_list(content, line_start + at)

    def _attribute_list(self, content: str, offset: int, fence: bool = False) -> Iterator[Finding]:
        """The attributes of one list: only the global ones; on a fence, its language too."""
        attrs, _ = get_attrs_and_remainder(content)
        at = 0
        language = fence
        for key, value in attrs:
            # Where it is written: .class, #id, or name=value (id=… too).
            tokens = {".": [f".{value}"], "id": [f"#{value}", key]}.get(key, [key])
            found, token = next(
                ((f, t) for t in tokens if (f := content.find(t, at)) >= 0), (-1, key)
            )
            at = found + len(token) if found >= 0 else at
            if key == "." and language:  # ``` {.python}: the code's language
                language = False
                continue
            name = {".": "class"}.get(key) or sanitize_name(key).lower()
            if name not in self.policy.global_attributes:
                yield self._attribute_refused(name, offset + max(found, 0), None)

    # --- what is wrong, in words ----------------------------------------------------------------

    def _address(self, value: str, where: int, attribute: str) -> Iterator[Finding]:
        scheme = refused_scheme(value, self.policy.schemes)
        if scheme is None:
            return
        if scheme == "control character":
            yield Finding(where, "the address holds a control character", "retype it", "html-url")
            return
        what = {"href": "links", "src": "images"}.get(attribute, "addresses")
        message = f"'{scheme}:' {what} are not allowed"
        if scheme in SCRIPTS:
            message += ": articles run no scripts"
        if attribute != "src":
            hint = "link with https://, http://, mailto: or a path on this site"
        elif scheme == "data":
            hint = "save the image below content/images/ and show it with ![description](images/…)"
        else:
            hint = "show an image from https:// or from this site (images/…)"
        yield Finding(where, message, hint, "html-url")

    def _tag_refused(self, tag: str, where: int) -> Finding:
        reason, hint = self.policy.refused_tags.get(tag, ("", self.policy.default_tag_hint))
        message = f"<{tag}> is not allowed in an article" + (f": {reason}" if reason else "")
        return Finding(where, message, self._fill(hint), "html-tag")

    def _attribute_refused(self, name: str, where: int, tag: str | None) -> Finding:
        refusal = self.policy.refusal(name)
        if refusal:
            reason, hint = refusal
            return Finding(where, f"'{name}' is not allowed: {reason}", hint, "html-attribute")
        if tag is None:
            allowed = sorted(self.policy.global_attributes)
            return Finding(
                where,
                f"'{name}' is not allowed in an attribute list",
                f"an attribute list may set only {alternatives(allowed, 'and')}",
                "html-attribute",
            )
        allowed = sorted(self.policy.tags.get(tag, frozenset()) | self.policy.global_attributes)
        if tag == self.policy.embed.tag:
            allowed = sorted({*allowed, *self.policy.embed.required})
        return Finding(
            where,
            f"'{name}' is not allowed on <{tag}>",
            f"remove it; <{tag}> may have {alternatives(allowed)}",
            "html-attribute",
        )

    def _embed(self, attrs: dict[str, str | None], where: int, src_at: int) -> Iterator[Finding]:
        """An <iframe>: https, from an allowed host, with a title."""
        src, title = attrs.get("src"), attrs.get("title")
        hosts = self.hosts
        if src is None:
            yield Finding(
                where,
                "an embed needs an address (src)",
                "copy it from the service's embed code",
                "html-embed",
            )
        elif (host := embed_host(src)) is None:
            yield Finding(
                src_at,
                "an embed's address must be a plain https:// address",
                "copy it from the service's embed code",
                "html-embed",
            )
        elif host not in {h.lower() for h in hosts}:
            better = self.policy.embed.instead.get(host)
            if better in hosts:
                hint = f"use https://{better}/… instead, which {SETTING} allows"
            elif hosts:
                hint = f"embed from a host {SETTING} allows ({', '.join(hosts)}), or have "
                hint += f"{host} added to that setting"
            else:
                hint = f"{SETTING} is empty: this site allows no embeds"
            yield Finding(src_at, f"embeds from {host} are not allowed", hint, "html-embed")
        if not (title or "").strip():
            yield Finding(
                where,
                "an embed needs a title that says what it shows",
                'add title="…", e.g. title="Video: the launch on 31 May"',
                "html-embed",
            )

    def _fill(self, hint: str) -> str:
        return hint.format(setting=SETTING)


class _RawBlocks(HTMLParser):
    """Where python-markdown takes HTML as it is: from a block-level start tag at the start of
    a line (up to three spaces in) to its end tag, or to the end of the text. A block with
    ``markdown="1"`` holds Markdown (md_in_html)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.text, self.starts = text, _line_starts(text)
        self.found: list[tuple[int, int]] = []
        self.stack: list[str] = []
        self.begin = 0

    @classmethod
    def regions(cls, text: str) -> list[tuple[int, int]]:
        if not _LINE_START_TAG.search(text):
            return []
        parser = cls(text)
        parser.feed(text)
        parser.close()
        if parser.stack:
            parser.found.append((parser.begin, len(text)))
        return parser.found

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.stack:
            if tag not in VOID:
                self.stack.append(tag)
            return
        line, column = self.getpos()
        before = self.text[self.starts[line - 1] : self.starts[line - 1] + column]
        if tag not in BLOCK_LEVEL_ELEMENTS or column > 3 or before.strip():
            return
        if any(name == "markdown" for name, _ in attrs):
            return
        begin = self._offset()
        if tag in VOID:
            self.found.append((begin, begin + len(self.get_starttag_text() or "")))
        else:
            self.begin, self.stack = begin, [tag]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.stack:
            return
        while self.stack.pop() != tag:
            pass
        if not self.stack:
            end = self.text.find(">", self._offset()) + 1
            self.found.append((self.begin, end or len(self.text)))


class _Tags(HTMLParser):
    """The HTML left in the text, against the policy."""

    def __init__(self, scan: _Scan):
        super().__init__(convert_charrefs=False)
        self.scan, self.policy = scan, scan.policy
        self.text = scan._current()
        self.starts = _line_starts(self.text)
        self.found: list[Finding] = []
        self.open: list[tuple[str, int]] = []  # tags that need an end tag, and where they start
        # Inside a refused element that goes with its content (<svg>, <math>…): its name and
        # depth. What it holds goes too, and is not reported again.
        self.inside: tuple[str, int] | None = None

    def findings(self) -> list[Finding]:
        if "<" in self.text:
            self.feed(self.text)
            self.close()
        self.found += [
            Finding(
                at,
                f"<{tag}> is not closed",
                f"close it with </{tag}>; an open tag spills onto the rest of the page",
                "html-unclosed",
            )
            for tag, at in self.open
        ]
        return self.found

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.inside:
            name, depth = self.inside
            self.inside = (name, depth + (tag == name))
            return
        at = self._offset()
        if not self.policy.allows_tag(tag):
            self.found.append(self.scan._tag_refused(tag, at))
            if tag in self.policy.removed_with_content and tag not in VOID:
                self.inside = (tag, 1)
            return
        offsets = _attribute_offsets(self.get_starttag_text() or "")
        allowed = self.policy.attributes(tag)
        embed = tag == self.policy.embed.tag
        where: dict[str, int] = {}  # the first of each name: the one a browser keeps
        for i, (name, value) in enumerate(attrs):
            position = at + (offsets[i] if i < len(offsets) else 0)
            where.setdefault(name, position)
            embedded = embed and name == "src"  # checked below, as an embed
            if name not in allowed:
                self.found.append(self.scan._attribute_refused(name, position, tag))
            elif name in self.policy.url_attributes and value is not None and not embedded:
                self.found += self.scan._address(value, position, name)
        if embed:
            values = dict(reversed(attrs))  # the first of each name counts
            self.found += self.scan._embed(values, at, where.get("src", at))
        if tag not in VOID and tag not in END_OPTIONAL:
            self.open.append((tag, at))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # <b/> opens a <b> in a browser, which ignores the /

    def handle_endtag(self, tag: str) -> None:
        if self.inside:
            name, depth = self.inside
            self.inside = None if (tag == name and depth == 1) else (name, depth - (tag == name))
            return
        if any(name == tag for name, _ in self.open):
            while self.open.pop()[0] != tag:
                pass

    def handle_comment(self, data: str) -> None:
        self._comment(self._offset())

    def handle_decl(self, decl: str) -> None:
        self._declaration(self._offset())

    def unknown_decl(self, data: str) -> None:
        self._declaration(self._offset())

    def handle_pi(self, data: str) -> None:
        self._declaration(self._offset())

    def handle_data(self, data: str) -> None:
        if self.inside:
            return
        # What the tokenizer leaves as text but a browser may not: <!-->, an unclosed <!--.
        for match in re.finditer(r"<!--|<![A-Za-z\[]|<\?", data):
            if match.group() == "<!--":
                self._comment(self._offset() + match.start())
            else:
                self._declaration(self._offset() + match.start())

    def _comment(self, at: int) -> None:
        if self.inside:
            return
        self.found.append(
            Finding(
                at,
                "HTML comments are not allowed in an article",
                "they would be removed when published: keep notes for colleagues outside the text",
                "html-comment",
            )
        )

    def _declaration(self, at: int) -> None:
        if self.inside:
            return
        self.found.append(
            Finding(
                at,
                "markup declarations (<!…>, <?…>) are not allowed in an article",
                "remove it",
                "html-tag",
            )
        )


# --- helpers ---------------------------------------------------------------------------------


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer("\n", text))]


def _lines(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """The lines of text[start:end], each with the offset it starts at."""
    out, at = [], start
    for line in text[start:end].split("\n"):
        out.append((at, line))
        at += len(line) + 1
    return out


def _chunks(text: str) -> Iterator[tuple[int, int]]:
    """Runs of lines that are not blank (Markdown's blocks, roughly): (start, end) offsets."""
    start = None
    at = 0
    for line in text.split("\n"):
        if _BLANK_LINE.match(line):
            if start is not None:
                yield start, at - 1
                start = None
        elif start is None:
            start = at
        at += len(line) + 1
    if start is not None:
        yield start, len(text)


def _quoted_chunks(text: str) -> Iterator[list[tuple[int, str]]]:
    """The blocks of a text, block quotes' ``>`` taken off: for each block, its lines as (where
    the line's text starts, the text). A blank line, or a change of quote depth, ends a block."""
    chunk: list[tuple[int, str]] = []
    depth = 0
    at = 0
    for line in text.split("\n"):
        prefix = _QUOTE.match(line).group()  # type: ignore[union-attr]
        content = line[len(prefix) :]
        level = prefix.count(">")
        if not content.strip() or (chunk and level and level != depth):
            if chunk:
                yield chunk
            chunk = []
        if content.strip():
            if not chunk:
                depth = level
            chunk.append((at + len(prefix), content))
        at += len(line) + 1
    if chunk:
        yield chunk


def _in_tag(text: str, at: int) -> bool:
    """Whether ``at`` is inside a start or end tag begun before it on the same paragraph."""
    opening = text.rfind("<", 0, at)
    return opening > text.rfind(">", 0, at) and bool(re.match(r"</?[A-Za-z]", text[opening:]))


def _cell_attrs(line: str) -> Iterator[tuple[str, int]]:
    """Attribute lists at the end of a table row's cells: (the list, where it starts)."""
    at = 0
    for cell in line.split("|"):
        match = _END_ATTRS.search(cell)
        if match:
            yield match.group(1), at + match.start(1)
        at += len(cell) + 1


def _is_image(text: str, bracket: int) -> bool:
    """Whether the ``]`` at ``bracket`` closes the text of an image (``![…]``)."""
    depth = 0
    for i in range(bracket, -1, -1):
        if text[i] == "]":
            depth += 1
        elif text[i] == "[":
            depth -= 1
            if depth == 0:
                return i > 0 and text[i - 1] == "!"
    return False


def _attribute_offsets(tag_text: str) -> list[int]:
    """Where each attribute's name starts in a start tag's text, found as html.parser finds the
    attributes (with its own patterns), so the offsets pair with its list of attributes."""
    match = tagfind_tolerant.match(tag_text, 1)
    if match is None:
        return []
    out, k = [], match.end()
    while k < len(tag_text):
        found = attrfind_tolerant.match(tag_text, k)
        if not found:
            break
        out.append(found.start(1))
        k = found.end()
    return out


@cache
def _backticks() -> BacktickInlineProcessor:
    return BacktickInlineProcessor(BACKTICK_RE)


class _LinkParser(LinkInlineProcessor):
    """python-markdown's reading of ``(address "title")``, on the file's own text."""

    def unescape(self, text: str) -> str:
        return text  # the text holds none of python-markdown's placeholders


@cache
def _link_parser() -> LinkInlineProcessor:
    return _LinkParser(LINK_RE)
