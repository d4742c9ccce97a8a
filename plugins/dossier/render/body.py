"""Render stage, an article's text: Markdown to HTML, and the HTML through the sanitiser.

Markdown is rendered with Pelican's ``MARKDOWN`` setting, read as Pelican's own Markdown reader
reads it (``markdown_options``). The HTML then goes through nh3, the Python binding of the Rust
sanitiser Ammonia, which parses HTML as browsers do (html5ever) and writes back only what
``data/html_policy.yaml`` allows: the tags and attributes an editor may write; those Markdown
writes, with the values it writes; addresses with an allowed scheme; embeds from a host
``DOSSIER_EMBED_HOSTS`` lists, with Dossier's sandbox, referrer policy and lazy loading; no
comment. ``dossier check`` has refused everything else already, so this changes nothing in a
text that passed it; it is the second line, for what the check reads differently from Markdown.
What it removes anyway is returned (``Body.removed``), for the build to warn about.

The sanitiser writes the HTML anew: entities become the characters they stand for (``&ndash;``
is written ``–``), attribute values are always quoted, open tags are closed at the end of the
text. What a reader sees stays the same.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import nh3
from markdown import Markdown

from dossier.data.html_policy import HtmlPolicy, embed_allowed, load_html_policy


def markdown_options(configured: Mapping[str, Any]) -> dict[str, Any]:
    """Pelican's ``MARKDOWN`` setting as python-markdown's arguments: as in Pelican's own Markdown
    reader, every extension ``extension_configs`` configures is loaded too."""
    options = dict(configured)
    extensions = list(options.get("extensions", []))
    extensions += [name for name in options.get("extension_configs", {}) if name not in extensions]
    return options | {"extensions": extensions}


@dataclass(frozen=True)
class Body:
    html: str
    removed: list[str]  # what the sanitiser took out: "<script>", "'onclick' on <p>"…


class Sanitiser:
    """The policy as nh3's cleaner, made once per build: ``clean`` a rendered text."""

    def __init__(self, embed_hosts: Collection[str], policy: HtmlPolicy | None = None):
        self.policy = policy = policy or load_html_policy()
        self.hosts = frozenset(host.lower() for host in embed_hosts)
        tags = set(policy.tags) | policy.markdown_tags
        self._cleaner = nh3.Cleaner(
            tags=tags,
            clean_content_tags=set(policy.removed_with_content - tags),
            attributes={"*": set(policy.global_attributes)}
            | {tag: set(policy.kept(tag)) for tag in tags},
            attribute_filter=self._attribute,
            strip_comments=True,
            link_rel=None,  # links stay as written: no target is ever allowed
            url_schemes=set(policy.schemes),
            set_tag_attribute_values={policy.embed.tag: dict(policy.embed.set)},
        )

    def clean(self, html: str) -> str:
        return self._cleaner.clean(html)

    def _attribute(self, tag: str, name: str, value: str) -> str | None:
        """One attribute the cleaner kept by its name: its value, or None to drop it."""
        policy, embed = self.policy, self.policy.embed
        if tag == embed.tag and name in embed.set:
            return value  # Dossier's own value, set by the cleaner
        if name not in policy.kept(tag):
            return None
        if tag == embed.tag and name == "src":
            return value if embed_allowed(value, self.hosts) else None
        if name in policy.url_attributes and not policy.url_allowed(value):
            return None  # cite, which the cleaner does not check; href and src again
        pattern = policy.markdown_attributes.get(tag, {}).get(name)
        if pattern is not None and name not in policy.tags.get(tag, ()):
            return value if pattern.fullmatch(value) else None
        return value


def render_body(text: str, markdown: Markdown, sanitiser: Sanitiser) -> Body:
    """An article's Markdown as the HTML its page shows, and what the sanitiser removed."""
    rendered = markdown.reset().convert(text)
    html = sanitiser.clean(rendered)
    if html == rendered:  # as most texts come out: nothing to look for
        return Body(html, [])
    return Body(html, removed(rendered, html, sanitiser.policy))


def removed(before: str, after: str, policy: HtmlPolicy) -> list[str]:
    """What is in ``before`` and not in ``after``: tags, attributes and comments, in the order
    they first appear. The attributes of embeds the policy drops silently are not named."""
    was, now = _Inventory.of(before), _Inventory.of(after)
    quiet = {f"'{name}' on <{policy.embed.tag}>" for name in policy.embed.ignored}
    return [item for item, count in was.items() if count > now[item] and item not in quiet]


class _Inventory(HTMLParser):
    """How often each tag, each tag's attribute, comments and declarations occur in some HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.items: Counter[str] = Counter()

    @classmethod
    def of(cls, html: str) -> Counter[str]:
        inventory = cls()
        inventory.feed(html)
        inventory.close()
        return inventory.items

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items[f"<{tag}>"] += 1
        for name, _ in attrs:
            self.items[f"'{name}' on <{tag}>"] += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self.items["an HTML comment"] += 1

    def handle_decl(self, decl: str) -> None:
        self.items["a markup declaration"] += 1

    def unknown_decl(self, data: str) -> None:
        self.items["a markup declaration"] += 1

    def handle_pi(self, data: str) -> None:
        self.items["a markup declaration"] += 1
