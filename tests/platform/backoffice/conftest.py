"""Fixtures for the back office tests."""

import pytest


@pytest.fixture
def wagtail_tree(db):
    """Wagtail's root page and a home page. Migrations make them, but a transactional test elsewhere in
    the suite flushes the database; this puts them back when missing."""
    from wagtail.models import Locale, Page

    from content.models import HomePage

    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    home = root.get_children().first() or root.add_child(instance=HomePage(title="Home", slug="home"))
    return root, home


@pytest.fixture
def roles(db, wagtail_tree):
    """The staff role groups. The migration creates them; a flush (transactional tests) removes them,
    and `staff_roles_apply` (what the migration runs) brings them back. Idempotent."""
    from backoffice.roles import staff_roles_apply

    return staff_roles_apply()
