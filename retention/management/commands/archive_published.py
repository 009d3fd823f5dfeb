from django.core.management.base import BaseCommand, CommandError

from retention.services import archive_published


class Command(BaseCommand):
    help = "Capture every published post, removal and comment that has no record yet (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=5000, help="At most this many of each kind per run.")

    def handle(self, *args, **options):
        if options["limit"] < 1:
            raise CommandError("--limit must be at least 1.")
        counts = archive_published(limit=options["limit"])
        self.stdout.write(", ".join(f"{name}: {n}" for name, n in counts.items()) + " captured.")
