from django.apps import AppConfig
from django.core.signals import got_request_exception
from django.db.backends.signals import connection_created
from huey.contrib.djhuey import HUEY


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from sideeffects.metrics import outbox_backlog_collect

        from . import server_checks  # noqa: F401 - registers the check
        from .metrics import checks  # noqa: F401 - registers the deploy check
        from .metrics.database import query_stats_install
        from .metrics.database_pool import database_pool_collect
        from .metrics.exposition import scrape_collector_register
        from .metrics.http import request_exception_record
        from .metrics.readiness import readiness_collect
        from .metrics.tasks import task_metrics_install, task_queue_collect
        from .tracing.database import sql_spans_on_connect
        from .tracing.tasks import task_spans_install

        connection_created.connect(query_stats_install, dispatch_uid="ops.metrics.query_stats")
        got_request_exception.connect(request_exception_record, dispatch_uid="ops.metrics.exceptions")
        connection_created.connect(sql_spans_on_connect, dispatch_uid="ops.tracing.sql_spans")
        task_metrics_install(HUEY)
        task_spans_install(HUEY)
        scrape_collector_register("task_queue", lambda: task_queue_collect(HUEY))
        scrape_collector_register("outbox", outbox_backlog_collect)
        scrape_collector_register("readiness", readiness_collect)
        scrape_collector_register("database_pool", database_pool_collect)
