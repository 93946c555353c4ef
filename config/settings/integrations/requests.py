"""Limits on what a request may carry (docs/adr/0029-api-contract-checked-in-ci.md).

Keep `REQUEST_MAX_QUERY_STRING_BYTES` below the request-line limits of nginx (`large_client_header_buffers`
in deploy/nginx/) and daphne, so an over-long URL gets Hypex's own 414 rather than a reset.
"""

from config.env import env_int

# A longer query string answers 414 (pages and API).
REQUEST_MAX_QUERY_STRING_BYTES = env_int("REQUEST_MAX_QUERY_STRING_BYTES", 8192)
# Arrays/objects nested deeper in an API JSON body answer 400 parse_error.
API_JSON_MAX_DEPTH = env_int("API_JSON_MAX_DEPTH", 32)
