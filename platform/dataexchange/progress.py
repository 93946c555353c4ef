"""Live progress of a running dry run or import.

The import runs inside one transaction, so progress cannot go to the job's row (nobody else would see it
before the commit). It goes to the cache (Redis in production, shared by web and workers) and to the log;
the job row gets the final count when the run ends.
"""

from __future__ import annotations

import logging

from django.core.cache import cache

logger = logging.getLogger("dataexchange")
TTL_SECONDS = 6 * 3600


def _key(job_id: int) -> str:
    return f"dataexchange:import-job:{job_id}:progress"


def progress_publish(*, job_id: int, phase: str, done: int, total: int) -> None:
    cache.set(_key(job_id), {"phase": phase, "done": done, "total": total}, TTL_SECONDS)
    logger.info("import job %s: %s %s/%s rows", job_id, phase, done, total)


def progress_read(*, job_id: int) -> dict | None:
    return cache.get(_key(job_id))


def progress_clear(*, job_id: int) -> None:
    cache.delete(_key(job_id))
