"""``python manage.py reap_jobs``: requeue or fail job rows whose worker died (what beat runs every few minutes)."""
from __future__ import annotations

from django.core.management.base import BaseCommand

from emes import jobs


class Command(BaseCommand):
    help = (
        "Requeue (within the attempt limit) or fail with a reason every job left running by a dead worker, "
        "and fail jobs that waited too long for a worker; fresh jobs are left alone."
    )

    def handle(self, *args, **options) -> None:
        for label, done in jobs.reap().items():
            self.stdout.write(f"{label}: {len(done.requeued)} requeued, {done.failed} failed (stale), {done.expired} failed (never started)")
