"""Endpoint URLs cannot reach the shop's own network (SSRF) or go unencrypted, unless switched on (ADR 0048)."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks
from django.db import transaction

from eventhooks.models import WebhookAttempt, WebhookEndpoint
from eventhooks.safety import WebhookUrlRefused, webhook_url_check
from eventhooks.services import webhook_endpoint_create, webhook_event_publish


@pytest.fixture
def production_rules(settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False


@pytest.mark.usefixtures("production_rules")
@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://93.184.215.14/hooks", "https"),
        ("https://127.0.0.1/hooks", "loopback"),
        ("https://localhost:8443/hooks", "loopback"),
        ("https://10.1.2.3/hooks", "private"),
        ("https://192.168.0.10/hooks", "private"),
        ("https://169.254.169.254/latest/meta-data/", "link-local"),
        ("https://[::1]/hooks", "loopback"),
        ("https://[::ffff:127.0.0.1]/hooks", "loopback"),
        ("https://0.0.0.0/hooks", "private"),
        ("https://user:pw@93.184.215.14/hooks", "user name"),
        ("ftp://93.184.215.14/hooks", "https"),
        ("https:///hooks", "no host"),
        ("https://93.184.215.14:99999/", "valid"),
        ("https://exa mple.com/\x00", "spaces"),
    ],
)
def test_urls_that_are_not_public_https_are_refused(url, why):
    with pytest.raises(WebhookUrlRefused, match=why):
        webhook_url_check(url=url)


@pytest.mark.usefixtures("production_rules")
def test_a_public_https_address_is_accepted():
    webhook_url_check(url="https://93.184.215.14/hooks")


@pytest.mark.django_db
@pytest.mark.usefixtures("production_rules")
def test_an_endpoint_on_loopback_cannot_be_created_and_an_existing_one_is_not_called(
    receiver, settings, django_capture_on_commit_callbacks
):
    with pytest.raises(WebhookUrlRefused):
        webhook_endpoint_create(url=receiver.url.replace("http:", "https:"), events=["order.paid"])
    # one saved while allowed (or a name that now resolves inward): refused again before each POST
    settings.WEBHOOK_ALLOW_HTTP = settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    webhook_endpoint_create(url=receiver.url, events=["order.paid"])
    settings.WEBHOOK_ALLOW_HTTP = settings.WEBHOOK_ALLOW_PRIVATE_URLS = False

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        webhook_event_publish(event="order.paid", data={})

    assert receiver.received == []
    attempt = WebhookAttempt.objects.get()
    assert attempt.error.startswith("Refused: Webhook URLs must use https") and attempt.status_code is None
    assert WebhookEndpoint.objects.count() == 1


def test_check_deploy_warns_while_private_or_http_urls_are_allowed(settings, production_rules):
    assert [m.id for m in run_checks(include_deployment_checks=True) if m.id == "hypex.W048"] == []
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    assert [m.id for m in run_checks(include_deployment_checks=True) if m.id == "hypex.W048"] == ["hypex.W048"]
