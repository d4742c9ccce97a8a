"""Production settings: the sample settings with absolute links."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: F403
from pelicanconf import DOSSIER_SITE_URL

SITEURL = DOSSIER_SITE_URL
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = False  # the build swaps a complete new folder in instead
