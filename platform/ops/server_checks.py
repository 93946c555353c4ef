"""`hypex.E011`: the HTTP thread pool of a process (`HTTP_THREADS`, ops.asgi_http) must be at least 1
and, with the database pool on, below `DATABASE_POOL_MAX_SIZE`: every thread may hold a connection
while the websockets' database work waits for one (docs/adr/0053, 0028)."""

from django.conf import settings
from django.core.checks import Error, register


@register("server")
def check_http_threads_fit_the_database_pool(app_configs=None, **kwargs) -> list[Error]:
    threads = settings.HTTP_THREADS
    if threads < 1:
        return [Error(f"HTTP_THREADS is {threads}: a process needs at least one.", id="hypex.E011")]
    pool = settings.DATABASES["default"].get("OPTIONS", {}).get("pool")
    if isinstance(pool, dict) and threads >= pool.get("max_size", 10):
        return [
            Error(
                f"HTTP_THREADS ({threads}) is not below DATABASE_POOL_MAX_SIZE ({pool['max_size']}).",
                hint="Every HTTP thread may hold a connection; leave the websockets' database work room.",
                id="hypex.E011",
            )
        ]
    return []
