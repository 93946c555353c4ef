"""The back office's site keeps each staff user's app list instead of building it on every page: what it
gives is what Django builds, for every role; a permission given or taken shows on the next page; a caller
that changes its copy changes nobody else's."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from unfold.sites import UnfoldAdminSite

from backoffice import roles
from backoffice.admin_site import BackOfficeSite
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("roles"),
]  # the roles' groups: a transactional test before may have emptied them


def _member(role: str | None, email: str):
    user = get_user_model().objects.create_user(email=email, password=PASSWORD)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    if role:
        user.groups.add(Group.objects.get(name=role))
    return get_user_model().objects.get(pk=user.pk)  # no permission cache from before the group


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _shape(app_list) -> list[tuple]:
    return [
        (str(app["name"]), app["app_url"],
         [(str(m["name"]), m["admin_url"], m["add_url"], m["perms"], m.get("view_only")) for m in app["models"]])
        for app in app_list
    ]  # fmt: skip


def test_the_back_office_runs_on_this_site():
    assert isinstance(admin.site, BackOfficeSite)


@pytest.mark.parametrize("role", [None, *(role.name for role in roles.ROLES)])
def test_each_roles_kept_list_is_the_one_django_builds(role):
    user = _member(role, f"{(role or 'plain').replace(' ', '-').lower()}@example.com")
    built = _shape(UnfoldAdminSite.get_app_list(admin.site, _request(user)))
    first, second = admin.site.get_app_list(_request(user)), admin.site.get_app_list(_request(user))
    assert _shape(first) == built and _shape(second) == built
    app_label = "catalogue"
    assert _shape(admin.site.get_app_list(_request(user), app_label)) == _shape(
        UnfoldAdminSite.get_app_list(admin.site, _request(user), app_label)
    )


def test_superusers_list_is_the_one_django_builds(staff_user):
    built = _shape(UnfoldAdminSite.get_app_list(admin.site, _request(staff_user)))
    assert len(built) > 5
    assert _shape(admin.site.get_app_list(_request(staff_user))) == built
    assert _shape(admin.site.get_app_list(_request(staff_user))) == built


def test_a_permission_given_or_taken_shows_on_the_next_page(client):
    user = _member(roles.SUPPORT_AGENT, "agent@example.com")
    client.force_login(user)
    link = 'href="/admin/reviews/productreview/"'
    assert link not in client.get("/admin/").content.decode()

    view_reviews = Permission.objects.get(codename="view_productreview", content_type__app_label="reviews")
    user.user_permissions.add(view_reviews)
    assert link in client.get("/admin/").content.decode()

    user.user_permissions.remove(view_reviews)
    assert link not in client.get("/admin/").content.decode()


def test_a_caller_changing_its_copy_changes_nobody_elses(staff_user):
    mine = admin.site.get_app_list(_request(staff_user))
    mine[0]["models"].clear()
    mine[1]["name"] = "Changed"
    theirs = admin.site.get_app_list(_request(staff_user))
    assert theirs[0]["models"] and theirs[1]["name"] != "Changed"


def test_a_superusers_page_reads_no_permission_rows(client, staff_user):
    """Django answers an active superuser's every permission yes without reading them: the kept list's
    key does not load them either (it loaded every Permission row on each page)."""
    client.force_login(staff_user)
    assert client.get("/admin/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/catalogue/product/").status_code == 200
    assert not [query["sql"] for query in queries if "auth_permission" in query["sql"]]


def test_a_superuser_who_loses_the_flag_sees_only_what_their_permissions_give(staff_user):
    everything = _shape(admin.site.get_app_list(_request(staff_user)))
    staff_user.is_superuser = False
    staff_user.save(update_fields=["is_superuser"])
    demoted = get_user_model().objects.get(pk=staff_user.pk)
    assert _shape(admin.site.get_app_list(_request(demoted))) == _shape(
        UnfoldAdminSite.get_app_list(admin.site, _request(demoted))
    )
    assert _shape(admin.site.get_app_list(_request(demoted))) != everything


@pytest.mark.parametrize(
    ("path", "param"),
    [("/admin/partner/stockrecord/", "partner__exact"), ("/admin/reviews/productreview/", "score__in"),
     ("/admin/support/conversation/", "assigned_agent__exact")],
)  # fmt: skip
def test_a_filter_value_past_64_bit_integers_clears_the_filters_instead_of_a_500(staff_client, path, param):
    """sqlite3 raises OverflowError for it (Django checks plain integer lookups only); PostgreSQL finds
    nothing. Either way the staff member gets a page, never a 500."""
    response = staff_client.get(path, {param: "9" * 30})
    if connection.vendor == "sqlite":
        assert response.status_code == 302 and response["Location"] == f"{path}?e=1"
        assert "too large to be a number" in staff_client.get(response["Location"]).content.decode()
    else:
        assert response.status_code == 200 and response.context["cl"].result_count == 0
