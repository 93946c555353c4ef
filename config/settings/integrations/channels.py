"""Channel layer: in memory by default (one process), Redis publish/subscribe from REDIS_URL (many workers;
ops.channel_layer, ADR 0060).

Live updates are best effort (ADR 0025): a broadcast that cannot reach Redis is logged and skipped
for `CHANNEL_LAYER_CIRCUIT_OPEN_SECONDS`; a websocket whose layer fails is closed with 1013.
"""

from config.env import env_int, env_str

_redis_url = env_str("CHANNELS_REDIS_URL") or env_str("REDIS_URL")

# A broadcast waits at most this long for the layer (connect included).
CHANNEL_LAYER_SEND_TIMEOUT_SECONDS = env_int("CHANNEL_LAYER_SEND_TIMEOUT_SECONDS", 2)
CHANNEL_LAYER_CIRCUIT_OPEN_SECONDS = env_int("CHANNEL_LAYER_CIRCUIT_OPEN_SECONDS", 5)
CHANNEL_LAYER_OUTAGE_LOG_INTERVAL_SECONDS = 60

# Redis connections per server process for the channel layer's publishing client (its subscriptions share
# one more). redis-py's default cap (100) made the 101st of a burst of connecting chat clients fail with
# MaxConnectionsError (HTTP 500 at the handshake) on the list-based layer; the cap stays generous.
CHANNEL_LAYER_MAX_CONNECTIONS = env_int("CHANNEL_LAYER_MAX_CONNECTIONS", 1000)


def channel_layers(redis_url: str) -> dict:
    """The channel layer settings: channels-redis on `redis_url`, or in memory when it is empty."""
    if not redis_url:
        return {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    host = {
        "address": redis_url,
        "socket_connect_timeout": CHANNEL_LAYER_SEND_TIMEOUT_SECONDS,
        "max_connections": CHANNEL_LAYER_MAX_CONNECTIONS,
    }
    return {
        "default": {
            "BACKEND": "ops.channel_layer.PubSubChannelLayer",
            "CONFIG": {"hosts": [host], "prefix": env_str("CHANNELS_PREFIX", "hypex")},
        }
    }


CHANNEL_LAYERS = channel_layers(_redis_url)

# Longest client frame a websocket consumer reads; longer ones get an error frame (ADR 0026).
WEBSOCKET_MAX_FRAME_BYTES = env_int("WEBSOCKET_MAX_FRAME_BYTES", 32 * 1024)
# Websocket handshakes accepted per client IP per minute, over every route (0 turns the limit off).
WS_CONNECT_PER_IP_PER_MINUTE = env_int("WS_CONNECT_PER_IP_PER_MINUTE", 60)
