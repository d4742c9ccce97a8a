"""Render: what the Jinja templates of ``theme/`` use to format the views, besides the views
themselves: UI strings from the gettext catalogues, and dates and numbers in each language."""
