"""Deployment check of the webhooks app (ADR 0048).

- `hypex.W048` (`check --deploy`): webhook endpoints may use plain http or private addresses
  (`WEBHOOK_ALLOW_HTTP`, `WEBHOOK_ALLOW_PRIVATE_URLS`): staff could make the shop call its own network.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register


@register("security", deploy=True)
def check_webhook_urls(app_configs=None, **kwargs) -> list[Warning]:
    switches = [name for name in ("WEBHOOK_ALLOW_HTTP", "WEBHOOK_ALLOW_PRIVATE_URLS") if getattr(settings, name)]
    if not switches:
        return []
    return [
        Warning(
            f"Webhook endpoints are not limited to public https addresses ({', '.join(switches)} on).",
            hint="Unset them in production: staff could make the shop POST into its own network (SSRF).",
            id="hypex.W048",
        )
    ]
