import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from retention.disposition import scan


class Command(BaseCommand):
    help = (
        "Find records past their retention (held or requested ones are kept); with --dry-run only list them, "
        "else open a batch."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would happen; change nothing.")
        parser.add_argument("--as-of", default=None, help="Compute retention for this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        as_of = None
        if options["as_of"]:
            try:
                as_of = date.fromisoformat(options["as_of"])
            except ValueError as exc:
                raise CommandError(f"--as-of must be a date like 2027-01-31, not {options['as_of']!r}.") from exc
        summary = scan(as_of=as_of, apply=not options["dry_run"])
        for row in summary["records"]:
            self.stdout.write(
                f"{'would ' if options['dry_run'] else ''}{row['action']} record {row['record']} (due {row['due_on']})"
            )
        for pk in summary["held_records"]:
            self.stdout.write(f"held: record {pk} (legal hold; not destroyed)")
        for pk in summary["requested_records"]:
            self.stdout.write(f"requested: record {pk} (open public-records request; not destroyed)")
        shown = len(summary["records"]) + len(summary["held_records"]) + len(summary["requested_records"])
        total = summary["due"] + summary["held"] + summary["requested"]
        if total > shown:
            self.stdout.write(f"... and {total - shown} more")
        self.stdout.write(json.dumps({k: summary[k] for k in ("as_of", "due", "held", "requested", "batch")}))
