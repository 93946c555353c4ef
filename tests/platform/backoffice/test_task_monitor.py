"""The huey task monitor against real huey storages: queued, scheduled, failures, retry and dismiss;
running tasks and recent runs; emptying the queue and the recent lists. Every action asks first."""

import threading

import pytest
from django.contrib.admin.models import LogEntry
from huey import RedisHuey, SqliteHuey
from huey.contrib import djhuey

from backoffice.task_activity import RECENT_SLOTS, task_activity_install
from backoffice.task_failures import task_failures_install
from tests.huey_worker import wait_until

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
    task_activity_install(instance)
    monkeypatch.setattr(djhuey, "HUEY", instance)
    yield instance
    instance.flush()


def _run_next(huey):
    huey.execute(huey.dequeue())


def _confirmed(client, data):
    """Post an action the way staff do: the first POST asks, the second (confirm=yes) acts."""
    question = client.post(URL, data)
    assert question.status_code == 200 and 'name="confirm" value="yes"' in question.content.decode()
    return client.post(URL, {**data, "confirm": "yes"}, follow=True)


def _failed_id(huey) -> str:
    return next(key.split(":")[-1] for key in huey.all_results() if key.startswith("hypex:failed:"))


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
    failed_id = _failed_id(huey)

    asked = client.post(URL, {"action": "retry", "task_id": failed_id}).content.decode()
    assert f"Run failed task {failed_id} again" in asked and huey.pending_count() == 2  # nothing happened yet

    response = _confirmed(client, {"action": "retry", "task_id": failed_id})

    assert f"Task {failed_id} is queued again." in response.content.decode()
    assert huey.pending_count() == 3
    assert "No failures recorded." in response.content.decode()
    retried = [task for task in huey.pending() if task.id == failed_id]
    assert retried and retried[0].args == ("100077",)
    assert LogEntry.objects.filter(user=staff_user, change_message=f"Retried failed task {failed_id}.").exists()


def test_a_task_with_retries_left_is_not_a_failure_yet_then_dismiss_forgets_one(client, staff_user, huey):
    @huey.task(retries=1)
    def sync_stock(sku):
        raise RuntimeError(f"warehouse down for {sku}")

    sync_stock("SKU-1")
    _run_next(huey)
    client.force_login(staff_user)
    html = client.get(URL).content.decode()
    assert "No failures recorded." in html
    assert "1 retry left" in html  # but the run is in the recent errors
    assert huey.pending_count() == 1  # requeued by huey itself

    _run_next(huey)  # second and last attempt
    html = client.get(URL).content.decode()
    assert "RuntimeError(&#x27;warehouse down for SKU-1&#x27;)" in html
    task_id = _failed_id(huey)

    response = _confirmed(client, {"action": "dismiss", "task_id": task_id})
    assert "No failures recorded." in response.content.decode()
    again = _confirmed(client, {"action": "retry", "task_id": task_id})
    assert "no longer recorded" in again.content.decode()
    assert huey.pending_count() == 0


def test_running_tasks_show_while_they_run_then_as_recent_successes_with_their_duration(client, staff_user, huey):
    started, release = threading.Event(), threading.Event()

    @huey.task()
    def export_orders(day):
        started.set()
        release.wait(10)
        return day

    export_orders("2026-12-01")
    worker = threading.Thread(target=_run_next, args=(huey,), name="Worker-7")
    worker.start()
    client.force_login(staff_user)
    try:
        assert started.wait(10)
        html = client.get(URL).content.decode()
        running = html[html.index('id="running-tasks"') :]
        assert 'id="running-count">1<' in html and "export_orders" in running and "Worker-7" in running
    finally:
        release.set()
        worker.join(10)

    html = client.get(URL).content.decode()
    assert 'id="running-count">0<' in html and "Nothing is running." in html
    successes = html[html.index('id="recent-successes"') :]
    assert 'id="recent-ok-count">1<' in html and "export_orders" in successes and " s</td>" in successes


