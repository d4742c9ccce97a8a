"""Read: content files to plain data, with the line and column of every value kept beside it.

``source`` reads one article or registry file into a ``Document`` (never raising: every problem
becomes a diagnostic on it); ``corpus`` finds every file of the content folder and reads it;
``images`` reads the size of the images the pages show; ``check_cache`` remembers, by content,
what unchanged files read and validated to.
"""
