"""``python manage.py import_schools FILE --office CODE [--academic-year BE] [--dry-run]``.

Imports a school list into one office's registry with the same checks as the upload page
(:mod:`emes.registry.services`): the preview is printed (added, changed field by field, marked
missing), then applied all or nothing and recorded as a ``SchoolImport``. ``--dry-run`` prints
the preview and saves nothing. The upload size limit does not apply here: the server's own files
(e.g. the 6 MB national list, filtered to the office by its area column) may be read.

Exit status 2 with the problems (Thai) on stderr for a bad file or an unknown office.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from emes.fiscal import parse_academic_year, year_option
from emes.models import Office
from emes.registry.services import Preview, current_academic_year, import_schools_from_file


class Command(BaseCommand):
    help = "Import schools (codes, names, clusters, districts, status, students per grade) of one office from CSV or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV or XLSX in one of the shapes of data/01_schools (see the upload page).")
        parser.add_argument("--office", required=True, help="Area code of the office, e.g. 5402.")
        parser.add_argument("--academic-year", default=None, help="Academic year (BE) of the student counts; default: the current one (starts 16 May).")
        parser.add_argument("--dry-run", action="store_true", help="Print the preview; change nothing.")

    def handle(self, *args, **options) -> None:
        office = Office.objects.filter(area_code=options["office"]).first()
        if office is None:
            raise CommandError(_("There is no office with area code %(code)s; import the offices first (import_offices).") % {"code": options["office"]}, returncode=2)
        year = (  # a CE year or nonsense: the Thai hint, exit code 2
            year_option(options["academic_year"], parse=parse_academic_year) if options["academic_year"] else current_academic_year()
        )
        try:
            preview, summary = import_schools_from_file(options["file"], office, academic_year=year, dry_run=options["dry_run"])
        except FileNotFoundError as exc:
            raise CommandError(f"File not found: {exc.filename}", returncode=2) from exc
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages), returncode=2) from exc
        self._print_preview(preview, verbose=options["dry_run"] or options["verbosity"] > 1)
        counts = summary or preview.summary()
        line = (
            f"{office.area_code} {office.name}, academic year {year}: {counts['rows']} schools read; "
            f"added {counts['added']}, changed {counts['changed']}, marked missing {counts['marked']}, "
            f"back in the list {counts['unmarked']}, unchanged {counts['unchanged']}, enrolment rows {counts['enrolments']}."
        )
        if summary is None:
            self.stdout.write(self.style.WARNING("Dry run, nothing saved. " + line))
        else:
            self.stdout.write(self.style.SUCCESS("Applied. " + line))

    def _print_preview(self, preview: Preview, *, verbose: bool) -> None:
        parsed = preview.parsed
        self.stdout.write(f"File: {parsed.shape} ({parsed.file_type}{', ' + parsed.encoding if parsed.encoding else ''})")
        self.stdout.write("Updates: " + ", ".join(preview.field_labels))
        if parsed.ignored_columns:
            self.stdout.write("Ignored columns: " + ", ".join(parsed.ignored_columns))
        for note in parsed.notes:
            self.stdout.write("Note: " + note)
        for warning in parsed.warnings:
            self.stdout.write(self.style.WARNING("Warning: " + warning))
        if not verbose:
            return
        for line in preview.added:
            self.stdout.write(f"+ {line.smis_code} {line.name}")
        for line in preview.changed:
            self.stdout.write(f"~ {line.smis_code} {line.name}")
            for change in line.changes:
                self.stdout.write(f"    {change.label}: {change.old} → {change.new}")
        for line in preview.marked:
            self.stdout.write(f"- {line.smis_code} {line.name} (missing from the file)")
