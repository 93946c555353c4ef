"""Import jobs in the background. Tasks take the job's primary key and are safe to run twice: each
service only picks up a job in the state it expects (uploaded -> dry run, queued -> import)."""

from huey.contrib.djhuey import db_task

from . import services


@db_task()
def import_job_dry_run_task(job_id: int) -> str | None:
    job = services.import_job_dry_run(job_id=job_id)
    return job.status if job else None


@db_task()
def import_job_import_task(job_id: int) -> str | None:
    job = services.import_job_import(job_id=job_id)
    return job.status if job else None
