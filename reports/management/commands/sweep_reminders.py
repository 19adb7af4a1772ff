"""``python manage.py sweep_reminders [--date 2026-01-13] [--office 5402] [--dry-run]``.

The daily reminder sweep by hand (the beat runs it every day): records the due reminders and queues
them for sending. ``--dry-run`` only lists what would be recorded. ``--date`` is a CE date
(YYYY-MM-DD), default today in Asia/Bangkok.
"""
from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from emes.fiscal import is_be_year
from emes.models import Office
from emes.thai import be_date
from reports.reminders.services import due_reminders, sweep


class Command(BaseCommand):
    help = "Record and send the reminders due today (or on --date) for every office or one; --dry-run lists them."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="the day to sweep for, CE, YYYY-MM-DD (default: today)")
        parser.add_argument("--office", help="office area code, e.g. 5402 (default: every office)")
        parser.add_argument("--dry-run", action="store_true", help="list the due reminders, record and send nothing")

    def handle(self, *args, date: str | None, office: str | None, dry_run: bool, **options) -> None:
        today = timezone.localdate()
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"วันที่ต้องอยู่ในรูป ค.ศ. YYYY-MM-DD เช่น 2026-01-13 (bad --date {date!r})", returncode=2) from None
            if is_be_year(today.year):
                raise CommandError(
                    f"--date ต้องเป็นปี ค.ศ. เช่น {today.year - 543}-{today.month:02d}-{today.day:02d} ไม่ใช่ พ.ศ. {today.year} (--date is CE)",
                    returncode=2,
                )
        found = None
        if office:
            found = Office.objects.filter(area_code=office).first()
            if found is None:
                raise CommandError(f"ไม่พบสำนักงานเขตพื้นที่รหัส {office} (unknown office {office})", returncode=2)
        if dry_run:
            offices = [found] if found else list(Office.objects.order_by("area_code"))
            total = 0
            for o in offices:
                for c in due_reminders(o, today):
                    total += 1
                    self.stdout.write(f"{o.area_code}\t{c.stage}\t{c.obligation.due_on}\t{c.recipient.name}\t{c.recipient.email or '-'}\t{c.obligation.subject}")
            self.stdout.write(f"{total} reminder(s) due on {today} ({be_date(today)}); nothing recorded (dry run)")
            return
        run = sweep(today, office=found, trigger="command")
        style = self.style.SUCCESS if run.status == run.Status.OK else self.style.ERROR
        self.stdout.write(style(f"sweep {run.pk} for {today} ({be_date(today)}): {run.created} reminder(s) recorded, {run.get_status_display()}"))
        if run.error:
            raise CommandError(run.error, returncode=1)
