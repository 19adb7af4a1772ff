"""Celery tasks of the reports app: they take ids and call one service."""
from celery import shared_task

from . import services


@shared_task(name="reports.build_report", acks_late=True)
def build_report_task(job_id: int) -> None:
    """Build the document of ``ReportJob`` ``job_id``; quietly does nothing if it is gone or already claimed."""
    services.run_report_job(job_id)
