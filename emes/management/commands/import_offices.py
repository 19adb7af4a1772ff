"""``python manage.py import_offices FILE``: create or update the offices of an OBEC office list.

Reads ``data/01_schools/esa_list_obec_emis_2022.csv`` (or the same columns in CSV/XLSX): 183
primary + 62 secondary areas, and the special-education bureau (area 100700), which is imported as
type ``special``. Offices are matched by area code, so running it again changes nothing new.
Exit status 2 with the problems (Thai) on stderr for a bad file; nothing is saved then.
"""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from emes.registry.parsing import ImportFileError
from emes.registry.services import import_offices


class Command(BaseCommand):
    help = "Create or update offices (area code, name, type, province) from an OBEC office list (CSV or XLSX). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV or XLSX with columns esa_type, area_code, esa_name (seq ignored).")

    def handle(self, *args, **options) -> None:
        try:
            summary = import_offices(options["file"])
        except FileNotFoundError as exc:
            raise CommandError(f"File not found: {exc.filename}", returncode=2) from exc
        except ImportFileError as exc:
            raise CommandError("\n".join(exc.messages), returncode=2) from exc
        by_type = ", ".join(f"{kind} {count}" for kind, count in sorted(summary["by_type"].items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Offices: {summary['total']} in the file ({by_type}); "
                f"added {summary['added']}, changed {summary['changed']}, unchanged {summary['unchanged']}."
            )
        )
