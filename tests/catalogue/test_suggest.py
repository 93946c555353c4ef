"""Search-box suggestions: GET /api/v1/search/suggest/?q= and the /ws/search/ websocket."""

import asyncio
import time

import pytest
from channels.testing import WebsocketCommunicator
from django.db import transaction
from oscar.core.loading import get_model
from wagtail.models import Page, PageViewRestriction

from catalogue.cache import catalogue_version, categories_version, search_version
from catalogue.catalogue.models import Product
from catalogue.consumers import suggestions_shared
from catalogue.partner.services import stockrecords_allocate, stockrecords_restock
from catalogue.suggest import search_suggestions
from config.asgi import application
from content.services import site_root_ensure
from tests.catalogue.conftest import product_with_stock

StockRecord = get_model("partner", "StockRecord")
BROWSER = [(b"host", b"testserver"), (b"origin", b"http://testserver")]


@pytest.fixture
def catalogue(db):
    product_with_stock("Oxford Shirt")
    product_with_stock("Linen Shirt")
    hidden = product_with_stock("Oxford Secret")
    hidden.is_public = False
    hidden.save()
    home = site_root_ensure()
    home.add_child(instance=Page(title="Oxford shirt care guide", slug="oxford-care", live=True))
    home.add_child(instance=Page(title="Draft about Oxford", slug="draft", live=False))


@pytest.mark.django_db
def test_suggest_finds_products_and_live_pages_as_you_type(api_client, catalogue):
    body = api_client.get("/api/v1/search/suggest/", {"q": "oxf"}).json()
    assert [item["title"] for item in body["products"]] == ["Oxford Shirt"]
    assert body["products"][0]["url"].startswith("/catalogue/oxford-shirt_")
    assert [item["title"] for item in body["pages"]] == ["Oxford shirt care guide"]


@pytest.mark.django_db
def test_suggest_needs_two_letters_and_never_fails_on_odd_input(api_client, catalogue):
    assert api_client.get("/api/v1/search/suggest/", {"q": "o"}).json() == {"q": "o", "products": [], "pages": []}
    for odd in ("", "'; drop table", "%%%", "x" * 500, "(oxford"):
        assert api_client.get("/api/v1/search/suggest/", {"q": odd}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "odd",
    ['ox"f', '"', "oxford\x18\x0e", "NEAR(oxford", "oxford AND OR NOT", "ox*", "-oxford", "^ox", "ox:ford",
     'ú"¬Ã\x91v¼\x97𣷒\x18×Z\U00049c15ü\U000e47af®Ðv\x8bg喆í\U00019a7dXY\x0e'],  # found by the contract check
)  # fmt: skip
def test_suggest_treats_search_syntax_and_control_characters_as_text(api_client, catalogue, odd):
    """The search engine's own syntax (FTS5 on SQLite) never reaches it from a shopper's query: 200, not 500."""
    response = api_client.get("/api/v1/search/suggest/", {"q": odd})
    assert response.status_code == 200
    if odd in ("oxford\x18\x0e", "-oxford", "ox*", "^ox"):  # only the words are searched for
        assert [page["title"] for page in response.json()["pages"]] == ["Oxford shirt care guide"]


@pytest.mark.django_db(transaction=True)
async def test_websocket_answers_each_query_with_suggestions(catalogue):
    communicator = WebsocketCommunicator(application, "/ws/search/", headers=BROWSER)
    assert (await communicator.connect())[0]
    await communicator.send_json_to({"q": "shirt"})
    reply = await communicator.receive_json_from(timeout=10)
    assert reply["type"] == "suggestions" and reply["q"] == "shirt"
    assert {item["title"] for item in reply["products"]} == {"Oxford Shirt", "Linen Shirt"}
    await communicator.send_json_to({"nope": 1})
    assert (await communicator.receive_json_from(timeout=10))["code"] == "bad_request"
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_websocket_throttles_then_closes_a_flood(settings, catalogue):
    settings.SEARCH_WS_RATE_FRAMES = 2
    communicator = WebsocketCommunicator(application, "/ws/search/", headers=BROWSER)
    assert (await communicator.connect())[0]
    codes = []
    for _ in range(7):
        await communicator.send_json_to({"q": "o"})
    for _ in range(6):
        codes.append((await communicator.receive_json_from(timeout=10)).get("code"))
    assert codes[:2] == [None, None] and set(codes[2:]) == {"throttled"}
    assert (await communicator.receive_output(timeout=10)) == {"type": "websocket.close", "code": 4429}


