"""Signals of the ground layer that domain apps may react to (receivers live in the domain app)."""

from django.dispatch import Signal

# Sent (with `location`, the Redis URL) by the fault-tolerant cache when Redis answers again after an
# outage. Writes made while it was away could not invalidate cached data (a version bump is lost), so
# whoever keys cache entries by a version bumps it here. See ADR 0025.
cache_recovered = Signal()
