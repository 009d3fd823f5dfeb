"""Train the screening models from the labelled corpus in moderation/screening/corpus/ (never its held-out split)
and write them to moderation/screening/trained/, each beside the SHA-256 of the data it came from.

Deterministic: the same corpus gives the same bytes, so `--check` can tell whether the shipped models are the
ones the repository's data makes.
"""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from moderation.screening import classifier, training


class Command(BaseCommand):
    help = "Train the screening models from the repository's labelled corpus (deterministic)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", help="post or comment (default: both)")
        parser.add_argument("--output", help="directory to write the models to (default: the shipped ones)")
        parser.add_argument(
            "--check", action="store_true", help="train into a scratch directory and fail if the shipped models differ"
        )

    def handle(self, *args, kind=None, output=None, check=False, **options):
        kinds = kind or list(training.KINDS)
        unknown = [k for k in kinds if k not in training.KINDS]
        if unknown:
            raise CommandError(f"--kind must be one of {', '.join(training.KINDS)}, not {unknown[0]!r}.")
        if check and output:
            raise CommandError("--check trains into a scratch directory; leave out --output.")
        target = Path(output) if output else classifier.TRAINED
        if output and target.exists() and not target.is_dir():
            raise CommandError(f"--output {output!r} is not a directory.")
        with tempfile.TemporaryDirectory() as scratch:
            directory = Path(scratch) if check else target
            for name in kinds:
                try:
                    path = training.write(name, output=directory, log=lambda line: self.stdout.write(f"  {line}"))
                except training.CorpusError as error:
                    raise CommandError(f"corpus: {error}")
                self.stdout.write(f"{name}: {path.stat().st_size:,} bytes, data {training.data_sha256(name)[:12]}")
                if check:
                    shipped = classifier.model_path(name)
                    if not shipped.exists() or shipped.read_bytes() != path.read_bytes():
                        raise CommandError(
                            f"{shipped} is not what the corpus trains: run `python manage.py train_screening` "
                            "and commit the result."
                        )
                    self.stdout.write(f"{name}: the shipped model is byte-for-byte what the corpus trains.")
        if not check:
            classifier.load.cache_clear()
