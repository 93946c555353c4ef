"""The header's category menu (`{% menu_categories %}`, templates/oscar/partials/nav_primary.html): the
categories Oscar's `{% category_tree depth=1 %}` listed, cached until a category changes (ADR 58)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model
from oscar.templatetags.category_tags import get_annotated_list

from catalogue.catalogue.templatetags.hypex_catalogue import menu_categories
from tests.catalogue.conftest import product_with_stock

Category = get_model("catalogue", "Category")
pytestmark = pytest.mark.django_db


def _tree():
    for trail in ("Clothing > Shirts", "Books", "Home > Kitchen", "Hidden", "Archive"):
        create_from_breadcrumbs(trail)
    Category.objects.filter(name="Hidden").update(is_public=False)
    archive = Category.objects.get(name="Archive")
    archive.exclude_from_menu = True
    archive.save()


def test_the_menu_lists_what_oscars_category_tree_listed():
    _tree()

    oscar = [(category.name, category.get_absolute_url()) for category, _info in get_annotated_list(depth=1)]

    assert [(c["name"], c["url"]) for c in menu_categories()] == oscar
    assert [name for name, _url in oscar] == ["Clothing", "Books", "Home"]


def test_the_page_shows_it_and_a_product_change_leaves_it_cached_a_category_change_does_not():
    _tree()
    mug = product_with_stock("Mug")
    page = Client().get(mug.get_absolute_url()).content.decode()
    assert '<a href="/catalogue/category/books_' in page and ">Books</a>" in page

    mug.title = "Blue Mug"
    mug.save()  # bumps the catalogue version, not the categories'
    with CaptureQueriesContext(connection) as after_product_change:
        assert [c["name"] for c in menu_categories()] == ["Clothing", "Books", "Home"]
    books = Category.objects.get(name="Books")
    books.name = "Novels"
    books.save()
    with CaptureQueriesContext(connection) as after_category_change:
        assert [c["name"] for c in menu_categories()] == ["Clothing", "Novels", "Home"]

    assert (len(after_product_change), len(after_category_change)) == (0, 1)
    assert ">Novels</a>" in Client().get(mug.get_absolute_url()).content.decode()
