"""The huey task monitor against real huey storages: queued, scheduled, failures, retry and dismiss."""

import pytest
from django.contrib.auth import get_user_model
from huey import RedisHuey, SqliteHuey
from huey.contrib import djhuey

from backoffice.task_failures import task_failures_install

pytestmark = pytest.mark.django_db
URL = "/admin/tasks/"


@pytest.fixture(params=["sqlite", "redis"])
def huey(request, tmp_path, monkeypatch):
    if request.param == "redis":
        server = request.getfixturevalue("redis_server")  # started already
        instance = RedisHuey(name="monitor-test", url=server.url, immediate=False)
    else:
        instance = SqliteHuey(name="monitor-test", filename=str(tmp_path / "huey.sqlite3"), immediate=False)
    task_failures_install(instance)
    monkeypatch.setattr(djhuey, "HUEY", instance)
    yield instance
    instance.flush()


def _run_next(huey):
    huey.execute(huey.dequeue())


def test_monitor_shows_queued_scheduled_and_failed_tasks_and_retries_a_failure(client, staff_user, huey):
    @huey.task()
    def send_parcel_label(order_number):
        raise ValueError(f"carrier rejected {order_number}")

    @huey.task()
    def rebuild_search_index(batch):
        return batch

    send_parcel_label("100077")
    _run_next(huey)  # fails for good: no retries
    rebuild_search_index.schedule(args=(3,), delay=3600)
    _run_next(huey)  # not due: the consumer moves it to the schedule
    rebuild_search_index(1)
    rebuild_search_index(2)
    client.force_login(staff_user)

    html = client.get(URL).content.decode()

    assert 'id="pending-count">2<' in html and 'id="scheduled-count">1<' in html
    assert "rebuild_search_index" in html
    assert "send_parcel_label" in html and "ValueError(&#x27;carrier rejected 100077&#x27;)" in html
    assert "Traceback (most recent call last)" in html
    failed_id = next(key.split(":")[-1] for key in huey.all_results() if key.startswith("hypex:failed:"))

    response = client.post(URL, {"action": "retry", "task_id": failed_id}, follow=True)

    assert f"Task {failed_id} is queued again." in response.content.decode()
    assert huey.pending_count() == 3
    assert "No failures recorded." in response.content.decode()
    retried = [task for task in huey.pending() if task.id == failed_id]
    assert retried and retried[0].args == ("100077",)


def test_a_task_with_retries_left_is_not_a_failure_yet_then_dismiss_forgets_one(client, staff_user, huey):
    @huey.task(retries=1)
    def sync_stock(sku):
        raise RuntimeError(f"warehouse down for {sku}")

    sync_stock("SKU-1")
    _run_next(huey)
    client.force_login(staff_user)
    assert "No failures recorded." in client.get(URL).content.decode()
    assert huey.pending_count() == 1  # requeued by huey itself

    _run_next(huey)  # second and last attempt
    html = client.get(URL).content.decode()
    assert "RuntimeError(&#x27;warehouse down for SKU-1&#x27;)" in html
    task_id = next(key.split(":")[-1] for key in huey.all_results() if key.startswith("hypex:failed:"))

    response = client.post(URL, {"action": "dismiss", "task_id": task_id}, follow=True)
    assert "No failures recorded." in response.content.decode()
    again = client.post(URL, {"action": "retry", "task_id": task_id}, follow=True)
    assert "no longer recorded" in again.content.decode()
    assert huey.pending_count() == 0


def test_immediate_mode_says_there_is_no_queue(client, staff_user):
    assert djhuey.HUEY.immediate  # the test settings run tasks in-process
    client.force_login(staff_user)
    html = client.get(URL).content.decode()
    assert 'id="task-monitor-immediate"' in html and "There is no queue" in html


def test_only_superusers_see_the_monitor(client):
    clerk = get_user_model().objects.create_user(email="clerk@example.com", password="a-long-password-1")
    clerk.is_staff = True
    clerk.save()
    client.force_login(clerk)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"action": "retry", "task_id": "x"}).status_code == 403


@pytest.mark.redis
def test_monitor_and_retry_say_the_queue_is_unavailable_when_redis_is_down(
    client, staff_user, redis_server, monkeypatch
):
    instance = RedisHuey(
        name="monitor-outage", url=f"{redis_server.url}?socket_connect_timeout=1&socket_timeout=1", immediate=False
    )
    monkeypatch.setattr(djhuey, "HUEY", instance)
    client.force_login(staff_user)
    redis_server.stop()

    page = client.get(URL)
    assert page.status_code == 200
    assert "task-monitor-unavailable" in page.content.decode()
    assert "does not answer (ConnectionError" in page.content.decode()

    response = client.post(URL, {"action": "retry", "task_id": "0123"}, follow=True)
    assert response.status_code == 200
    assert "The task queue is unavailable (ConnectionError); nothing was changed." in response.content.decode()
    response = client.post(URL, {"action": "dismiss", "task_id": "0123"}, follow=True)
    assert "The task queue is unavailable" in response.content.decode()
