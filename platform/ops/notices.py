"""Operator notices shown by `/readyz`: conditions that do not make the shop unready but that an
operator must see (an unsafe switch left on). Apps register a callable at start-up (`AppConfig.ready`);
each returns a sentence, or None when there is nothing to say. ops imports no domain app."""

from __future__ import annotations

from collections.abc import Callable

Notice = Callable[[], str | None]

_NOTICES: list[Notice] = []


def readiness_notice_register(notice: Notice) -> Notice:
    if notice not in _NOTICES:
        _NOTICES.append(notice)
    return notice


def readiness_notices() -> list[str]:
    return [text for text in (notice() for notice in _NOTICES) if text]
