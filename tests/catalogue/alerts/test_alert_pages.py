"""The product page's "Email me when it's back": button states, one click signed in, a guest confirms
by the mailed link, duplicates refused politely."""

import re

import pytest
from django.core import mail
from oscar.core.loading import get_model

ProductAlert = get_model("customer", "ProductAlert")


@pytest.fixture
def sold_out(make_product):
    return make_product(title="Teapot", stock=0)


def test_the_button_shows_only_when_the_product_is_sold_out(client, sold_out, make_product):
    in_stock = make_product(title="Cup", stock=5)
    page = client.get(sold_out.get_absolute_url()).content.decode()
    assert 'id="back-in-stock-button"' in page and 'id="back-in-stock-email"' in page
    assert 'id="back-in-stock-button"' not in client.get(in_stock.get_absolute_url()).content.decode()


def test_a_signed_in_shopper_subscribes_in_one_click_and_then_sees_they_are_on_the_list(client, user, sold_out):
    client.force_login(user)
    page = client.get(sold_out.get_absolute_url()).content.decode()
    assert 'id="back-in-stock-email"' not in page  # no email asked
    response = client.post(f"/accounts/alerts/create/{sold_out.pk}/", follow=True)
    assert "We will email you when it is back in stock." in response.content.decode()
    alert = ProductAlert.objects.get(product=sold_out)
    assert (alert.user, alert.status) == (user, ProductAlert.ACTIVE)
    assert 'id="back-in-stock-subscribed"' in response.content.decode()
    again = client.post(f"/accounts/alerts/create/{sold_out.pk}/", follow=True)
    assert "already on the list" in again.content.decode()
    assert ProductAlert.objects.filter(product=sold_out).count() == 1


