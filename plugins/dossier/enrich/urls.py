"""Every URL the site has, from the patterns in the settings (directory-style: ``…/slug/``).

``url`` values are relative to the site root, as Pelican's are (``de/akteure/kim-jong-un/``);
``href`` turns one into a link (SITEURL + url) and ``absolute`` into the canonical address
(DOSSIER_SITE_URL + url), which JSON-LD, canonical links and feeds need.
"""

from __future__ import annotations

from dossier.data import load_kinds, load_languages
from dossier.resolve.model import Article, Entity
from dossier.schemas import former_front_matter, parse_datetime
from dossier.settings import DossierSettings

# The folder below the output where Pagefind writes its index and UI (publish.index_for_search).
SEARCH_BUNDLE = "pagefind"


class Urls:
    def __init__(self, settings: DossierSettings):
        self.links = settings.links_url.rstrip("/")
        self.site = settings.site_url.rstrip("/")
        self.patterns = {
            "article": settings.article_url,
            "entity": settings.entity_url,
            "kind": settings.kind_url,
            "home": settings.home_url,
            "id": settings.id_url,
            "entity_page": settings.entity_page_url,
            "by_activity": settings.kind_by_activity_url,
            "hub": settings.hub_url,
            "feed": settings.feed_url,
            "entity_feed": settings.entity_feed_url,
            "search": settings.search_url,
        }
        self.words = load_languages()
        self.segments = {kind: words["path"] for kind, words in load_kinds().items()}
        self._articles: dict[Article, str] = {}  # every listing, feed and graph links articles

    def article(self, article: Article) -> str:
        url = self._articles.get(article)
        if url is None:
            url = self.patterns["article"].format_map({**article.data, "date": article.date})
            self._articles[article] = url
        return url

    def former_articles(self, article: Article) -> list[str]:
        """The addresses the article's page had before ``dossier move`` moved it (its
        ``formerly``); each redirects to the page's address now."""
        found = []
        for former in article.data.get("formerly", ()):
            then = former_front_matter(article.data, former)
            if then is not None:  # check reports the item that is not
                values = {**then, "date": parse_datetime(then["date"])}
                found.append(self.patterns["article"].format_map(values))
        return found

    def entity(self, entity: Entity, lang: str, page: int = 1) -> str:
        """A topic page; ``page`` 2 and on are the later pages of a long timeline."""
        return self.topic(entity.kind, entity.id, lang, page)

    def topic(self, kind: str, entity_id: str, lang: str, page: int = 1) -> str:
        """The topic page of an id of a kind, also of one that no entry has any longer."""
        segment = self.segments[kind][lang]
        pattern = self.patterns["entity" if page == 1 else "entity_page"]
        return pattern.format(lang=lang, kind=segment, id=entity_id, page=page)

    def kind_by_activity(self, kind: str, lang: str) -> str:
        return self.patterns["by_activity"].format(
            lang=lang, kind=self.segments[kind][lang], by_activity=self.words[lang]["by_activity"]
        )

    def hub(self, lang: str) -> str:
        return self.patterns["hub"].format(lang=lang)

    def search(self, lang: str) -> str:
        """The search page of a language; ``{search}`` is its segment in languages.yaml."""
        return self.patterns["search"].format(lang=lang, search=self.words[lang]["search"])

    def search_bundle(self, file: str = "") -> str:
        """A file of the Pagefind bundle: the index and its UI, written beside the pages."""
        return f"{SEARCH_BUNDLE}/{file}"

    def feed(self, lang: str, ext: str) -> str:
        """The site's feed in one language: ext ``xml`` is Atom, ``json`` JSON Feed 1.1."""
        return self.patterns["feed"].format(lang=lang, ext=ext)

    def entity_feed(self, entity: Entity, lang: str, ext: str) -> str:
        segment = self.segments[entity.kind][lang]
        return self.patterns["entity_feed"].format(lang=lang, kind=segment, id=entity.id, ext=ext)

    def kind(self, kind: str, lang: str) -> str:
        return self.patterns["kind"].format(lang=lang, kind=self.segments[kind][lang])

    def home(self, lang: str) -> str:
        return self.patterns["home"].format(lang=lang)

    def iri(self, entity: Entity) -> str:
        """The entity's @id: one IRI for every page and both languages."""
        return self.absolute(self.patterns["id"].format(kind=entity.kind, id=entity.id))

    def href(self, url: str) -> str:
        return f"{self.links}/{url}"

    def absolute(self, url: str) -> str:
        return f"{self.site}/{url}"


def save_as(url: str) -> str:
    """Where a directory-style URL is written: ``de/orte/`` -> ``de/orte/index.html``."""
    return f"{url}index.html" if url == "" or url.endswith("/") else url