@pytest.mark.django_db(transaction=True)
async def test_websocket_refuses_foreign_origins(catalogue):
    communicator = WebsocketCommunicator(application, "/ws/search/", headers=[(b"origin", b"http://evil.example")])
    connected, _code = await communicator.connect()
    assert not connected


@pytest.mark.django_db
def test_a_repeated_query_is_answered_from_the_cache(catalogue, django_assert_num_queries):
    first = search_suggestions(query="oxf")

    with django_assert_num_queries(0):
        again = search_suggestions(query="oxf")

    assert again == first and [item["title"] for item in again["products"]] == ["Oxford Shirt"]


@pytest.mark.django_db
def test_a_renamed_product_shows_at_the_next_keystroke(catalogue, django_capture_on_commit_callbacks):
    search_suggestions(query="oxf")
    product = Product.objects.get(title="Oxford Shirt")

    with django_capture_on_commit_callbacks(execute=True):
        product.title = "Oxford Button-down"
        product.save()

    assert [item["title"] for item in search_suggestions(query="oxf")["products"]] == ["Oxford Button-down"]


@pytest.mark.django_db
def test_a_published_or_unpublished_page_shows_at_the_next_keystroke(catalogue, django_capture_on_commit_callbacks):
    assert [page["title"] for page in search_suggestions(query="oxf")["pages"]] == ["Oxford shirt care guide"]
    draft = Page.objects.get(slug="draft")

    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    assert {page["title"] for page in search_suggestions(query="oxf")["pages"]} == {
        "Oxford shirt care guide", "Draft about Oxford"
    }  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(slug="oxford-care").unpublish()
    assert [page["title"] for page in search_suggestions(query="oxf")["pages"]] == ["Draft about Oxford"]


@pytest.mark.django_db(transaction=True)
async def test_sockets_asking_the_same_question_at_once_share_one_search(catalogue, settings, monkeypatch):
    """A crowd's first keystrokes: three sockets ask "shi" while it is being searched (on threads enough
    for all of them, which would each search it), one asks "oxf". Two searches run, and all four answers
    are right."""
    import catalogue.suggest as suggest

    settings.WEBSOCKET_DB_THREADS = 4
    searched: list[str] = []
    build = suggest._suggestions_built

    def slow_build(query: str, limit: int) -> dict:
        searched.append(query)
        time.sleep(0.3)  # long enough for every asker to arrive while it runs
        return build(query, limit)

    monkeypatch.setattr(suggest, "_suggestions_built", slow_build)

    answers = await asyncio.gather(*(suggestions_shared(q) for q in ("shi", "shi", " shi ", "oxf")))

    assert sorted(searched) == ["oxf", "shi"]
    assert [answer["q"] for answer in answers] == ["shi", "shi", "shi", "oxf"]
    assert {item["title"] for item in answers[0]["products"]} == {"Oxford Shirt", "Linen Shirt"}
    assert answers[0] == answers[2]


@pytest.mark.django_db
def test_stock_moving_with_an_order_leaves_the_suggestions_and_the_category_menu_cached(
    catalogue, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """Suggestions show titles and links only: an order's stock allocation (and a restock) makes product
    pages stale, not them, and not the category menu (ADR 23 addendum)."""
    first = search_suggestions(query="oxf")
    record = Product.objects.get(title="Oxford Shirt").stockrecords.get()
    before = (catalogue_version(), search_version(), categories_version())

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        locked = StockRecord.objects.select_for_update().get(pk=record.pk)
        stockrecords_allocate(records={locked.pk: locked}, quantities={locked.pk: 1})
    with django_capture_on_commit_callbacks(execute=True):
        stockrecords_restock(quantities={record.pk: 2})

    assert catalogue_version() != before[0]
    assert (search_version(), categories_version()) == before[1:]
    with django_assert_num_queries(0):
        assert search_suggestions(query="oxf") == first


@pytest.mark.django_db
def test_a_page_put_behind_a_view_restriction_leaves_the_suggestions_at_the_next_keystroke(
    catalogue, django_capture_on_commit_callbacks
):
    assert [page["title"] for page in search_suggestions(query="oxf")["pages"]] == ["Oxford shirt care guide"]
    guide = Page.objects.get(slug="oxford-care")

    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(page=guide, restriction_type=PageViewRestriction.LOGIN)
    assert search_suggestions(query="oxf")["pages"] == []

    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert [page["title"] for page in search_suggestions(query="oxf")["pages"]] == ["Oxford shirt care guide"]
