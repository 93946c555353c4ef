"""The production server (docs/adr/0053): gunicorn runs `WEB_CONCURRENCY` uvicorn worker processes
(`config/gunicorn.py`), each serving HTTP and websockets on the one port. In each process Django's
HTTP requests run on a pool of `HTTP_THREADS` threads (`ops.asgi_http`); with the websockets' database
threads (`WEBSOCKET_DB_THREADS`) they must fit in `DATABASE_POOL_MAX_SIZE` (`hypex.E011`)."""

from config.env import env_int

HTTP_THREADS = env_int("HTTP_THREADS", 2)
