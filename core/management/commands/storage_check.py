from django.core.management.base import BaseCommand, CommandError

from core import storage

WRITE_ONCE = ("records", "checkpoints")


class Command(BaseCommand):
    help = (
        "Say where each store keeps its files and whether the records and checkpoint stores are write-once (S3 "
        "Object Lock). Warns when they are not; with --strict, exits 1. --create-buckets first creates the "
        "configured S3 buckets that do not exist (the records bucket with Object Lock)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--strict", action="store_true", help="Exit 1 unless records and checkpoints are locked.")
        parser.add_argument("--create-buckets", action="store_true", help="Create missing S3 buckets first.")

    def handle(self, *args, strict=False, create_buckets=False, **options):
        try:
            if create_buckets:
                for bucket in storage.create_buckets():
                    self.stdout.write(f"Created bucket {bucket}.")
            statuses = [storage.lock_status(alias) for alias in ("default", "exports", *WRITE_ONCE)]
        except Exception as exc:  # noqa: BLE001 - any failure to reach the store is the answer here
            raise CommandError(f"Could not reach the stores: {exc.__class__.__name__}: {exc}") from exc
        unlocked = []
        for status in statuses:
            self.stdout.write(f"{status.alias:12} {status.where}: {status.detail}")
            if status.alias in WRITE_ONCE and not status.write_once:
                unlocked.append(status)
        for status in unlocked:
            self.stderr.write(f"WARNING: the {status.alias} store is not write-once: {status.detail}.")
        if unlocked and strict:
            raise SystemExit(1)
