"""Liveness and readiness for load balancers and orchestrators.

- `/healthz`: the process answers. Touches nothing else, so a database outage does not restart pods.
- `/readyz`: every dependency (database, cache, channel layer, task queue) named with its state and
  whether it is critical (`READYZ_CRITICAL_CHECKS`, default the database). 503 "unavailable" when a
  critical one is down; 200 "degraded" when only others are (the shop sells without Redis: taking
  every server out of the load balancer for it would turn a degraded shop into a down one; ADR 0025);
  200 "ok" when all are up.
  `warnings` lists operator notices (an unsafe switch left on, e.g. the dummy payment gateway); they
  do not change the status.
"""

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .notices import readiness_notices
from .probes import run_probes


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    results = run_probes()
    critical = set(settings.READYZ_CRITICAL_CHECKS)
    down = {result.name for result in results if not result.up}
    status = "unavailable" if down & critical else "degraded" if down else "ok"
    body = {
        "status": status,
        "checks": {r.name: {**r.as_dict(), "critical": r.name in critical} for r in results},
        "warnings": readiness_notices(),
    }
    return JsonResponse(body, status=503 if status == "unavailable" else 200)
