"""``python manage.py generate_calendar --office 5402 --fiscal-year 2570``: lay out a year's monitoring calendar."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from emes.calendar.services import generate_calendar
from emes.fiscal import year_option
from emes.models import Office


class Command(BaseCommand):
    help = "Generate (or regenerate) an office's monitoring calendar for a fiscal year (BE); hand edits are kept."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--office", required=True, help="office area code, e.g. 5402")
        parser.add_argument("--fiscal-year", required=True, help="fiscal year in BE, e.g. 2570")

    def handle(self, *args, office: str, fiscal_year: int, **options) -> None:
        found = Office.objects.filter(area_code=office).first()
        if found is None:
            raise CommandError(f"ไม่พบสำนักงานเขตพื้นที่รหัส {office} (unknown office {office})", returncode=2)
        fiscal_year = year_option(fiscal_year)  # a CE year or nonsense: the Thai hint, exit code 2
        try:
            result = generate_calendar(found, fiscal_year)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages), returncode=2) from exc
        self.stdout.write(self.style.SUCCESS(
            f"{found.area_code} FY {fiscal_year}: created {result.created}, updated {result.updated}, "
            f"unchanged {result.unchanged}, kept (edited/cancelled) {result.kept_edited}, removed {result.removed}"
        ))
