"""Pelican settings for the sample site. Dossier's own settings carry the DOSSIER_ prefix and are
documented in docs/settings.md."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent

SITENAME = "Dossier"
# Where links point. Empty while developing, so `make serve` works on localhost.
SITEURL = ""
# The site's canonical address: JSON-LD @ids, canonical and hreflang links use it.
DOSSIER_SITE_URL = "https://dossier.example"
DOSSIER_PUBLISHER = {
    "name": "Dossier",
    "logo": "images/dossier-logo.png",  # below PATH; square, at least 112 pixels
    "same_as": [],
}
# Shown by search engines and social networks for articles without an image of their own:
# 16:9, 4:3 and 1:1, each at least 1200 pixels wide (Google's guidance for article images).
DOSSIER_DEFAULT_IMAGES = [
    "images/dossier-default-16x9.png",
    "images/dossier-default-4x3.png",
    "images/dossier-default-1x1.png",
]

PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
DOSSIER_REGISTRY_PATH = "entities"
DOSSIER_SCHEMA_PATH = str(ROOT / "schema")

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["dossier"]
THEME = "theme"
THEME_STATIC_DIR = "theme"
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}

TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "de"
ARTICLE_TRANSLATION_ID = "slug"

# Directory-style URLs: every page is …/index.html, its URL ends in a slash.
ARTICLE_URL = "{lang}/{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
ARTICLE_LANG_URL = ARTICLE_URL
ARTICLE_LANG_SAVE_AS = ARTICLE_SAVE_AS
DOSSIER_ENTITY_URL = "{lang}/{kind}/{id}/"
DOSSIER_KIND_URL = "{lang}/{kind}/"
DOSSIER_HOME_URL = "{lang}/"
DOSSIER_ID_URL = "id/{kind}/{id}"
DOSSIER_ENTITY_PAGE_URL = "{lang}/{kind}/{id}/{page}/"  # page 2 and on of a long timeline
DOSSIER_KIND_BY_ACTIVITY_URL = "{lang}/{kind}/{by_activity}/"  # the index, most active first
DOSSIER_HUB_URL = "{lang}/dossiers/"  # every kind, with its most active entities
DOSSIER_SEARCH_URL = "{lang}/{search}/"  # full-text search; {search}: suche, search
DOSSIER_FEED_URL = "{lang}/feed.{ext}"  # ext: xml (Atom) or json (JSON Feed 1.1)
DOSSIER_ENTITY_FEED_URL = "{lang}/{kind}/{id}/feed.{ext}"
DOSSIER_TIMELINE_PAGE_SIZE = 20  # articles per topic page
# The time "now" for the Google News sitemap (articles of the last two days). None: the time of
# the build; an ISO 8601 date-time with offset fixes it (tests, reproducible builds). The
# SOURCE_DATE_EPOCH environment variable, when set, wins.
DOSSIER_NOW = None

# Pelican's own listings are replaced by Dossier's per-language pages; drafts are never written.
DIRECT_TEMPLATES = []
DRAFT_SAVE_AS = DRAFT_LANG_SAVE_AS = DRAFT_URL = DRAFT_LANG_URL = ""
PAGE_SAVE_AS = "{lang}/{slug}/index.html"
PAGE_URL = PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = PAGE_SAVE_AS
AUTHOR_SAVE_AS = CATEGORY_SAVE_AS = TAG_SAVE_AS = ""
ARCHIVES_SAVE_AS = AUTHORS_SAVE_AS = CATEGORIES_SAVE_AS = TAGS_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None

# Dossier's caches: the check cache, the articles' rendered texts (a folder per build version:
# a change of Dossier's code, the settings or the rendering libraries starts a new one) and the
# manifest of each published output folder.
CACHE_PATH = "cache"

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.smarty": {"smart_quotes": False},
    },
    "output_format": "html5",
}

# The byline `dossier new article` writes when no --author is given: ids of registry authors.
DOSSIER_DEFAULT_AUTHORS = ["dossier-desk"]
