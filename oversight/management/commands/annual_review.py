"""Compute the annual review's figures (385.6) for a period and print them, for operators and scripts."""

import csv
import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError


def _date(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{name}: {value!r} is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = "Print every figure of the annual review (385.6) for a period, as JSON or CSV."

    def add_arguments(self, parser):
        parser.add_argument(
            "--from", dest="start", required=True, metavar="YYYY-MM-DD", help="First day of the period."
        )
        parser.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD", help="Last day of the period.")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--output", metavar="FILE", help="Write here instead of standard output.")

    def handle(self, *args, start, end, format, output, **options):
        from oversight.figures import compute_report, to_csv_rows

        first, last = _date(start, "--from"), _date(end, "--to")
        if last < first:
            raise CommandError("--to: the period ends before it starts.")

        def progress(done, total, label):
            if options["verbosity"] > 1:
                self.stderr.write(f"{done}/{total} {label}")

        data = compute_report(first, last, progress=progress)
        try:
            stream = open(output, "w", newline="", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"--output: cannot write {output}: {error.strerror}.") from None
        try:
            if format == "csv":
                csv.writer(stream).writerows(to_csv_rows(data))
            else:
                for section in data.get("sections", []):
                    for table in section.get("tables", []):
                        table.pop("svg", None)  # charts are for the page and the PDF
                json.dump(data, stream, indent=2, default=str)
                stream.write("\n")
        finally:
            if output:
                stream.close()
