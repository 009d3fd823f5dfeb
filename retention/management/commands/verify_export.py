import logging
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from retention.exports.verify import verify_package


class Command(BaseCommand):
    help = (
        "Verify an export ZIP: every member intact, the bag valid (every checksum, nothing missing or added, "
        "Payload-Oxum), the required files present. Prints OK, or each problem naming its file (exit 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="The export ZIP.")

    def handle(self, *args, **options):

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        if not zipfile.is_zipfile(path):
            raise CommandError(f"{path}: not a ZIP file (is this an export package?).")
        # bagit logs each failure as a warning as well; the problems are printed below, once each.
        logging.getLogger("bagit").setLevel(logging.ERROR)
        result = verify_package(path)
        if result.ok:
            self.stdout.write(f"OK: {result.records} records, {result.files} files verified")
            return
        for problem in result.problems:
            self.stdout.write(problem)
        raise CommandError(
            f"{path.name} does not verify: {len(result.problems)} problem{'' if len(result.problems) == 1 else 's'}."
        )
