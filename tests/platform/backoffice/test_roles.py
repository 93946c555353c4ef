"""Each staff role (made by the backoffice migration) sees and changes only what its job needs."""

import importlib
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from oscar.core.loading import get_model
from oscar.test import factories
from wagtail.models import GroupPagePermission

from backoffice.roles import CONTENT_EDITOR, MERCHANDISER, ORDER_MANAGER, ROLE_NAMES, SUPPORT_AGENT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]

Product = get_model("catalogue", "Product")


def _member(role: str, *, staff: bool = True):
    user = get_user_model().objects.create_user(
        email=f"{role.replace(' ', '.').lower()}@example.com", password="a-long-password-1"
    )
    user.is_staff = staff
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name=role))
    return user


def _statuses(client, urls):
    return {url: client.get(url).status_code for url in urls}


def _nav_links(client) -> str:
    return client.get("/admin/").content.decode()


@pytest.fixture
def product():
    return factories.create_product(title="Role test lamp", price=10, num_in_stock=3)


@pytest.fixture
def order():
    return factories.create_order()


def test_the_migration_creates_every_role():
    from django.apps import apps

    migration = importlib.import_module("backoffice.migrations.0001_staff_roles")
    Group.objects.filter(name__in=ROLE_NAMES).delete()
    migration.create_roles(apps, None)
    assert Group.objects.filter(name__in=ROLE_NAMES).count() == len(ROLE_NAMES) == 6
    migration.remove_roles(apps, None)
    assert not Group.objects.filter(name__in=ROLE_NAMES).exists()


def test_sync_command_recreates_every_role_with_permissions():
    Group.objects.filter(name__in=ROLE_NAMES).delete()
    call_command("sync_staff_roles", stdout=io.StringIO())
    groups = Group.objects.filter(name__in=ROLE_NAMES)
    assert sorted(groups.values_list("name", flat=True)) == sorted(ROLE_NAMES)
    assert all(group.permissions.exists() for group in groups)


def test_merchandiser_runs_the_catalogue_and_promotions_but_not_orders_customers_or_support(client, product):
    client.force_login(_member(MERCHANDISER))
    allowed = [
        "/admin/catalogue/product/",
        f"/admin/catalogue/product/{product.pk}/change/",
        "/admin/catalogue/category/",
        "/admin/partner/stockrecord/",
        "/admin/offer/conditionaloffer/",
        "/admin/voucher/voucher/",
        "/admin/voucher/voucherset/add/",
        "/admin/dataexchange/importjob/add/",
        "/admin/dataexchange/importjob/",
    ]
    forbidden = ["/admin/order/order/", "/admin/accounts/user/", "/admin/support/conversation/", "/admin/auth/group/"]
    assert set(_statuses(client, allowed).values()) == {200}
    assert set(_statuses(client, forbidden).values()) == {403}
    html = _nav_links(client)
    assert 'href="/admin/catalogue/product/"' in html and 'href="/admin/voucher/voucherset/"' in html
    assert 'href="/admin/order/order/"' not in html and 'href="/admin/accounts/user/"' not in html
    assert 'id="low-stock"' in html and 'id="top-sellers"' not in html  # stock, not sales figures


def test_order_manager_works_orders_and_only_reads_the_catalogue(client, product, order):
    client.force_login(_member(ORDER_MANAGER))
    allowed = ["/admin/order/order/", f"/admin/order/order/{order.pk}/change/", "/admin/catalogue/product/"]
    forbidden = [
        "/admin/voucher/voucher/",
        "/admin/offer/conditionaloffer/",
        "/admin/catalogue/product/add/",
        "/admin/dataexchange/importjob/add/",
    ]
    assert set(_statuses(client, allowed).values()) == {200}
    assert set(_statuses(client, forbidden).values()) == {403}
    response = client.post(f"/admin/catalogue/product/{product.pk}/change/", {"title": "Renamed"})
    assert response.status_code == 403
    assert Product.objects.get(pk=product.pk).title == "Role test lamp"
    html = _nav_links(client)
    assert 'href="/admin/order/order/"' in html and 'id="top-sellers"' in html
    assert 'href="/admin/voucher/voucher/"' not in html


def test_support_agent_answers_conversations_and_reads_orders(client, order):
    client.force_login(_member(SUPPORT_AGENT))
    allowed = ["/admin/support/conversation/", "/admin/support/console/", "/admin/order/order/"]
    forbidden = ["/admin/catalogue/product/", "/admin/voucher/voucher/", "/admin/partner/stockrecord/"]
    assert set(_statuses(client, allowed).values()) == {200}
    assert set(_statuses(client, forbidden).values()) == {403}
    response = client.post(f"/admin/order/order/{order.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    html = _nav_links(client)
    assert 'href="/admin/support/conversation/"' in html and 'href="/admin/catalogue/product/"' not in html
    assert client.get("/cms/").status_code != 200


def test_content_editor_edits_cms_pages_and_nothing_in_the_shop_admin(client, product, wagtail_tree):
    editor = _member(CONTENT_EDITOR)
    client.force_login(editor)
    assert client.get("/cms/").status_code == 200
    root, home = wagtail_tree
    assert GroupPagePermission.objects.filter(group__name=CONTENT_EDITOR, page=root).count() == 5
    assert home.permissions_for_user(editor).can_publish()
    assert client.get(f"/cms/pages/{home.pk}/edit/").status_code == 200
    forbidden = ["/admin/catalogue/product/", "/admin/order/order/", "/admin/accounts/user/"]
    assert set(_statuses(client, forbidden).values()) == {403}
    html = _nav_links(client)
    assert 'href="/cms/"' in html and 'href="/admin/catalogue/product/"' not in html
    assert 'id="hypex-dashboard"' not in html
