"""huey's consumer, with `/metrics` on `METRICS_PORT` when that is set (ops.metrics.worker_server) and
task spans when the OTEL_* variables turn tracing on (ops.tracing). At start it tidies the live gauges
ended processes left in PROMETHEUS_MULTIPROC_DIR (ops.metrics.exposition).

The `ops` app comes before `huey.contrib.djhuey` in INSTALLED_APPS, so `manage.py run_huey` is this
command; every option of huey's own command is kept."""

from django.conf import settings
from huey.contrib.djhuey.management.commands.run_huey import Command as HueyCommand

from ops.metrics.exposition import multiprocess_dead_tidy
from ops.metrics.worker_server import metrics_server_start
from ops.tracing.setup import tracing_start_from_env


class Command(HueyCommand):
    def handle(self, *args, **options):
        tracing_start_from_env()
        multiprocess_dead_tidy()
        if settings.METRICS_PORT:
            metrics_server_start(port=settings.METRICS_PORT)
        return super().handle(*args, **options)
