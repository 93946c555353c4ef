"""Which handler delivers which outbox topic. Domain apps register theirs in their own `handlers.py`,
imported from their AppConfig.ready(), so this ground app never imports a domain app (ADR 0024)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class OutboxHandler:
    """`func(**payload)` performs the side effect. It must be idempotent: delivery is at least once.

    - `atomic=True` (the default): it runs inside the delivery transaction, which holds the message's
      row lock; its database writes commit together with the "delivered" mark, or roll back with the
      failure. For short work: an email, an SMS, a search index update.
    - `atomic=False`: for long work that commits on its own (an import): the delivery claims the
      message for `OUTBOX_LEASE_SECONDS`, commits, runs the handler outside any transaction, then marks
      the message. A worker that dies mid-run leaves the claim to expire; the relay runs it again.
    - `sensitive=True`: the payload carries secrets (a rendered password-reset mail): it is not shown in
      the back office and is erased once delivered.
    """

    topic: str
    func: Callable[..., object]
    atomic: bool = True
    sensitive: bool = False


_handlers: dict[str, OutboxHandler] = {}


def outbox_handler(topic: str, *, atomic: bool = True, sensitive: bool = False):
    """Decorator: register `func` as the handler of `topic` (one handler per topic)."""

    def register(func: Callable[..., object]) -> Callable[..., object]:
        existing = _handlers.get(topic)
        if existing is not None and existing.func is not func:
            qualname = f"{existing.func.__module__}.{existing.func.__qualname__}"
            raise ImproperlyConfigured(f"outbox topic {topic!r} already has a handler: {qualname}")
        _handlers[topic] = OutboxHandler(topic=topic, func=func, atomic=atomic, sensitive=sensitive)
        return func

    return register


def handler_for(topic: str) -> OutboxHandler | None:
    return _handlers.get(topic)


def topics() -> list[str]:
    return sorted(_handlers)
