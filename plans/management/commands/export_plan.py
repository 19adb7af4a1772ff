"""``python manage.py export_plan --office CODE --fiscal-year BE --output FILE``.

Writes an office's action plan as the EMES plan workbook (.xlsx), the shape the import reads back
unchanged (:func:`plans.workbook.services.export_plan_workbook`). Exit status 2 for an unknown office
or a fiscal year that is not BE.
"""
from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from emes.fiscal import year_option
from emes.models import Office
from plans.workbook.services import export_plan_workbook


class Command(BaseCommand):
    help = "Export an office's action plan of a fiscal year to the EMES plan workbook (.xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--office", required=True, help="Area code of the office, e.g. 5402.")
        parser.add_argument("--fiscal-year", required=True, help="Fiscal year (BE), e.g. 2569.")
        parser.add_argument("--output", required=True, help="Path of the .xlsx file to write.")

    def handle(self, *args, **options) -> None:
        office = Office.objects.filter(area_code=options["office"]).first()
        if office is None:
            raise CommandError(_("There is no office with area code %(code)s.") % {"code": options["office"]}, returncode=2)
        year = year_option(options["fiscal_year"])  # a CE year or nonsense: the Thai hint, exit code 2
        try:
            data = export_plan_workbook(office, year)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages), returncode=2) from exc
        path = Path(options["output"])
        path.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} ({len(data):,} bytes): {office.area_code} {office.name}, FY {year}."))
