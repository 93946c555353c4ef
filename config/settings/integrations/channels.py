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

# Websocket handshakes accepted per client IP per minute, over every route (0 turns the limit off).
WS_CONNECT_PER_IP_PER_MINUTE = env_int("WS_CONNECT_PER_IP_PER_MINUTE", 60)
