"""An audit of HTML a reader would get: everything in it the HTML policy does not allow."""

from __future__ import annotations

from collections.abc import Collection
from html.parser import HTMLParser

from dossier.data.html_policy import embed_allowed, load_html_policy, refused_scheme


def unsafe(html: str, embed_hosts: Collection[str]) -> list[str]:
    """What in ``html`` the policy does not allow: tags, attributes (event handlers above all),
    addresses, embeds from other hosts or with another sandbox, comments. [] when it is safe."""
    audit = _Audit(embed_hosts)
    audit.feed(html)
    audit.close()
    return audit.problems


class _Audit(HTMLParser):
    def __init__(self, embed_hosts: Collection[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.policy, self.hosts = load_html_policy(), embed_hosts
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        policy, embed = self.policy, self.policy.embed
        if not policy.allows_tag(tag):
            self.problems.append(f"<{tag}>")
        values = dict(attrs)
        for name, value in attrs:
            dossiers = tag == embed.tag and name in embed.set
            if name.startswith("on") or (name not in policy.kept(tag) and not dossiers):
                self.problems.append(f"{name} on <{tag}>")
            elif (
                value is not None
                and name in policy.url_attributes
                and refused_scheme(value, policy.schemes) is not None
            ):
                self.problems.append(f"{name}={value!r} on <{tag}>")
            pattern = policy.markdown_attributes.get(tag, {}).get(name)
            if pattern and name not in policy.tags.get(tag, ()) and not pattern.fullmatch(value):
                self.problems.append(f"{name}={value!r} on <{tag}>")
        if tag == embed.tag:
            src = values.get("src")
            if src is not None and not embed_allowed(src, self.hosts):
                self.problems.append(f"embed from {src!r}")
            for name, value in embed.set.items():
                if values.get(name) != value:
                    self.problems.append(f"{name}={values.get(name)!r} on <{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self.problems.append("a comment")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("a declaration")

    def unknown_decl(self, data: str) -> None:
        self.problems.append("a declaration")

    def handle_pi(self, data: str) -> None:
        self.problems.append("a processing instruction")
