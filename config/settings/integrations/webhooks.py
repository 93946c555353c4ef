"""Webhooks for apps (eventhooks app, ADR 0048): where deliveries may go, how long they are retried,
when a failing endpoint is disabled."""

from config.env import env_bool, env_int, env_list

# Secure by default: https only, and never an address that resolves to loopback, private or link-local
# networks (SSRF). The local and test settings switch both on so a receiver on 127.0.0.1 works; in
# production `check --deploy` warns while either is on (hypex.W048).
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", False)
WEBHOOK_ALLOW_PRIVATE_URLS = env_bool("WEBHOOK_ALLOW_PRIVATE_URLS", False)
# One POST waits at most this long (connect and read each); redirects are never followed.
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 5)
# Back-off after the n-th failed attempt: base * 2**(n-1) seconds (1 min, 2, 4 ...), at most the cap,
# and no new try later than WEBHOOK_RETRY_HOURS after the event.
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 60)
WEBHOOK_RETRY_MAX_SECONDS = env_int("WEBHOOK_RETRY_MAX_SECONDS", 7200)
WEBHOOK_RETRY_HOURS = env_int("WEBHOOK_RETRY_HOURS", 24)
# An endpoint whose every attempt failed for this long, at least this many times in a row, is
# disabled and its contact emailed.
WEBHOOK_DISABLE_AFTER_HOURS = env_int("WEBHOOK_DISABLE_AFTER_HOURS", 24)
WEBHOOK_DISABLE_MIN_FAILURES = env_int("WEBHOOK_DISABLE_MIN_FAILURES", 10)
# After a rotation the old secret keeps signing (a second v1=) this long.
WEBHOOK_SECRET_ROTATION_HOURS = env_int("WEBHOOK_SECRET_ROTATION_HOURS", 24)
# Also told when any endpoint is disabled (besides the endpoint's contact or creator).
WEBHOOK_ALERT_EMAILS = env_list("WEBHOOK_ALERT_EMAILS", [])
# A running attempt holds its delivery this long (longer than the timeout); the periodic retry takes
# over a delivery whose worker died.
WEBHOOK_LEASE_SECONDS = env_int("WEBHOOK_LEASE_SECONDS", 60)
# Deliveries the periodic retry attempts per run (every minute).
WEBHOOK_RETRY_BATCH = env_int("WEBHOOK_RETRY_BATCH", 100)
# Events (with their deliveries and attempts) are kept this many days once every delivery ended.
WEBHOOK_KEEP_DAYS = env_int("WEBHOOK_KEEP_DAYS", 30)
