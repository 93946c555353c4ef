"""The gunicorn worker class of the production server (`config/gunicorn.py`, docs/adr/0053): uvicorn,
serving `config.asgi:application` (HTTP and websockets) in each worker process.

- No proxy headers: uvicorn would rewrite the client address from X-Forwarded-For. Hypex reads the
  forwarded headers itself, trusting `TRUSTED_PROXY_COUNT` hops (docs/adr/0027).
- No `server` header (it names the software and its version), no lifespan events (Django has none).
- Websocket messages are capped at 1 MiB (uvicorn's default is 16 MiB); the consumers cap frames far
  lower themselves.
"""

from uvicorn_worker import UvicornWorker


class HypexUvicornWorker(UvicornWorker):
    CONFIG_KWARGS = {
        "loop": "auto",
        "http": "auto",
        "proxy_headers": False,
        "server_header": False,
        "lifespan": "off",
        "ws_max_size": 1024 * 1024,
    }
