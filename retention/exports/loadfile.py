"""The Concordance-style DAT load file that e-discovery review platforms (Concordance, Relativity, ...) import.

One line per record: fields separated by DC4 (\\x14) and quoted with þ (U+00FE); a line break inside a value is
written as ® (U+00AE), the convention those platforms turn back into a line break. UTF-8 with a byte-order
mark, which is how they recognise UTF-8; lines end CRLF. Paths are relative to the load file (data/).
"""

import re

from django.utils import timezone

FIELD = "\x14"
QUOTE = "\u00fe"
NEWLINE = "\u00ae"

FIELDS = [
    "BEGDOC",
    "ENDDOC",
    "RECORDID",
    "PARENTID",
    "KIND",
    "STATUS",
    "SERIES",
    "CHANNELS",
    "AUTHOR",
    "DATEPUBLISHED",
    "TIMEPUBLISHED",
    "DATECAPTURED",
    "TIMECAPTURED",
    "TITLE",
    "SHA256",
    "NATIVEPATH",
    "PDFPATH",
    "MEDIA",
    "REDACTED",
]


def control_number(n: int) -> str:
    return f"SG{n:07d}"


# What a value must not carry as it is: the delimiters, and line breaks.
SPECIAL = re.compile("[\x14\u00fe\r\n]").search


def _clean(value) -> str:
    text = "" if value is None else str(value)
    if not SPECIAL(text):  # nearly every value: nothing to replace
        return text
    # The format has no escape: a delimiter inside a value would split it. The native file keeps the exact text.
    text = text.replace(FIELD, " ").replace(QUOTE, " ")
    return text.replace("\r\n", NEWLINE).replace("\r", NEWLINE).replace("\n", NEWLINE)


SEPARATOR = f"{QUOTE}{FIELD}{QUOTE}"


def _line(values) -> str:
    return QUOTE + SEPARATOR.join([_clean(v) for v in values]) + QUOTE + "\r\n"


def _date_time(value, zone=None) -> tuple[str, str]:
    if value is None:
        return "", ""
    local = timezone.localtime(value, zone)
    return (
        f"{local.month:02d}/{local.day:02d}/{local.year:04d}",
        f"{local.hour:02d}:{local.minute:02d}:{local.second:02d}",
    )


class LoadFileWriter:
    def __init__(self, path, *, with_pdf: bool):
        self.handle = open(path, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed in close()
        # PDFPATH only when there are PDFs: an empty column would tell the review platform to look for them.
        self.fields = FIELDS if with_pdf else [f for f in FIELDS if f != "PDFPATH"]
        self.handle.write(_line(self.fields))
        # Dates and times in the department's time zone, looked up once rather than for every record.
        self.zone = timezone.get_current_timezone()

    def write(self, n: int, row: dict, *, published_at, captured_at, native: str, pdf: str | None, media: list[str]):
        published, published_time = _date_time(published_at, self.zone)
        captured, captured_time = _date_time(captured_at, self.zone)
        number = control_number(n)
        values = {
            "BEGDOC": number,
            "ENDDOC": number,
            "RECORDID": row["id"],
            "PARENTID": row["parent"] or "",
            "KIND": row["kind"],
            "STATUS": row["status"],
            "SERIES": row["series"] or "",
            "CHANNELS": "; ".join(row["channels"]),
            "AUTHOR": row["author"],
            "DATEPUBLISHED": published,
            "TIMEPUBLISHED": published_time,
            "DATECAPTURED": captured,
            "TIMECAPTURED": captured_time,
            "TITLE": row["title"],
            "SHA256": row["sha256"],
            "NATIVEPATH": native,
            "PDFPATH": pdf or "",
            "MEDIA": "; ".join(media),
            "REDACTED": "Y" if row["redacted"] else "N",
        }
        self.handle.write(_line(values[f] for f in self.fields))

    def close(self):
        self.handle.close()
