"""``python manage.py annual_report --office 5402 --fiscal-year 2569 --output report.pdf``."""
from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from emes.fiscal import year_option
from emes.models import Office
from reports.models import ReportJob
from reports.services import request_annual_report, run_report_job


class Command(BaseCommand):
    help = "Build the annual report PDF of an office for a fiscal year (BE) and write it to a file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--office", required=True, help="office area code, e.g. 5402")
        parser.add_argument("--fiscal-year", required=True, help="fiscal year in BE, e.g. 2569")
        parser.add_argument("--output", required=True, help="where to write the PDF")

    def handle(self, *args, office: str, fiscal_year: str, output: str, **options) -> None:
        found = Office.objects.filter(area_code=office).first()
        if found is None:
            raise CommandError(f"ไม่พบสำนักงานเขตพื้นที่รหัส {office} (unknown office {office})", returncode=2)
        fiscal_year = year_option(fiscal_year)  # a CE year or nonsense: the Thai hint, exit code 2
        # The command runs the build itself (whatever the broker) and keeps the job row, so
        # builds from scripts appear in the office's report history like any other. The service
        # refuses a year without a plan; that refusal is the operator's exit code 2.
        try:
            job = request_annual_report(office=found, fiscal_year=fiscal_year, by=None, enqueue=False)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages), returncode=2) from exc
        job = run_report_job(job.pk) or ReportJob.objects.get(pk=job.pk)
        if job.status != ReportJob.Status.DONE:
            raise CommandError(f"สร้างรายงานไม่สำเร็จ: {job.error}", returncode=1)
        with job.file.open("rb") as src:
            Path(output).write_bytes(src.read())
        self.stdout.write(self.style.SUCCESS(f"{output}: {Path(output).stat().st_size:,} bytes (job {job.pk})"))

