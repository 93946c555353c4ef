"""Cache: local memory by default, Redis from REDIS_URL.

With Redis the backend is `ops.cache_backends.FaultTolerantRedisCache`: Django's Redis cache that
degrades to a miss (logged, never an error) while Redis is away, with a short circuit breaker so pages
do not wait on a socket timeout per cache call (ADR 0025).
"""

from config.env import env_int, env_str

REDIS_URL = env_str("REDIS_URL")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "ops.cache_backends.FaultTolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "hypex"),
            "TIMEOUT": 300,
            "OPTIONS": {
                "socket_connect_timeout": env_int("CACHE_SOCKET_TIMEOUT_SECONDS", 2),
                "socket_timeout": env_int("CACHE_SOCKET_TIMEOUT_SECONDS", 2),
                # After a failure, skip Redis this long before trying again.
                "CIRCUIT_OPEN_SECONDS": env_int("CACHE_CIRCUIT_OPEN_SECONDS", 5),
                # At most one warning per this many seconds while Redis is away.
                "LOG_INTERVAL_SECONDS": env_int("CACHE_OUTAGE_LOG_INTERVAL_SECONDS", 60),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "ops.metrics.cache.CountingLocMemCache",  # Django's, with hits and misses counted
            "LOCATION": "hypex",
            "TIMEOUT": 300,
        }
    }
