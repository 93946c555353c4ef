"""Voucher sets generate many unique codes; customers show their orders and addresses."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test import factories

pytestmark = pytest.mark.django_db

ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")
VoucherSet = get_model("voucher", "VoucherSet")
UserAddress = get_model("address", "UserAddress")


@pytest.fixture
def voucher_offer():
    return factories.create_offer(name="Ten off", offer_type=ConditionalOffer.VOUCHER)


def _set_form(offer, **overrides) -> dict:
    start = timezone.now()
    end = start + dt.timedelta(days=30)
    data = {
        "name": "Winter mailing",
        "description": "Codes for the winter mailing",
        "count": 25,
        "code_length": 8,
        "start_datetime_0": start.strftime("%Y-%m-%d"),
        "start_datetime_1": "00:00:00",
        "end_datetime_0": end.strftime("%Y-%m-%d"),
        "end_datetime_1": "00:00:00",
        "usage": Voucher.SINGLE_USE,
        "offers": [offer.pk],
        "vouchers-TOTAL_FORMS": 0,
        "vouchers-INITIAL_FORMS": 0,
        "vouchers-MIN_NUM_FORMS": 0,
        "vouchers-MAX_NUM_FORMS": 0,
    }
    data.update(overrides)
    return data


def test_a_voucher_set_generates_its_unique_codes_with_the_offer(staff_client, voucher_offer):
    response = staff_client.post("/admin/voucher/voucherset/add/", _set_form(voucher_offer), follow=True)

    assert "25 vouchers created." in [str(m) for m in get_messages(response.wsgi_request)]
    voucher_set = VoucherSet.objects.get(name="Winter mailing")
    vouchers = Voucher.objects.filter(voucher_set=voucher_set)
    codes = list(vouchers.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 25
    assert all(len(code.replace("-", "")) == 8 for code in codes)
    assert all(list(v.offers.all()) == [voucher_offer] and v.usage == Voucher.SINGLE_USE for v in vouchers)


def test_growing_a_set_adds_codes_and_keeps_the_old_ones_and_shrinking_is_refused(staff_client, voucher_offer):
    staff_client.post("/admin/voucher/voucherset/add/", _set_form(voucher_offer, count=3))
    voucher_set = VoucherSet.objects.get()
    old_codes = set(voucher_set.vouchers.values_list("code", flat=True))
    url = f"/admin/voucher/voucherset/{voucher_set.pk}/change/"
    inline = {"vouchers-TOTAL_FORMS": 3, "vouchers-INITIAL_FORMS": 3}
    inline.update({f"vouchers-{i}-id": v.pk for i, v in enumerate(voucher_set.vouchers.order_by("date_created"))})
    inline.update({f"vouchers-{i}-voucher_set": voucher_set.pk for i in range(3)})

    response = staff_client.post(url, _set_form(voucher_offer, count=5, usage=Voucher.MULTI_USE, **inline))
    assert response.status_code == 302
    assert voucher_set.vouchers.count() == 5
    assert old_codes < set(voucher_set.vouchers.values_list("code", flat=True))
    assert set(voucher_set.vouchers.values_list("usage", flat=True)) == {Voucher.MULTI_USE}

    response = staff_client.post(url, _set_form(voucher_offer, count=2, **inline))
    assert response.status_code == 200
    assert "A set cannot shrink" in response.content.decode()
    assert voucher_set.vouchers.count() == 5


def test_voucher_set_count_has_an_upper_bound(staff_client, voucher_offer):
    response = staff_client.post("/admin/voucher/voucherset/add/", _set_form(voucher_offer, count=10_001))
    assert response.status_code == 200
    assert not VoucherSet.objects.exists()


def test_deleting_a_voucher_of_a_set_updates_the_sets_count(staff_client, voucher_offer):
    staff_client.post("/admin/voucher/voucherset/add/", _set_form(voucher_offer, count=3))
    voucher = Voucher.objects.first()
    staff_client.post(f"/admin/voucher/voucher/{voucher.pk}/delete/", {"post": "yes"})
    assert VoucherSet.objects.get().count == 2


def test_offers_and_vouchers_lists_search(staff_client, voucher_offer):
    now = timezone.now()
    for code, name in (("SPRING10", "Spring"), ("AUTUMN5", "Autumn")):
        Voucher.objects.create(code=code, name=name, start_datetime=now, end_datetime=now + dt.timedelta(days=1))
    html = staff_client.get("/admin/voucher/voucher/", {"q": "spring"}).content.decode()
    assert "SPRING10" in html and "AUTUMN5" not in html
    assert "Ten off" in staff_client.get("/admin/offer/conditionaloffer/", {"q": "ten"}).content.decode()


def test_a_customer_shows_their_orders_and_addresses(staff_client, user, countries):
    order = factories.create_order(user=user, number="100042")
    UserAddress.objects.create(
        user=user, first_name="Sam", last_name="Shopper", line1="9 Elm Road", line4="York", postcode="YO1 7HH",
        country_id="GB",
    )  # fmt: skip

    html = staff_client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()

    assert order.number in html and "9 Elm Road" in html
    listing = staff_client.get("/admin/accounts/user/", {"q": "shopper@"}).content.decode()
    assert "shopper@example.com" in listing
