"""``python manage.py load_demo``: load (or refresh) the demo office สพป.แพร่ เขต 2 with a FY 2569 plan.

A thin wrapper around :func:`demo.loader.load_demo`; safe to run again: a database that already holds
the demo is left unchanged (the command says so and prints what is there).
"""
from django.core.management.base import BaseCommand

from demo.loader import DEMO_PASSWORD, DEMO_SCHOOL_CODE, USERS, load_demo


class Command(BaseCommand):
    help = ("Load the demo office (สพป.แพร่ เขต 2, real schools) with a generated year of its work, done through the services "
            "under the demo's clock (today = 1 Dec 2026). A database that already holds the demo is left unchanged.")

    def handle(self, *args, **options) -> None:
        load_demo(stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo users (password for all: {DEMO_PASSWORD}):"))
        for spec in USERS:
            what = "superuser" if spec.is_superuser else spec.role
            if spec.division:
                what += f", division {spec.division}"
            if spec.is_staff and not spec.is_superuser:
                what += ", admin access"
            self.stdout.write(f"  {spec.username:<9} {spec.first_name} {spec.last_name} ({what})")
        self.stdout.write(f"  {DEMO_SCHOOL_CODE:<9} school account of บ้านน้ำริน (role school)")
