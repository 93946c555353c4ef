"""The catalogue page costs the same queries for a few products as for a full page: a card's
"Add to basket" check (Oscar's `has_options`) reads flags the listing's query brings, not a query per
card (issue 17: 15 of a warm `/catalogue/` page's 25 queries were these)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

Option = get_model("catalogue", "Option")

pytestmark = pytest.mark.django_db


def _catalogue_queries(client) -> tuple[int, str]:
    for _warm in range(2):  # warm: session, site, menus, the catalogue version
        client.get("/catalogue/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/catalogue/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_catalogue_page_costs_the_same_queries_for_3_or_12_products(client, user, make_product):
    client.force_login(user)  # signed in: every card is rendered, none comes from the card cache
    for number in range(3):
        make_product(title=f"Mug {number}")
    few, _html = _catalogue_queries(client)
    for number in range(3, 12):
        make_product(title=f"Mug {number}")

    many, html = _catalogue_queries(client)

    assert html.count('class="product_pod"') == 12
    assert many == few, f"{few} queries for 3 products, {many} for 12"


def test_a_product_with_options_still_has_no_quick_add_form_on_its_card(client, user, make_product):
    client.force_login(user)
    plain = make_product(title="Plain mug")
    engraved = make_product(title="Engraved mug")
    engraved.product_options.add(Option.objects.create(name="Engraving", code="engraving"))

    html = client.get("/catalogue/").content.decode()

    cards = {title: html.split(f">{title}<", 1)[1].split("</article>", 1)[0] for title in ("Plain mug", "Engraved mug")}
    assert f'action="/basket/add/{plain.pk}/"' in cards["Plain mug"]
    assert "/basket/add/" not in cards["Engraved mug"]
