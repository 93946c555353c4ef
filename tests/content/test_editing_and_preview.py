"""An editor builds pages in Wagtail's admin at /cms/ and previews changes before they go live."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from content.models import CampaignPage
from tests.content.conftest import publish_child

pytestmark = pytest.mark.django_db


def _list_block(values) -> dict:
    data = {"count": len(values)}
    for index, value in enumerate(values):
        data[str(index)] = {"value": value, "deleted": "", "order": index, "id": ""}
    return data


def _campaign_form(*, title: str, products, code: str = "") -> dict:
    body = [("featured_products", {"title": "Picked", "products": _list_block([p.pk for p in products])})]
    if code:
        body.append(("voucher_cta", {"title": "Deal", "text": "", "code": code, "button_label": "", "button_url": ""}))
    body.append(("paragraph", rich_text("<p>While stocks last.</p>")))
    return nested_form_data({"title": title, "slug": "summer", "intro": "", "body": streamfield(body)})


@pytest.fixture
def editor(client, staff_user):
    client.force_login(staff_user)
    return client


def test_editor_publishes_a_campaign_page_with_a_product_block_from_the_admin(editor, client, home, products, voucher):
    data = _campaign_form(title="Summer", products=[products["oxford"]], code="SUMMER20")

    response = editor.post(f"/cms/pages/add/content/campaignpage/{home.pk}/", {**data, "action-publish": "publish"})

    assert response.status_code == 302, response.content.decode()[:2000]
    page = CampaignPage.objects.get(slug="summer")
    assert page.live and page.body[0].value["products"][0] == products["oxford"]
    html = editor.get("/summer/").content.decode()
    assert "Oxford Shirt" in html and "£55.00" in html and "SUMMER20" in html and "While stocks last." in html


def test_publishing_a_new_page_that_an_autosave_created_meanwhile_sends_the_editor_to_it(
    editor, home, products, monkeypatch
):
    """The editor's autosave adds the page between this request's slug check and its save (the race of
    content/page_add_race.py): the editor lands on that page's edit view with a message, not a 500."""
    data = _campaign_form(title="Summer", products=[products["oxford"]])
    slug_is_available = Page._slug_is_available
    autosaved = []

    def autosave_wins_after_the_check(slug, parent_page, page=None):
        available = slug_is_available(slug, parent_page, page)
        if not autosaved:  # the form's check passes; the other request's page exists from now on
            autosaved.append(CampaignPage(title="Summer", slug="summer", live=False))
            Page.objects.get(pk=home.pk).add_child(instance=autosaved[0])
        return available

    monkeypatch.setattr(Page, "_slug_is_available", staticmethod(autosave_wins_after_the_check))

    response = editor.post(f"/cms/pages/add/content/campaignpage/{home.pk}/", {**data, "action-publish": "publish"})

    assert response.status_code == 302
    assert response["Location"] == f"/cms/pages/{autosaved[0].pk}/edit/"
    assert [str(m) for m in get_messages(response.wsgi_request)][0].startswith("“Summer” was saved a moment ago")
    assert list(CampaignPage.objects.filter(slug="summer").values_list("pk", "live")) == [(autosaved[0].pk, False)]


def test_admin_refuses_a_voucher_block_with_an_unknown_code(editor, home, products):
    data = _campaign_form(title="Summer", products=[products["oxford"]], code="NOPE")

    response = editor.post(f"/cms/pages/add/content/campaignpage/{home.pk}/", {**data, "action-publish": "publish"})

    assert response.status_code == 200  # the form again, with the error
    assert not CampaignPage.objects.filter(slug="summer").exists()


def test_preview_shows_unsaved_changes_while_the_live_page_stays_the_same(editor, client, home, products):
    page = publish_child(
        home,
        CampaignPage(title="Summer", slug="summer", body=[("featured_products", {"products": [products["shirt"]]})]),
    )
    preview_url = f"/cms/pages/{page.pk}/edit/preview/"

    posted = editor.post(preview_url, _campaign_form(title="Summer preview", products=[products["mug"]]))
    assert posted.json()["is_valid"] is True
    preview = editor.get(preview_url, {"mode": ""})

    assert preview.status_code == 200
    assert "Stoneware Mug" in preview.content.decode() and "Summer preview" in preview.content.decode()
    live = client.get("/summer/").content.decode()
    assert "Linen Shirt" in live and "Stoneware Mug" not in live


def test_preview_is_for_editors_only(client, user, home):
    page = publish_child(home, CampaignPage(title="Summer", slug="summer"))
    client.force_login(user)
    response = client.get(f"/cms/pages/{page.pk}/edit/preview/")
    assert response.status_code in (302, 403)
