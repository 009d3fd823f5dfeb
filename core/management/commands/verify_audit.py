from django.core.management.base import BaseCommand, CommandError

from core.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; exit non-zero naming the first broken event."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            broken = report.broken
            raise CommandError(
                f"Audit trail broken at event id {broken.event_id} (seq {broken.seq}): {broken.reason}. "
                f"{report.count} events before it verified."
            )
        self.stdout.write(f"Audit trail intact: {report.count} events, head {report.head}.")
