"""Tax follows the shipping address chosen at checkout: lines and shipping taxed at the destination's
rate, on the API and on the checkout pages, and the order keeps the rates it was taxed at."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model
from rest_framework.test import APIClient

from tests.checkout.conftest import GB_ADDRESS, add_line, checkout_body
from tests.conftest import auth_header

TaxRate = get_model("checkout", "TaxRate")
Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipping_methods", "dummy_payments", "rates")]

FR_ADDRESS = {**GB_ADDRESS, "line1": "1 Rue de Rivoli", "line4": "Paris", "postcode": "75001", "country": "FR"}
FR_FORM = {**FR_ADDRESS, "phone_number": ""}
GB_FORM = {**GB_ADDRESS, "phone_number": ""}


@pytest.fixture
def rates(countries):
    TaxRate.objects.create(country_id="GB", rate=Decimal("0.20"), name="VAT")
    TaxRate.objects.create(country_id="FR", rate=Decimal("0.10"), name="TVA")


@pytest.fixture(autouse=True)
def prices_entered_without_tax(settings):
    """These tests enter prices without tax unless one says otherwise (the shop's default includes it)."""
    settings.SHOP_PRICES_INCLUDE_TAX = False


def _money(excl, incl):
    return {"currency": "GBP", "excl_tax": excl, "incl_tax": incl}


def _api_checkout(product, quantity, **body):
    client = APIClient()
    add_line(client, product, quantity)
    response = client.post("/api/v1/checkout/", checkout_body(guest_email="t@example.com", **body), format="json")
    assert response.status_code == 201, response.content
    return response.json()["order"]


def test_api_checkout_to_gb_and_to_france_is_taxed_at_each_destinations_rate(product):
    to_gb = _api_checkout(product, 2)
    to_fr = _api_checkout(product, 2, shipping_address=FR_ADDRESS, shipping_method="world")

    # GB 20%: lines 50.00 + 10.00; express 7.95 + 2 x 1.00 = 9.95 + 1.99
    assert to_gb["totals"]["lines"] == _money("50.00", "60.00")
    assert to_gb["totals"]["shipping"] == _money("9.95", "11.94")
    assert to_gb["totals"]["total"] == _money("59.95", "71.94")
    assert to_gb["totals"]["tax"] == "11.99"
    assert (to_gb["lines"][0]["tax_rate"], to_gb["shipping_tax_rate"]) == ("0.2000", "0.2000")
    # FR 10%: lines 50.00 + 5.00; world 15.00 + 1.50
    assert to_fr["totals"]["lines"] == _money("50.00", "55.00")
    assert to_fr["totals"]["shipping"] == _money("15.00", "16.50")
    assert to_fr["totals"]["total"] == _money("65.00", "71.50")
    assert to_fr["totals"]["tax"] == "6.50"
    assert (to_fr["lines"][0]["tax_rate"], to_fr["shipping_tax_rate"]) == ("0.1000", "0.1000")

    order = Order.objects.get(number=to_fr["number"])
    assert order.shipping_tax_rate == Decimal("0.1000")
    assert [line.tax_rate for line in order.lines.all()] == [Decimal("0.1000")]


def test_customer_priced_for_their_home_country_is_re_priced_for_where_they_ship(user, product):
    UserAddress.objects.create(
        user=user, line1="1 Rue", line4="Paris", postcode="75001", country=Country.objects.get(iso_3166_1_a2="FR"),
        is_default_for_shipping=True,
    )  # fmt: skip
    client = APIClient()
    headers = auth_header(user)
    basket = add_line(client, product, 1, **headers).json()
    assert basket["total"]["incl_tax"] == "27.50"  # priced for France, their home

    response = client.post("/api/v1/checkout/", checkout_body(), format="json", **headers)

    order = response.json()["order"]
    assert order["totals"]["lines"] == _money("25.00", "30.00")  # shipped to GB: GB's 20%
    assert order["lines"][0]["tax_rate"] == "0.2000"


def test_shipping_estimate_for_a_country_is_taxed_at_its_rate(api_client, product):
    add_line(api_client, product, 1)

    methods = api_client.get("/api/v1/basket/shipping-methods/?country=FR").json()

    assert [(method["code"], method["cost"]) for method in methods] == [("world", _money("15.00", "16.50"))]


def test_prices_entered_with_tax_keep_their_gross_price_and_split_at_the_destinations_rate(make_product, settings):
    settings.SHOP_PRICES_INCLUDE_TAX = True
    product = make_product(price="24.00")

    to_gb = _api_checkout(product, 1)
    to_fr = _api_checkout(product, 1, shipping_address=FR_ADDRESS, shipping_method="world")

    assert to_gb["totals"]["lines"] == _money("20.00", "24.00")
    assert to_gb["totals"]["shipping"] == _money("7.46", "8.95")  # express 7.95 + 1.00, with 20% in it
    assert to_fr["totals"]["lines"] == _money("21.82", "24.00")
    assert to_fr["totals"]["shipping"] == _money("13.64", "15.00")
    assert to_fr["totals"]["tax"] == "3.54"


def _page_checkout(client, product, address_form, method_code):
    client.post(f"/basket/add/{product.pk}/", {"quantity": 2})
    client.post("/checkout/", {"username": "guest@example.com", "options": "anonymous"})
    assert client.post("/checkout/shipping-address/", address_form).status_code == 302
    assert client.post("/checkout/shipping-method/", {"method_code": method_code}).status_code == 302
    client.get("/checkout/payment-method/", follow=True)
    client.post("/checkout/preview/", {"gateway": "dummy"})
    preview = client.get("/checkout/preview/")
    assert preview.status_code == 200
    client.post("/checkout/preview/", {"action": "place_order"})
    return preview, Order.objects.latest("pk")


def test_page_checkout_to_france_shows_and_orders_frances_tax(client, product):
    preview, order = _page_checkout(client, product, FR_FORM, "world")

    assert preview.context["order_total"].incl_tax == Decimal("71.50")
    assert preview.context["shipping_charge"].incl_tax == Decimal("16.50")
    assert "£71.50" in preview.content.decode()
    assert (order.total_incl_tax, order.total_tax) == (Decimal("71.50"), Decimal("6.50"))
    assert (order.shipping_incl_tax, order.shipping_tax_rate) == (Decimal("16.50"), Decimal("0.1000"))
    assert [line.tax_rate for line in order.lines.all()] == [Decimal("0.1000")]


def test_page_checkout_to_gb_shows_and_orders_gb_tax(client, product):
    preview, order = _page_checkout(client, product, GB_FORM, "express")

    assert "£71.94" in preview.content.decode()
    assert (order.total_incl_tax, order.total_tax) == (Decimal("71.94"), Decimal("11.99"))
    assert (order.shipping_incl_tax, order.shipping_tax_rate) == (Decimal("11.94"), Decimal("0.2000"))
    assert [line.tax_rate for line in order.lines.all()] == [Decimal("0.2000")]
