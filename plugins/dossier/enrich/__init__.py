"""Enrich: the site model to the plain data every page and file is made of.

``context`` holds what one build's views share; ``urls`` every address; ``jsonld`` the schema.org
graph, one piece per node type; ``pages`` the views of article, home, search and other pages;
``topic_pages`` those of topic pages, kind indexes and the hub; ``feeds`` and ``sitemaps`` their
files' data and bytes. Pure functions returning dicts, lists and dataclasses.
"""
