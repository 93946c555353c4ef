import pytest

from tests.webhook_receiver import WebhookReceiver


@pytest.fixture
def receiver():
    """An app's webhook receiver on 127.0.0.1 (a free port) that verifies signatures."""
    server = WebhookReceiver()
    server.start()
    yield server
    server.stop()
