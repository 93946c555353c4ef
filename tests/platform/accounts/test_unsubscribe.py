"""One unsubscribe link for all marketing mail: a signed token page, a confirm button, no login."""

from django.test import Client

from accounts.models import MarketingOptOut
from accounts.unsubscribe import (
    marketing_opt_out_add,
    marketing_opted_out,
    unsubscribe_email_from_token,
    unsubscribe_headers,
    unsubscribe_token,
    unsubscribe_url,
)


def test_the_link_asks_first_then_records_the_opt_out_by_email(client, db):
    path = unsubscribe_url(email="Fan@Example.com", base_url="")
    page = client.get(path)
    assert page.status_code == 200 and 'id="unsubscribe-confirm"' in page.content.decode()
    assert not marketing_opted_out(email="fan@example.com")  # a GET (a mail scanner) changes nothing
    done = client.post(path)
    assert 'id="unsubscribe-done"' in done.content.decode()
    assert marketing_opted_out(email=" FAN@example.com ")
    assert client.post(path).status_code == 200  # twice: still one row
    assert MarketingOptOut.objects.count() == 1
    assert 'id="unsubscribe-done"' in client.get(path).content.decode()


def test_a_mail_clients_one_click_post_needs_no_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    headers = unsubscribe_headers(email="a@example.com", base_url="https://shop.test")
    url = headers["List-Unsubscribe"].strip("<>")
    assert url.startswith("https://shop.test/unsubscribe/")
    response = client.post(url.removeprefix("https://shop.test"), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert marketing_opted_out(email="a@example.com")


def test_a_forged_or_damaged_token_is_404(client, db):
    token = unsubscribe_token("a@example.com")
    assert unsubscribe_email_from_token(token) == "a@example.com"
    assert client.get(f"/unsubscribe/{token[:-2]}xx/").status_code == 404
    assert client.post("/unsubscribe/not-a-token/").status_code == 404
    assert not MarketingOptOut.objects.exists()


def test_staff_see_the_opt_outs_and_the_alerts_in_the_back_office(staff_client):
    marketing_opt_out_add(email="quiet@example.com")
    page = staff_client.get("/admin/accounts/marketingoptout/")
    assert page.status_code == 200 and "quiet@example.com" in page.content.decode()
    home = staff_client.get("/admin/").content.decode()
    for url in ("/admin/accounts/marketingoptout/", "/admin/basket/basketreminder/", "/admin/customer/productalert/"):
        assert url in home  # in the sidebar
    assert staff_client.get("/admin/customer/productalert/").status_code == 200
