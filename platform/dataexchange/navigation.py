"""The unfold sidebar section for imports and exports. The lead wires it into backoffice.navigation.sidebar:

from dataexchange.navigation import sidebar_section
... sidebar_section(),   # e.g. after "Sales"
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def sidebar_section() -> dict:
    def can(perm: str):
        return lambda request: request.user.has_perm(perm)

    return {
        "title": _("Import and export"),
        "collapsible": True,
        "items": [
            {"title": _("Import a file"), "icon": "upload_file",
             "link": reverse("admin:dataexchange_importjob_add"), "permission": can("dataexchange.add_importjob")},
            {"title": _("Imports"), "icon": "history",
             "link": reverse("admin:dataexchange_importjob_changelist"),
             "permission": can("dataexchange.view_importjob")},
            {"title": _("Export"), "icon": "download", "link": reverse("admin:dataexchange_export"),
             "permission": lambda request: request.user.is_staff},
        ],
    }  # fmt: skip
