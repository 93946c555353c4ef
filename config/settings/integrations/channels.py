"""Channel layer: in memory by default (one process), channels-redis from REDIS_URL (many workers).

Live updates are best effort (ADR 0025): a broadcast that cannot reach Redis is logged and skipped
for `CHANNEL_LAYER_CIRCUIT_OPEN_SECONDS`; a websocket whose layer fails is closed with 1013.
"""

from config.env import env_int, env_str

_redis_url = env_str("CHANNELS_REDIS_URL") or env_str("REDIS_URL")

# A broadcast waits at most this long for the layer (connect included).
CHANNEL_LAYER_SEND_TIMEOUT_SECONDS = env_int("CHANNEL_LAYER_SEND_TIMEOUT_SECONDS", 2)
CHANNEL_LAYER_CIRCUIT_OPEN_SECONDS = env_int("CHANNEL_LAYER_CIRCUIT_OPEN_SECONDS", 5)
CHANNEL_LAYER_OUTAGE_LOG_INTERVAL_SECONDS = 60

if _redis_url:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": _redis_url, "socket_connect_timeout": CHANNEL_LAYER_SEND_TIMEOUT_SECONDS}],
                "prefix": env_str("CHANNELS_PREFIX", "hypex"),
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Longest client frame a websocket consumer reads; longer ones get an error frame (ADR 0026).
WEBSOCKET_MAX_FRAME_BYTES = env_int("WEBSOCKET_MAX_FRAME_BYTES", 32 * 1024)
# Websocket handshakes accepted per client IP per minute, over every route (0 turns the limit off).
WS_CONNECT_PER_IP_PER_MINUTE = env_int("WS_CONNECT_PER_IP_PER_MINUTE", 60)
