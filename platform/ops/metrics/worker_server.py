"""`/metrics` for processes that serve no HTTP (huey workers and the scheduler): a small WSGI server on
`METRICS_PORT`, in a daemon thread, with the same access rule as the web endpoint. It leaves out the
scrape-time collectors that read the database: the web processes report those once."""

from __future__ import annotations

import logging
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.conf import settings

from .access import metrics_access_allowed
from .exposition import metrics_render

logger = logging.getLogger("ops.metrics")


def _headers(environ) -> dict[str, str]:
    headers = {key[5:].replace("_", "-").lower(): value for key, value in environ.items() if key.startswith("HTTP_")}
    return headers


def metrics_wsgi_app(environ, start_response):
    allowed = metrics_access_allowed(
        peer=environ.get("REMOTE_ADDR"),
        headers=_headers(environ),
        token=settings.METRICS_TOKEN,
        networks=settings.METRICS_ALLOWED_NETWORKS_PARSED,
    )
    if not allowed or environ.get("PATH_INFO") != "/metrics" or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"Not Found"]
    body, content_type = metrics_render(scrape_time=False)
    start_response("200 OK", [("Content-Type", content_type), ("Cache-Control", "no-store")])
    return [body]


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - scrapes every 15 s would flood the log
        pass


def metrics_server_start(*, port: int, host: str = "0.0.0.0") -> WSGIServer:  # noqa: S104 - pods scrape by IP
    server = make_server(host, port, metrics_wsgi_app, server_class=_ThreadingServer, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="metrics-server", daemon=True).start()
    logger.info("metrics served on port %s", server.server_port)
    return server
