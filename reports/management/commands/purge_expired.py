"""Apply the retention rules now (the beat schedule also runs it daily)."""

from django.core.management.base import BaseCommand

from reports.retention import retention_purge


class Command(BaseCommand):
    help = (
        "Purge expired rejected/duplicate reports, merge old screening rows, remove temp uploads."
    )

    def handle(self, *args, **options):
        self.stdout.write(str(retention_purge()))
