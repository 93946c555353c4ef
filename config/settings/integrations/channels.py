"""Channel layer: in memory by default (one process), channels-redis from REDIS_URL (many workers)."""

from config.env import env_int, env_str

_redis_url = env_str("CHANNELS_REDIS_URL") or env_str("REDIS_URL")

if _redis_url:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [_redis_url], "prefix": env_str("CHANNELS_PREFIX", "hypex")},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Longest client frame a websocket consumer reads; longer ones get an error frame (ADR 0026).
WEBSOCKET_MAX_FRAME_BYTES = env_int("WEBSOCKET_MAX_FRAME_BYTES", 32 * 1024)
