"""/favicon.ico: browsers ask every site for it (the shop, /admin/ and /cms/ alike), whatever the
pages link; answer with the shop's icon instead of a 404.

The file is the static `hypex/img/favicon.ico` (drawn from `favicon.svg` by `scripts/favicon_ico.py`),
read once per process from wherever the static files are: the source folders (`STATICFILES_DIRS`) or
the collected `STATIC_ROOT`.
"""

from __future__ import annotations

from functools import cache

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

FAVICON = "hypex/img/favicon.ico"


@cache
def _favicon_bytes() -> bytes | None:
    found = finders.find(FAVICON)
    if found:
        with open(found, "rb") as icon:
            return icon.read()
    if staticfiles_storage.exists(FAVICON):
        with staticfiles_storage.open(FAVICON) as icon:
            return icon.read()
    return None


@require_safe
@cache_control(max_age=86400, public=True)
def favicon_ico(request):
    content = _favicon_bytes()
    if content is None:
        raise Http404("No favicon")
    return HttpResponse(content, content_type="image/x-icon")
