"""``python manage.py import_plan FILE --office CODE --fiscal-year BE [--by USERNAME] [--dry-run]``.

Imports an action-plan workbook into one office's plan with the same checks as the upload page
(:mod:`plans.workbook.services`): the preview is printed (created, changed field by field, removed),
then applied all or nothing and recorded as a ``PlanImport``. ``--dry-run`` prints the preview and
saves nothing. The upload size limit does not apply. ``--by`` names the plan officer recorded as the
uploader (optional: without it the import is recorded as the operator's; a first import creates version 1).

Exit status 2 with the problems (Thai) on stderr for a bad file, an unknown office or user, or a plan
that cannot be changed.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from emes.fiscal import year_option
from emes.models import Office
from plans.workbook.changes import PlanChanges
from plans.workbook.services import import_plan_from_file


class Command(BaseCommand):
    help = "Import an office's action plan (projects, indicators, activities, budget lines) from the EMES plan workbook (.xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The plan workbook (.xlsx): the template filled in, or an export.")
        parser.add_argument("--office", required=True, help="Area code of the office, e.g. 5402.")
        parser.add_argument("--fiscal-year", required=True, help="Fiscal year (BE), e.g. 2569.")
        parser.add_argument("--by", default=None, help="Username of the plan officer recorded as the uploader (optional).")
        parser.add_argument("--dry-run", action="store_true", help="Print the preview; change nothing.")

    def handle(self, *args, **options) -> None:
        office = Office.objects.filter(area_code=options["office"]).first()
        if office is None:
            raise CommandError(_("There is no office with area code %(code)s.") % {"code": options["office"]}, returncode=2)
        by = None
        if options["by"]:
            by = get_user_model().objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(_("There is no user %(name)s.") % {"name": options["by"]}, returncode=2)
        year = year_option(options["fiscal_year"])  # a CE year or nonsense: the Thai hint, exit code 2
        try:
            changes, summary = import_plan_from_file(options["file"], office, year, by=by, dry_run=options["dry_run"])
        except FileNotFoundError as exc:
            raise CommandError(f"File not found: {exc.filename}", returncode=2) from exc
        except (ValidationError, PermissionDenied) as exc:
            lines = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("\n".join(lines), returncode=2) from exc
        self._print(changes, verbose=options["dry_run"] or options["verbosity"] > 1)
        counts = summary or changes.summary()
        line = (
            f"{office.area_code} {office.name}, FY {year}: {counts['rows']['projects']} projects read; "
            + "; ".join(
                f"{kind} +{counts[f'{kind}_added']} ~{counts[f'{kind}_changed']} -{counts[f'{kind}_removed']} ={counts[f'{kind}_unchanged']}"
                for kind in ("projects", "indicators", "activities", "budget_lines")
            )
            + f"; {counts['changes']} changes."
        )
        if summary is None:
            self.stdout.write(self.style.WARNING("Dry run, nothing saved. " + line))
        else:
            self.stdout.write(self.style.SUCCESS("Applied. " + line))

    def _print(self, changes: PlanChanges, *, verbose: bool) -> None:
        if not verbose:
            return
        for section in changes.sections:
            for line in section.added:
                self.stdout.write(f"+ {section.kind} {line.key} {line.name}")
            for line in section.changed:
                self.stdout.write(f"~ {section.kind} {line.key} {line.name}")
                for change in line.changes:
                    self.stdout.write(f"    {change.label}: {change.old} → {change.new}")
            for line in section.removed:
                self.stdout.write(f"- {section.kind} {line.key} {line.name} {line.note}".rstrip())
