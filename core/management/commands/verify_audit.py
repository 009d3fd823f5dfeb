from django.core.management.base import BaseCommand, CommandError

from core.checkpoints import verify_trail


class Command(BaseCommand):
    help = (
        "Verify the audit trail: its hash chain, and the chain against the signed checkpoints in "
        "AUDIT_CHECKPOINT_DIR. Exits non-zero naming, by sequence number, every event altered, inserted or "
        "missing (deleted, or cut off after a checkpoint) and every checkpoint file that cannot be trusted."
    )

    def handle(self, *args, **options):
        report = verify_trail()
        if not report.ok:
            lines = [f"Audit trail verification failed: {report.summary()}."]
            lines += [f"  - {problem}" for problem in report.problems]
            if report.more:
                lines.append(f"  ... and {report.more} more.")
            lines.append(f"{report.count} events read, through seq {report.head_seq}.")
            raise CommandError("\n".join(lines))
        if report.checkpoint:
            against = (
                f"; matches {report.checkpoints} checkpoint(s), the newest at seq {report.checkpoint.seq} "
                f"written {report.checkpoint.written}"
            )
        else:
            against = "; no checkpoint yet (python manage.py audit_checkpoint writes one)"
        self.stdout.write(f"Audit trail intact: {report.count} events, head {report.head}{against}.")
