import shutil
import sys
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError, PermissionRefused
from retention.exports.bag import build_export
from retention.exports.media_review import export_media, finish_media_review
from retention.exports.services import open_download, start_export
from retention.models import Export, LegalHold, MediaDecision, RecordKind, RecordSeries, RecordsRequest

# Which option a refusal from start_export is about.
OPTION_FOR_FIELD = {
    "query": "--query",
    "hold": "--hold",
    "request": "--request",
    "reason": "--reason",
    "purpose": "--purpose",
    "include_pdf": "--pdf",
    "include_dat": "--dat",
    "redact": "--redact",
    "redact_spans": "--redact",
    "scope": "--query/--hold/--request",
}


class Command(BaseCommand):
    help = (
        "Export records as a verifiable BagIt package (ZIP) for a public-records request, e-discovery or the "
        "permanent archive, built here rather than by a worker. Exactly one scope: --query (with optional "
        "--series/--channel/--kind/--from/--to), --hold or --request. A public release built here withholds every "
        "media file (none is reviewed by the custodian) and lists them in its redaction log."
    )

    def add_arguments(self, parser):
        parser.add_argument("--query", metavar="TEXT", help="Search words (full-text on PostgreSQL).")
        parser.add_argument("--series", metavar="CODE", help="Search: only this series (e.g. CW-026).")
        parser.add_argument("--channel", metavar="SLUG", help="Search: only this channel.")
        parser.add_argument("--kind", help=f"Search: only this kind ({', '.join(RecordKind.values)}).")
        parser.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="Search: published from.")
        parser.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="Search: published to (inclusive).")
        parser.add_argument("--hold", metavar="ID", help="The records held by this legal hold.")
        parser.add_argument("--request", metavar="NUMBER-or-ID", help="The records attached to this records request.")
        parser.add_argument(
            "--purpose", default=Export.Purpose.EDISCOVERY, help="public, ediscovery (the default) or transfer."
        )
        parser.add_argument("--reason", help="Why the records are exported (recorded in the chain of custody).")
        parser.add_argument("--actor", metavar="USERNAME", help="The records custodian exporting them.")
        parser.add_argument("--pdf", action="store_true", help="Add a PDF rendition of each record.")
        parser.add_argument("--dat", action="store_true", help="Add a Concordance DAT load file.")
        parser.add_argument(
            "--redact",
            action="store_true",
            help="Redact personal information and confidential-registry terms (public only).",
        )
        parser.add_argument("--out", metavar="FILE", help="Where to write the ZIP.")
        parser.add_argument("--force", action="store_true", help="Replace --out if it exists.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        out = self._out(options)
        actor = self._actor(options["actor"])
        if not (options["reason"] or "").strip():
            raise CommandError("--reason is required: say why the records are exported.")
        if options["purpose"] not in Export.Purpose.values:
            raise CommandError(
                f"--purpose must be one of {', '.join(Export.Purpose.values)}, not {options['purpose']!r}."
            )
        scope = self._scope(options)

        try:
            export = start_export(
                actor=actor,
                purpose=options["purpose"],
                reason=options["reason"],
                include_pdf=options["pdf"],
                include_dat=options["dat"],
                redact=options["redact"],
                enqueue=False,
                **scope,
            )
        except PermissionRefused as exc:
            raise CommandError(f"--actor {options['actor']}: {exc}") from exc
        except DomainError as exc:
            raise CommandError(f"{OPTION_FOR_FIELD.get(exc.field, '--' + str(exc.field))}: {exc}") from exc
        withheld = self._withhold_unreviewed_media(actor, export)
        self.stderr.write(f"Export #{export.pk}: {export.total} records, building here…")
        with self._progress_bar(export.total, options["no_progress"]) as observe:
            built = build_export(export.pk, observer=observe)
        export.refresh_from_db()
        if built is None or export.status != Export.Status.DONE:
            raise CommandError(f"Export #{export.pk} was not built: {export.error or export.get_status_display()}")
        part = out.with_name(out.name + ".part")
        with open_download(actor=actor, export=export) as source, open(part, "wb") as sink:
            shutil.copyfileobj(source, sink, 1 << 20)
        part.replace(out)
        self.stdout.write(
            f"Export #{export.pk} ({export.external_identifier}): {export.done} records, "
            f"{export.size} bytes, sha256 {export.sha256}"
        )
        if withheld:
            self.stdout.write(
                f"{withheld} media file{'s' if withheld != 1 else ''} withheld: {MediaDecision.NOT_REVIEWED} "
                "(listed in redaction-log.csv). To release media, start the export from the export page and decide "
                "on each file there."
            )
        self.stdout.write(f"Written to {out}")

    def _withhold_unreviewed_media(self, actor, export) -> int:
        """A public release with media is built here without the custodian's review of each file: every file is
        withheld and listed. Returns how many."""
        if export.status != Export.Status.REVIEW:
            return 0
        withheld = len(export_media(export))
        finish_media_review(actor=actor, export=export, enqueue=False)
        return withheld

    def _out(self, options) -> Path:
        if not options["out"]:
            raise CommandError("--out is required: the file to write the ZIP to.")
        out = Path(options["out"])
        if out.exists() and not options["force"]:
            raise CommandError(f"--out {out} already exists; add --force to replace it.")
        if out.is_dir():
            raise CommandError(f"--out {out} is a folder; give a file name.")
        if not out.parent.is_dir():
            raise CommandError(f"--out {out}: the folder {out.parent} does not exist.")
        return out

    def _actor(self, username):
        if not username:
            raise CommandError("--actor is required: the username of the records custodian exporting the records.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"--actor {username}: no such user.")
        return user

    def _scope(self, options) -> dict:
        search_options = ("query", "series", "channel", "kind", "date_from", "date_to")
        searched = any(options[name] for name in search_options)
        chosen = [
            name
            for name, given in (("--query", searched), ("--hold", options["hold"]), ("--request", options["request"]))
            if given
        ]
        if len(chosen) != 1:
            raise CommandError(
                "Give exactly one scope: --query (a search), --hold or --request"
                f"{' (not ' + ' and '.join(chosen) + ')' if chosen else ''}."
            )
        if options["hold"]:
            hold = LegalHold.objects.filter(pk=options["hold"]).first() if options["hold"].isdigit() else None
            if hold is None:
                raise CommandError(f"--hold {options['hold']}: no such legal hold.")
            return {"hold": hold}
        if options["request"]:
            value = options["request"]
            found = RecordsRequest.objects.filter(number=value).first()
            if found is None and value.isdigit():
                found = RecordsRequest.objects.filter(pk=value).first()
            if found is None:
                raise CommandError(f"--request {value}: no records request with that number or id.")
            return {"request": found}
        return {"query": self._search(options)}

    def _search(self, options) -> dict:
        params = {}
        if options["query"]:
            params["q"] = options["query"].strip()
        if options["series"]:
            series = RecordSeries.objects.filter(code=options["series"]).first()
            if series is None:
                raise CommandError(f"--series {options['series']}: no such series.")
            params["series"] = series.pk
        if options["channel"]:
            params["channel"] = options["channel"].strip()
        if options["kind"]:
            if options["kind"] not in RecordKind.values:
                raise CommandError(f"--kind must be one of {', '.join(RecordKind.values)}, not {options['kind']!r}.")
            params["kind"] = options["kind"]
        for name, option in (("date_from", "--from"), ("date_to", "--to")):
            if options[name]:
                try:
                    params[name] = date.fromisoformat(options[name]).isoformat()
                except ValueError as exc:
                    raise CommandError(f"{option} must be a date like 2026-01-31, not {options[name]!r}.") from exc
        if params.get("date_from") and params.get("date_to") and params["date_to"] < params["date_from"]:
            raise CommandError("--to must not be before --from.")
        return params

    def _progress_bar(self, total: int, disabled: bool):
        from contextlib import contextmanager

        from tqdm import tqdm

        stream = getattr(self.stderr, "_out", sys.stderr)

        @contextmanager
        def bar():
            hidden = disabled or not stream.isatty()
            with tqdm(total=total, unit="record", file=stream, dynamic_ncols=True, disable=hidden) as progress:
                shown = {"phase": None}

                def observe(phase: str, done: int, count: int):
                    if hidden:
                        return
                    if shown["phase"] != phase:
                        shown["phase"] = phase
                        progress.set_description(phase)
                    progress.total = count
                    progress.update(done - progress.n)

                yield observe

        return bar()
