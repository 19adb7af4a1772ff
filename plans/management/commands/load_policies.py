"""``python manage.py load_policies --fiscal-year 2570``: the shared strategy levels for a fiscal year.

Loads the national strategy (6), the Ministry of Education policies (12) and the OBEC policies (4)
as shared strategies (no office) that every office's plan links to. Idempotent.
"""
from django.core.management.base import BaseCommand

from emes.fiscal import year_option
from plans.policies import load_shared_policies


class Command(BaseCommand):
    help = "Load the shared national strategy, ministry and OBEC policies for a fiscal year (BE). Idempotent."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--fiscal-year", required=True, help="Fiscal year in BE, e.g. 2570")

    def handle(self, *args, **options) -> None:
        year = year_option(options["fiscal_year"])  # a CE year or nonsense: the Thai hint, exit code 2
        counts = load_shared_policies(year)
        self.stdout.write(", ".join(f"{level}: {n}" for level, n in counts.items()))
