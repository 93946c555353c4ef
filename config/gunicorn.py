"""The production server: `gunicorn -c config/gunicorn.py config.asgi:application` (docs/adr/0053).

gunicorn starts `WEB_CONCURRENCY` uvicorn worker processes (default: one per CPU this process may use)
on one port, `PORT` (8000), for HTTP and websockets alike; it restarts a worker that dies or stops
answering. Settings come from the environment so the Dockerfile, compose and the Helm chart run the
same command.
"""

import os

bind = f"{os.environ.get('BIND_HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"  # noqa: S104 - a container's port
workers = int(os.environ.get("WEB_CONCURRENCY") or len(os.sched_getaffinity(0)))
worker_class = "config.asgi_worker.HypexUvicornWorker"
# A worker that has not told the arbiter it is alive for this long is restarted (a stuck event loop).
timeout = int(os.environ.get("WEB_WORKER_TIMEOUT", "60"))
# On SIGTERM (a pod being replaced) workers finish what they serve for this long, then stop.
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT", "25"))
keepalive = 5  # seconds an idle keep-alive connection from nginx stays open
# Hypex writes one JSON access line per request itself (logger ops.access, docs/adr/0035).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("WEB_LOG_LEVEL", "warning")
# Each worker imports the application itself, after the fork: no connection or thread crosses it.
preload_app = False
# Each worker binds the port itself with SO_REUSEPORT, and the kernel spreads new connections over the
# workers. On one shared socket, a worker's event loop accepted every waiting connection when it woke: a
# burst of keep-alive connections (nginx's pool) could all land on one worker and stay there.
reuse_port = True


def on_starting(server) -> None:
    """Before the workers bind: a port another process holds is refused, as it is without SO_REUSEPORT
    (ops/server_port.py)."""
    import config.pythonpath  # noqa: F401,PLC0415 - platform/ on sys.path
    from ops.server_port import refuse_taken_addresses  # noqa: PLC0415

    try:
        refuse_taken_addresses(server.cfg.address)
    except OSError as error:
        server.log.error("%s", error.strerror or error)
        raise SystemExit(1) from None


def post_worker_init(worker) -> None:
    """After a worker loads the application, before it serves: pay the first request's costs, then take
    the start-up objects out of the garbage collector's full passes (config/warmup.py)."""
    from config.warmup import freeze_startup_objects, warm_up  # noqa: PLC0415 - read before Django is set up

    warm_up()
    freeze_startup_objects()
