"""`hypex.E011`: the HTTP thread pool of a process (`HTTP_THREADS`, ops.asgi_http) must be at least 1
and, with the database pool on, it and the websockets' database threads (`WEBSOCKET_DB_THREADS`,
apibase.websocket_db) must fit in `DATABASE_POOL_MAX_SIZE`: every one of those threads may hold a
connection at the same time (docs/adr/0053, 0059, 0028)."""

from django.conf import settings
from django.core.checks import Error, register


@register("server")
def check_http_threads_fit_the_database_pool(app_configs=None, **kwargs) -> list[Error]:
    threads = settings.HTTP_THREADS
    if threads < 1:
        return [Error(f"HTTP_THREADS is {threads}: a process needs at least one.", id="hypex.E011")]
    pool = settings.DATABASES["default"].get("OPTIONS", {}).get("pool")
    websocket_threads = settings.WEBSOCKET_DB_THREADS
    if isinstance(pool, dict) and threads + websocket_threads > pool.get("max_size", 10):
        return [
            Error(
                f"HTTP_THREADS ({threads}) and WEBSOCKET_DB_THREADS ({websocket_threads}) need more connections "
                f"than DATABASE_POOL_MAX_SIZE ({pool['max_size']}) gives a process.",
                hint="Lower the threads or raise the pool (within PostgreSQL's max_connections, docs/OPERATIONS.md).",
                id="hypex.E011",
            )
        ]
    return []
