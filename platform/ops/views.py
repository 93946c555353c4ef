"""Liveness and readiness for load balancers and orchestrators.

- `/healthz`: the process answers. Touches nothing else, so a database outage does not restart pods.
- `/readyz`: every dependency (database, cache, channel layer, task queue) named with its state;
  200 when all are up, 503 when any is down. `warnings` lists operator notices (an unsafe switch left
  on, e.g. the dummy payment gateway); they do not change the status.
"""

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
    ready = all(result.up for result in results)
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {r.name: r.as_dict() for r in results},
        "warnings": readiness_notices(),
    }
    return JsonResponse(body, status=200 if ready else 503)