def test_a_guest_confirms_by_the_mailed_link(client, sold_out, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/accounts/alerts/create/{sold_out.pk}/", {"email": "Guest@Example.com"}, follow=True)
    assert "Please confirm" in response.content.decode()
    alert = ProductAlert.objects.get(product=sold_out)
    assert (alert.email, alert.status) == ("guest@example.com", ProductAlert.UNCONFIRMED)
    [message] = mail.outbox
    confirm_path = re.search(r"https?://[^/]+(/accounts/alerts/confirm/\S+/)", message.body).group(1)
    page = client.get(confirm_path)
    assert page.status_code == 200 and 'id="alert-active"' in page.content.decode()
    assert ProductAlert.objects.get(pk=alert.pk).status == ProductAlert.ACTIVE
    duplicate = client.post(f"/accounts/alerts/create/{sold_out.pk}/", {"email": "guest@example.com"}, follow=True)
    assert "already on the list" in duplicate.content.decode()
    cancel_path = re.search(r"https?://[^/]+(/accounts/alerts/cancel/key/\S+/)", message.body).group(1)
    assert 'id="alert-cancel"' in client.get(cancel_path).content.decode()
    assert 'id="alert-cancelled"' in client.post(cancel_path).content.decode()
    assert ProductAlert.objects.get(pk=alert.pk).status == ProductAlert.CANCELLED


def test_a_guest_without_a_valid_email_gets_a_form_error(client, sold_out):
    for data in ({}, {"email": "not-an-email"}, {"email": "a@b.c\x00"}):
        response = client.post(f"/accounts/alerts/create/{sold_out.pk}/", data)
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()
    assert not ProductAlert.objects.exists()


def test_bad_links_and_unknown_products_are_404(client, sold_out):
    assert client.get("/accounts/alerts/confirm/nope/").status_code == 404
    assert client.get("/accounts/alerts/cancel/key/nope/").status_code == 404
    hostile = ["/accounts/alerts/confirm/a%00b/", "/accounts/alerts/cancel/key/a%00b/", "/unsubscribe/a%00b/"]
    hostile += ["/basket/restore/a%00b/", "/accounts/alerts/confirm/a%20b/", "/accounts/alerts/cancel/key/ABC/"]
    for url in hostile:
        assert client.get(url).status_code in (400, 404), url  # the request guard, or our views
    assert client.post("/accounts/alerts/create/999999/", {"email": "a@example.com"}).status_code == 404
    assert (
        client.post(
            f"/accounts/alerts/create/{sold_out.pk}/", {"email": "a@example.com", "child_id": 999999}
        ).status_code
        == 404
    )
    assert client.get(f"/accounts/alerts/create/{sold_out.pk}/").status_code == 405


def test_subscribing_to_a_product_in_stock_says_buy_it_now(client, make_product):
    product = make_product(stock=3)
    response = client.post(f"/accounts/alerts/create/{product.pk}/", {"email": "a@example.com"}, follow=True)
    assert "it is in stock" in response.content.decode()
    assert not ProductAlert.objects.exists()


def test_a_family_with_no_variant_left_offers_the_alert_for_any_of_them(client, user):
    from oscar.test.factories import ProductClassFactory, create_product, create_stockrecord

    parent = create_product(title="Shirt", product_class=ProductClassFactory(name="Shirts"), structure="parent")
    small = create_product(title="Shirt S", parent=parent, structure="child")
    create_stockrecord(small, num_in_stock=0, price=10)
    client.force_login(user)
    page = client.get(parent.get_absolute_url()).content.decode()
    assert 'id="back-in-stock-button"' in page  # no size left: wait for any
    client.post(f"/accounts/alerts/create/{parent.pk}/")
    assert ProductAlert.objects.get().product == parent
    assert 'id="back-in-stock-subscribed"' in client.get(parent.get_absolute_url()).content.decode()
    medium = create_product(title="Shirt M", parent=parent, structure="child")
    create_stockrecord(medium, num_in_stock=3, price=10)
    assert 'id="back-in-stock' not in client.get(parent.get_absolute_url()).content.decode()


def test_a_guest_chooses_a_variant_of_the_page_product(client, db):
    from oscar.test.factories import ProductClassFactory, create_product, create_stockrecord

    parent = create_product(title="Hat", product_class=ProductClassFactory(name="Hats"), structure="parent")
    small = create_product(title="Hat S", parent=parent, structure="child")
    create_stockrecord(small, num_in_stock=0, price=10)
    client.post(f"/accounts/alerts/create/{parent.pk}/", {"child_id": small.pk, "email": "hat@example.com"})
    assert ProductAlert.objects.get().product == small


def _sized_family():
    from oscar.test.factories import create_product, create_stockrecord

    parent = create_product(title="Polo", structure="parent")
    group = get_model("catalogue", "AttributeOptionGroup").objects.create(name="Size")
    get_model("catalogue", "ProductAttribute").objects.create(
        product_class=parent.product_class, code="size", name="Size", type="option", option_group=group
    )
    sizes = {}
    for size, stock in [("S", 4), ("M", 0)]:
        child = create_product(
            title=f"Polo {size}", parent=parent, structure="child", product_class=parent.product_class
        )
        child.attr.size = group.options.create(option=size)
        child.save()
        create_stockrecord(child, price=10, num_in_stock=stock)
        sizes[size] = child
    return parent, sizes


def _alert_form(html: str) -> str:
    return re.search(r'<form[^>]*id="back-in-stock".*?</form>', html, re.S).group(0)


def test_the_variant_picker_carries_the_form_for_the_chosen_size(client, user, db):
    parent, sizes = _sized_family()
    sold_out = _alert_form(client.get(f"{parent.get_absolute_url()}?size=M").content.decode())
    assert " hidden>" not in sold_out and f'value="{sizes["M"].pk}" id="back-in-stock-child"' in sold_out
    in_stock = _alert_form(client.get(f"{parent.get_absolute_url()}?size=S").content.decode())
    assert " hidden>" in in_stock  # there for the script, shown when a sold-out size is picked
    client.force_login(user)
    client.post(f"/accounts/alerts/create/{parent.pk}/", {"child_id": sizes["M"].pk})
    page = client.get(f"{parent.get_absolute_url()}?size=M").content.decode()
    assert 'id="back-in-stock-subscribed"' in page and " hidden>" in _alert_form(page)


def test_a_shopper_signed_in_by_phone_only_is_asked_for_an_email(client, sold_out):
    from django.contrib.auth import get_user_model

    phone_only = get_user_model().objects.create(phone="+447700900123", email=None)
    client.force_login(phone_only)
    response = client.post(f"/accounts/alerts/create/{sold_out.pk}/", follow=True)
    assert "Add an email address to your account" in response.content.decode()
    assert not ProductAlert.objects.exists()