def test_recent_lists_keep_the_last_runs_only_and_can_be_purged(client, staff_user, huey):
    @huey.task()
    def ping(n):
        return n

    for n in range(RECENT_SLOTS + 5):
        ping(n)
        _run_next(huey)
    client.force_login(staff_user)
    assert f'id="recent-ok-count">{RECENT_SLOTS}<' in client.get(URL).content.decode()

    response = _confirmed(client, {"action": "purge_recent"})

    html = response.content.decode()
    assert f"Recent runs forgotten ({RECENT_SLOTS})." in html and 'id="recent-ok-count">0<' in html
    ping(1)
    _run_next(huey)
    assert 'id="recent-ok-count">1<' in client.get(URL).content.decode()


def test_emptying_the_queue_drops_queued_tasks_only(client, staff_user, huey):
    @huey.task()
    def reindex(n):
        return n

    @huey.task()
    def fails():
        raise ValueError("kept")

    fails()
    _run_next(huey)
    reindex.schedule(args=(9,), delay=3600)
    _run_next(huey)  # moved to the schedule
    for n in range(3):
        reindex(n)
    client.force_login(staff_user)
    asked = client.post(URL, {"action": "flush_queue"}).content.decode()
    assert "Drop every task waiting in the queue (3 now)?" in asked and huey.pending_count() == 3

    response = client.post(URL, {"action": "flush_queue", "confirm": "yes"}, follow=True)

    assert "The queue is empty: 3 queued tasks dropped." in response.content.decode()
    assert huey.pending_count() == 0 and huey.scheduled_count() == 1  # the schedule stays
    assert _failed_id(huey)  # and so do the failure records
    assert LogEntry.objects.filter(change_message="Emptied the task queue (3 queued tasks dropped).").exists()


def test_immediate_mode_says_there_is_no_queue_and_how_periodic_tasks_run(client, staff_user):
    assert djhuey.HUEY.immediate  # the test settings run tasks in-process
    client.force_login(staff_user)
    html = client.get(URL).content.decode()
    assert 'id="task-monitor-immediate"' in html and "There is no queue" in html
    # The test settings start no periodic runner, and the page says what that means.
    assert 'id="periodic-none"' in html and "HUEY_PERIODIC_RUNNER" in html


def test_an_unknown_action_changes_nothing(client, staff_user):
    client.force_login(staff_user)
    response = client.post(URL, {"action": "drop_database", "confirm": "yes"}, follow=True)
    assert "Unknown action." in response.content.decode()


@pytest.mark.redis
def test_monitor_and_retry_say_the_queue_is_unavailable_when_redis_is_down(
    client, staff_user, redis_server, monkeypatch
):
    instance = RedisHuey(
        name="monitor-outage", url=f"{redis_server.url}?socket_connect_timeout=1&socket_timeout=1", immediate=False
    )
    task_activity_install(instance)
    monkeypatch.setattr(djhuey, "HUEY", instance)
    client.force_login(staff_user)
    redis_server.stop()

    page = client.get(URL)
    assert page.status_code == 200
    assert "task-monitor-unavailable" in page.content.decode()
    assert "does not answer (ConnectionError" in page.content.decode()
    assert 'id="outbox-backlog"' in page.content.decode()  # the outbox lives in the database

    response = _confirmed(client, {"action": "retry", "task_id": "0123"})
    assert response.status_code == 200
    assert "The task queue is unavailable (ConnectionError); nothing was changed." in response.content.decode()
    response = _confirmed(client, {"action": "dismiss", "task_id": "0123"})
    assert "The task queue is unavailable" in response.content.decode()
    response = _confirmed(client, {"action": "purge_recent"})
    assert "The task queue is unavailable" in response.content.decode()


def test_a_task_runs_although_the_monitor_cannot_record_it(monkeypatch, tmp_path):
    instance = SqliteHuey(name="monitor-broken", filename=str(tmp_path / "huey.sqlite3"), immediate=False)
    task_activity_install(instance)
    from backoffice import task_activity

    def broken(huey):
        raise OSError("disk full")

    monkeypatch.setattr(task_activity, "activity_storage", broken)
    done = []

    @instance.task()
    def work():
        done.append(1)
        return 1

    work()
    _run_next(instance)
    assert wait_until(lambda: done == [1], 1)
