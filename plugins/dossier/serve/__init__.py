"""``dossier serve``: the site while it is edited, rendered from the model in memory.

``live`` keeps the model and follows changes, ``watch`` sees them, ``http`` answers the browser,
``events`` tells open pages to reload, ``inject`` adds the reload script and the problems'
overlay to the pages served (and to no built page).
"""

from dossier.serve.http import Served, server
from dossier.serve.live import Live
from dossier.serve.watch import follow

__all__ = ["Live", "Served", "follow", "server"]
