"""Transactional outbox (sideeffects app): delivery attempts, back-off and the relay (ADR 0024)."""

from config.env import env_int

# A message that failed this many times is marked failed and waits for staff (Outbox screen: Retry).
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
# Back-off after the n-th failure: base * 2**(n-1) seconds, at most OUTBOX_RETRY_MAX_SECONDS.
OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 30)
OUTBOX_RETRY_MAX_SECONDS = env_int("OUTBOX_RETRY_MAX_SECONDS", 3600)
# The relay leaves messages younger than this to their own on-commit delivery.
OUTBOX_RELAY_GRACE_SECONDS = env_int("OUTBOX_RELAY_GRACE_SECONDS", 30)
# Messages the relay delivers per run (it runs every minute and when a worker starts).
OUTBOX_RELAY_BATCH = env_int("OUTBOX_RELAY_BATCH", 200)
# Long-running handlers (imports) hold a claim this long; a worker that died frees it when it expires.
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 3600)
