"""Staff roles: auth groups that give each job exactly the permissions it needs.

A role is a set of model permissions per app label (every model of the app, the listed actions) plus
named extra permissions. `staff_roles_apply` writes them; the migration `0001_staff_roles` and the
command `manage.py sync_staff_roles` (run it after adding models to a role's apps) both call it.
Members must also have `is_staff` to sign in to /admin/; the Content editor needs it only for /admin/,
the CMS at /cms/ asks for `wagtailadmin.access_admin` alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps as live_apps

ALL = ("add", "change", "delete", "view")
EDIT = ("add", "change", "view")
VIEW = ("view",)

MERCHANDISER = "Merchandiser"
CONTENT_EDITOR = "Content editor"
ORDER_MANAGER = "Order manager"
SUPPORT_AGENT = "Support agent"
OPERATIONS = "Operations"
AUDITOR = "Auditor"
#: Who may open the task monitor: superusers (who hold every permission) and the Operations role.
TASK_MONITOR_PERMISSION = "backoffice.operate_task_monitor"


@dataclass(frozen=True)
class Role:
    name: str
    apps: dict[str, tuple[str, ...]]
    extra: tuple[str, ...] = ()
    #: Wagtail page permissions granted on the root page (so on every page).
    page_permissions: tuple[str, ...] = field(default=())


ROLES: tuple[Role, ...] = (
    Role(
        MERCHANDISER,
        apps={"catalogue": ALL, "partner": ALL, "offer": ALL, "voucher": ALL, "reviews": VIEW, "dataexchange": EDIT},
        # the bulk changes they made: see them, undo them (change); the abandoned-basket reminder delay,
        # the reminders sent and the back-in-stock alerts (ADR 46)
        extra=(
            "backoffice.view_bulkchange",
            "backoffice.change_bulkchange",
            "basket.view_basketremindersettings",
            "basket.add_basketremindersettings",
            "basket.change_basketremindersettings",
            "basket.view_basketreminder",
            "customer.view_productalert",
        ),  # fmt: skip
    ),
    Role(
        CONTENT_EDITOR,
        apps={"content": ALL, "wagtailimages": ALL, "wagtaildocs": ALL},
        extra=("wagtailadmin.access_admin", "wagtailimages.choose_image", "wagtaildocs.choose_document"),
        page_permissions=("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
    ),
    Role(
        ORDER_MANAGER,
        apps={
            "order": EDIT,
            "returns": EDIT,
            "payment": VIEW,
            "shipping": VIEW,
            "address": VIEW,
            "accounts": VIEW,
            "catalogue": VIEW,
            "partner": VIEW,
        },
    ),
    Role(
        SUPPORT_AGENT,
        apps={"support": EDIT, "order": VIEW, "address": VIEW, "accounts": VIEW},
        extra=("order.add_ordernote",),
    ),
    # Keeps the machinery running: the task monitor (workers, queue, failures, the outbox's backlog;
    # retry and purge) and the apps' webhooks (endpoints, their secrets, deliveries and resends; ADR 48).
    # No shop data beyond task names, arguments, errors and the events sent to the merchant's own apps.
    Role(OPERATIONS, apps={"eventhooks": ALL}, extra=(TASK_MONITOR_PERMISSION,)),
    # Reads the whole audit log (ADR 0047); an object's own history is open to whoever may view the object.
    Role(AUDITOR, apps={"audittrail": VIEW}),
)

ROLE_NAMES = tuple(role.name for role in ROLES)


def _permissions_of(role: Role, permission_model) -> list:
    wanted = []
    for app_label, actions in role.apps.items():
        for permission in permission_model.objects.filter(content_type__app_label=app_label):
            action = permission.codename.split("_", 1)[0]
            if action in actions and permission.codename.endswith("_" + permission.content_type.model):
                wanted.append(permission)
    for name in role.extra:
        app_label, codename = name.split(".", 1)
        wanted.extend(permission_model.objects.filter(content_type__app_label=app_label, codename=codename))
    return wanted


def staff_roles_apply(*, apps=None) -> dict[str, int]:
    """Create or update every role group so it holds exactly its permissions; returns the counts.

    `apps` is a migration's historical app registry, or None for the live models. Missing permissions
    (apps not installed) are skipped. Safe to run repeatedly.
    """
    if apps is None:
        apps = live_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    counts = {}
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role.name)
        permissions = _permissions_of(role, Permission)
        group.permissions.set(permissions)
        counts[role.name] = len(permissions)
        if role.page_permissions:
            _grant_root_page_permissions(apps, group, role.page_permissions)
    return counts


def _grant_root_page_permissions(apps, group, codenames: tuple[str, ...]) -> None:
    try:
        Page = apps.get_model("wagtailcore", "Page")
        GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    except LookupError:
        return
    Permission = apps.get_model("auth", "Permission")
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    for permission in Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames):
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
