"""Write the NIBRS XML of approved reports: one <tracking number>.xml per approved
report with a Group A offense; says how many it wrote and which it skipped, and why."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.nibrs.export import NibrsUnavailable, nibrs_export


class Command(BaseCommand):
    help = "Write NIBRS XML 4.2 documents of approved reports with a Group A offense."

    def add_arguments(self, parser):
        parser.add_argument(
            "--approved", action="store_true", required=True, help="Approved reports (required)."
        )
        parser.add_argument("--out", required=True, type=Path, help="Directory to write into.")
        parser.add_argument(
            "--since",
            type=dt.date.fromisoformat,
            help="Only reports approved on or after this date (YYYY-MM-DD).",
        )

    def handle(self, *args, out: Path, since: dt.date | None, **options):
        try:
            result = nibrs_export(out_dir=out, since=since)
        except NibrsUnavailable as why:
            raise CommandError(str(why)) from why
        for tracking_number, why in result.skipped:
            self.stdout.write(f"skipped {tracking_number}: {why}")
        self.stdout.write(
            f"Wrote {len(result.written)} NIBRS documents to {out}; skipped {len(result.skipped)}."
        )
