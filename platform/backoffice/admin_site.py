"""The back office's admin site: unfold's, with the app list built once per staff user, not per page.

Every back-office page puts Django's app list in its context (`available_apps`, and the dashboard's
list): for each of the 89 registered models, permission checks, a `reverse()` of its changelist and
add pages, and a sort on lazily translated names. That was about 40 % of a changelist's time. The list
depends only on the user's permissions (every admin here decides `has_*_permission` from
`request.user`: keep it so), the language and the script prefix, so it is kept per process for that
key, the user's permissions included: a user given or refused a permission gets a list built afresh
on the next page. Each caller gets its own copy of the dicts.

`BackOfficeSiteConfig` stands in for unfold's app config in INSTALLED_APPS ("unfold" itself otherwise):
unfold's `ready()` puts its site in `admin.site`; this one puts this site there.
"""

from __future__ import annotations

import threading
from functools import wraps

from django.contrib import admin, messages
from django.contrib.admin import sites
from django.contrib.admin.views.main import ERROR_FLAG
from django.http import HttpResponseRedirect
from django.urls import get_script_prefix
from django.utils.translation import get_language
from unfold.apps import DefaultAppConfig as UnfoldAppConfig
from unfold.sites import UnfoldAdminSite

#: Users × languages × app pages kept per process; past it the oldest half is dropped.
APP_LIST_CACHE_SIZE = 512
#: An active superuser's permissions in the key: all of them, whatever Permission rows exist.
ALL_PERMISSIONS = "all"


class BackOfficeSite(UnfoldAdminSite):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._app_lists: dict[tuple, list[dict]] = {}
        self._app_lists_lock = threading.Lock()

    def admin_view(self, view, cacheable=False):
        return super().admin_view(_out_of_range_values_refused(view), cacheable)

    def get_app_list(self, request, app_label=None):
        key = _app_list_key(request, app_label)
        if key is None:
            return super().get_app_list(request, app_label)
        app_list = self._app_lists.get(key)
        if app_list is None:
            app_list = super().get_app_list(request, app_label)
            with self._app_lists_lock:
                if len(self._app_lists) >= APP_LIST_CACHE_SIZE:
                    for old in list(self._app_lists)[: APP_LIST_CACHE_SIZE // 2]:
                        del self._app_lists[old]
                self._app_lists[key] = app_list
        return [{**app, "models": [dict(model) for model in app["models"]]} for app in app_list]


def _out_of_range_values_refused(view):
    """A filter value past SQLite's 64-bit integers (`?partner__exact=<30 digits>`, `?score__in=...`) makes
    sqlite3 raise OverflowError while the list is counted: Django checks the range of plain integer lookups
    only, not of foreign keys or `__in`, and PostgreSQL simply finds nothing. A read that hits it goes
    back to its page with the filters dropped (`?e=1`, as Django does for a lookup it refuses) and a
    message, instead of a 500."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except OverflowError:
            if request.method not in ("GET", "HEAD"):
                raise
            messages.error(request, "A filter's value is too large to be a number here: the filters were cleared.")
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")

    return guarded


def _app_list_key(request, app_label) -> tuple | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if user.is_active and user.is_superuser:
        # Django answers every permission of an active superuser yes without reading any; asking the
        # backends for the set would load every Permission row on each page.
        permissions = ALL_PERMISSIONS
    else:
        # The backends cache the set on the user object: the page's own permission checks read the same.
        permissions = frozenset(user.get_all_permissions())
    return (user.pk, user.is_active, user.is_staff, user.is_superuser, permissions, get_language(),
            get_script_prefix(), app_label)  # fmt: skip


class BackOfficeSiteConfig(UnfoldAppConfig):
    default = False

    def ready(self) -> None:
        site = BackOfficeSite()
        admin.site = site
        sites.site = site
