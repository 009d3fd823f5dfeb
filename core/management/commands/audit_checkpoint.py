from django.core.management.base import BaseCommand, CommandError

from core.checkpoints import checkpoint_location, uses_separate_key, write_checkpoint


class Command(BaseCommand):
    help = (
        "Sign the audit trail's newest event (sequence number, hash, time) with AUDIT_CHECKPOINT_KEY and write it "
        "as a new file in the checkpoint store (AUDIT_CHECKPOINT_DIR, or the records bucket on S3). Nothing is "
        "written while the trail is empty or when a checkpoint "
        "already names the newest event."
    )

    def handle(self, *args, **options):
        try:
            checkpoint, written = write_checkpoint()
        except Exception as exc:  # noqa: BLE001 - a folder or a bucket: either failure is reported the same way
            raise CommandError(f"Could not write a checkpoint in {checkpoint_location()}: {exc}") from exc
        if checkpoint is None:
            self.stdout.write("The audit trail is empty: no checkpoint written.")
            return
        if written:
            self.stdout.write(
                f"Checkpoint written: seq {checkpoint.seq}, hash {checkpoint.hash}, {checkpoint.written}: "
                f"{checkpoint_location(checkpoint.name)}"
            )
        else:
            self.stdout.write(
                f"A checkpoint already names the newest event (seq {checkpoint.seq}, written "
                f"{checkpoint.written}): nothing written."
            )
        if not uses_separate_key():
            self.stdout.write(
                "Signed with a key derived from SECRET_KEY; in production set AUDIT_CHECKPOINT_KEY to a separate key."
            )
