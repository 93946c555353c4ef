"""Reverse proxies in front of the ASGI server: how many hops are trusted to say who the client is.

`TRUSTED_PROXY_COUNT` is the number of proxies that each append the address they saw to
`X-Forwarded-For` (docs/adr/0027). 0 (the embedded default and tests): no proxy, the TCP peer is the
client and forwarded headers are ignored. Production defaults to 1, the shipped nginx. Every client-IP
decision (throttles, phone-code limits, websocket limits, audit) goes through `apibase.client_ip`.
"""

from config.env import env_int

TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
