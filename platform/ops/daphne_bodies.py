"""Request bodies reach Django untouched under daphne (docs/adr/0029).

Daphne builds its requests on Twisted's `http.Request`, which by default also parses every
`multipart/form-data` POST body itself, in memory, before the application sees it. A body Twisted
cannot parse (an empty or cut-short multipart, a wrong boundary) gets a bare `400 Bad Request` with no
headers and no body, and the connection is dropped: the API's error format never answers, and every
upload is held in memory once more for arguments daphne never reads (it hands the raw body to ASGI).

`keep_bodies_for_django()` turns Twisted's form parsing off for daphne's requests, so Django parses
the body (spooling large uploads to disk) and a malformed one answers 400 `parse_error` in the error
format. It is called by `config.asgi` and does nothing when daphne is not the server: daphne (its
command line, or `runserver`'s command) has loaded its HTTP protocol before it loads the application,
and the production server (gunicorn + uvicorn) need not import daphne and Twisted at all (docs/adr/0038).
"""

from __future__ import annotations

import functools
import sys


def keep_bodies_for_django() -> bool:
    """Make daphne's requests skip Twisted's form parsing. True when daphne serves (idempotent)."""
    daphne_http = sys.modules.get("daphne.http_protocol")
    if daphne_http is None:  # another ASGI server: nothing parses the body before Django
        return False
    WebRequest = daphne_http.WebRequest  # noqa: N806 - the class, named as daphne names it
    if getattr(WebRequest.__init__, "keeps_bodies_for_django", False):
        return True
    original_init = WebRequest.__init__

    @functools.wraps(original_init)
    def init_without_form_parsing(self, *args, **kwargs):
        kwargs.setdefault("parsePOSTFormSubmission", False)
        original_init(self, *args, **kwargs)

    init_without_form_parsing.keeps_bodies_for_django = True
    WebRequest.__init__ = init_without_form_parsing
    return True
