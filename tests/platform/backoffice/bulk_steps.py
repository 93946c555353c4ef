"""The product list's bulk actions as staff go through them: the action (its own page), the form
posted for a preview, then Confirm with the preview's digest. Shared by the back-office and the
catalogue-cache tests."""

from __future__ import annotations

import re

from django.contrib.messages import get_messages

CHANGELIST = "/admin/catalogue/product/"


def bulk_post(client, action: str, products, **fields):
    """One step: the POST the intermediate page sends (no `index`, the selection kept)."""
    data = {"action": action, "_selected_action": [p.pk for p in products], **fields}
    return client.post(CHANGELIST, data)


def bulk_preview(client, action: str, products, **fields):
    return bulk_post(client, action, products, _stage="preview", **fields)


def preview_digest(response) -> str:
    return re.search(r'name="_digest" value="([0-9a-f]+)"', response.content.decode()).group(1)


def bulk_confirm(client, action: str, products, **fields) -> list[str]:
    """Preview, then confirm what the preview showed; returns the messages the list shows after."""
    preview = bulk_preview(client, action, products, **fields)
    assert preview.status_code == 200, preview.content.decode()[:2000]
    data = {"action": action, "_selected_action": [p.pk for p in products], **fields}
    done = client.post(CHANGELIST, {**data, "_stage": "confirm", "_digest": preview_digest(preview)}, follow=True)
    assert done.redirect_chain and done.status_code == 200, done.content.decode()[:2000]
    return [re.sub(r"<[^>]+>", "", str(m)) for m in get_messages(done.wsgi_request)]
