"""The HTML an article's text may hold (``html_policy.yaml``) as one object, which the check
(``validate/body.py``) and the sanitiser (``render/body.py``) share; and the reading of an
address both make, as a browser reads it.

A browser strips spaces and control characters around an address, drops tabs and newlines
inside it and decodes entities in an attribute's value before it looks at the scheme: ``
jav&#x61;script:`` and ``java<TAB>script:`` are ``javascript:`` to it, and so they are here.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from dossier.data import load

# Stripped around an address by a browser: the C0 controls and the space (the URL standard).
_AROUND = "".join(chr(c) for c in range(0x21))
_INSIDE = re.compile(r"[\t\n\r]")  # removed anywhere in an address
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")


@dataclass(frozen=True)
class Embed:
    """What an embedded player, map or chart must have, and what Dossier sets on it."""

    tag: str
    required: tuple[str, ...]
    set: Mapping[str, str]  # attribute -> value, whatever the text says
    ignored: frozenset[str]  # written by services' embed codes: not reported, dropped
    instead: Mapping[str, str]  # a host -> the host of the same service to use instead


@dataclass(frozen=True)
class HtmlPolicy:
    schemes: frozenset[str]
    url_attributes: frozenset[str]
    global_attributes: frozenset[str]
    tags: Mapping[str, frozenset[str]]  # what editors may write, with attributes
    markdown_tags: frozenset[str]
    markdown_attributes: Mapping[str, Mapping[str, re.Pattern[str]]]  # tag -> attribute -> value
    consumed: frozenset[str]  # read and removed by Markdown (markdown="1")
    embed: Embed
    removed_with_content: frozenset[str]
    refused_tags: Mapping[str, tuple[str, str]]  # tag -> (reason, hint)
    refused_attributes: Mapping[str, tuple[str, str]]  # attribute ('on*': any handler)
    default_tag_hint: str

    def allows_tag(self, tag: str) -> bool:
        return tag in self.tags or tag in self.markdown_tags

    def attributes(self, tag: str) -> frozenset[str]:
        """The attributes an editor may write on ``tag`` (Dossier's own on an embed included)."""
        own = self.tags.get(tag, frozenset())
        if tag == self.embed.tag:
            own |= set(self.embed.required) | set(self.embed.set) | self.embed.ignored
        return own | self.global_attributes | self.consumed

    def kept(self, tag: str) -> frozenset[str]:
        """The attributes the sanitiser keeps on ``tag``, from an editor or from Markdown."""
        own = self.tags.get(tag, frozenset()) | set(self.markdown_attributes.get(tag, {}))
        if tag == self.embed.tag:
            own |= set(self.embed.required)
        return own | self.global_attributes

    def refusal(self, attribute: str) -> tuple[str, str] | None:
        """Why an attribute is never allowed, and what to do instead; None for no special word."""
        if attribute.startswith("on"):
            return self.refused_attributes["on*"]
        return self.refused_attributes.get(attribute)

    def url_allowed(self, value: str) -> bool:
        return refused_scheme(value, self.schemes) is None


@cache
def load_html_policy() -> HtmlPolicy:
    data = load("html_policy")
    markdown, embed, refused = data["markdown"], data["embed"], data["refused"]
    return HtmlPolicy(
        schemes=frozenset(data["schemes"]),
        url_attributes=frozenset(data["url_attributes"]),
        global_attributes=frozenset(data["global_attributes"]),
        tags={tag: frozenset(names) for tag, names in data["tags"].items()},
        markdown_tags=frozenset(markdown["tags"]),
        markdown_attributes={
            tag: {name: re.compile(value) for name, value in names.items()}
            for tag, names in markdown["attributes"].items()
        },
        consumed=frozenset(markdown["consumed"]),
        embed=Embed(
            tag=embed["tag"],
            required=tuple(embed["required"]),
            set=dict(embed["set"]),
            ignored=frozenset(embed["ignored"]),
            instead=dict(embed.get("instead", {})),
        ),
        removed_with_content=frozenset(data["removed_with_content"]),
        refused_tags={tag: tuple(words) for tag, words in refused["tags"].items()},
        refused_attributes={name: tuple(words) for name, words in refused["attributes"].items()},
        default_tag_hint=refused["default_tag"],
    )


def browser_url(value: str) -> str:
    """An address as a browser reads it: spaces and control characters around it stripped, tabs
    and newlines inside it removed. (Entities are decoded before: by the HTML tokenizer in an
    attribute, by the caller for a Markdown link.)"""
    return _INSIDE.sub("", value.strip(_AROUND))


def refused_scheme(value: str, schemes: Collection[str]) -> str | None:
    """Why a browser would not get a safe address from ``value``: its scheme, when it is not one
    of ``schemes`` (``javascript``, ``data``…); ``"control character"`` when one is left inside,
    where browsers have disagreed on what it means. None for an allowed scheme or a relative
    address."""
    url = browser_url(value)
    if _CONTROL.search(url):
        return "control character"
    match = _SCHEME.match(url)
    if match is None:
        return None
    scheme = match.group(1).lower()
    return None if scheme in schemes else scheme


def embed_host(value: str) -> str | None:
    """The host an embed's address loads from, when it is a plain https address: no user name,
    port, backslash, space or control character, which browsers and Python read differently.
    None otherwise."""
    url = browser_url(value)
    if not url.lower().startswith("https://") or re.search(r"[\\\s\x00-\x1f\x7f]", url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = parts.hostname
    if not host or parts.netloc.lower() != host:  # a user name or a port
        return None
    return host


def embed_allowed(value: str, hosts: Collection[str]) -> bool:
    return embed_host(value) in {h.lower() for h in hosts}
