"""Screen text from standard input: one JSON line of findings per input line.

Each input line is a JSON object with a "text" field (and optionally "context") or, if it does not start
with "{", plain text. Bad input stops the run with the line number, so a script never gets silent gaps.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from moderation.screening import ScreeningContext, screen

KINDS = ("post", "comment")


class Command(BaseCommand):
    # Tests and callers may hand in their own input stream.
    stealth_options = ("stdin",)
    help = 'Screen posts or comments read from stdin (JSON objects with a "text" field, or plain text lines).'

    def add_arguments(self, parser):
        parser.add_argument("--kind", default="post", help="post or comment (default: post)")

    def handle(self, *args, kind="post", **options):
        if kind not in KINDS:
            raise CommandError(f"--kind must be one of {', '.join(KINDS)}, not {kind!r}.")
        source = options.get("stdin") or sys.stdin
        # Read bytes, so input that is not UTF-8 is reported with its line number instead of crashing.
        stream = getattr(source, "buffer", None) or source
        for number, raw in enumerate(stream, start=1):
            line = self._decode(raw, number).rstrip("\r\n")
            if not line.strip():
                continue
            text, context = self._parse(line, number)
            findings = screen(text, kind=kind, context=context)
            self.stdout.write(json.dumps({"findings": [f.to_dict() for f in findings]}, ensure_ascii=False))

    @staticmethod
    def _decode(raw, number: int) -> str:
        if isinstance(raw, str):
            return raw
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise CommandError(f"line {number}: not valid UTF-8 (byte {error.start + 1}).")

    @staticmethod
    def _parse(line: str, number: int) -> tuple[str, ScreeningContext | None]:
        if not line.lstrip().startswith("{"):
            return line, None
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise CommandError(f"line {number}: not valid JSON ({error.msg} at column {error.colno}).")
        if not isinstance(data, dict) or "text" not in data:
            raise CommandError(f'line {number}: a JSON object needs a "text" field.')
        if not isinstance(data["text"], str):
            raise CommandError(f'line {number}: "text" must be a string.')
        context = data.get("context")
        if context is None:
            return data["text"], None
        if not isinstance(context, dict):
            raise CommandError(f'line {number}: "context" must be an object.')
        try:
            return data["text"], ScreeningContext(**context)
        except TypeError:
            allowed = "attachments, title, language, extra"
            raise CommandError(f'line {number}: "context" may only have the fields {allowed}.')
