"""The readable rendition of one exported record (data/records/<id>.html), written in Python rather than as a
Django template: an export renders it once per record, and the template engine took some 0.5 ms a record, most
of an export's time. It reads the same values a template would, escapes every one of them the way Django's
autoescape does, and shows a value the content does not have as nothing.
"""

import re
from html import escape

STYLE = (
    "<style>\n"
    'body{font:15px/1.45 Georgia,"Times New Roman",serif;color:#111;margin:2em auto;max-width:48em;padding:0 1em}\n'
    "h1{font-size:1.4em}h2{font-size:1.1em;border-bottom:1px solid #999;margin-top:1.6em}\n"
    "dl{display:grid;grid-template-columns:12em 1fr;gap:.2em 1em}dt{font-weight:bold}"
    "dd{margin:0;overflow-wrap:anywhere}\n"
    ".notice{border:2px solid #444;padding:.6em .8em;background:#f4f4f4}"
    ".text{white-space:pre-wrap;overflow-wrap:anywhere}\n"
    "code{overflow-wrap:anywhere}\n"
    "img{max-width:100%;height:auto}li{margin:.3em 0}\n"
    "</style></head>\n"
)

TOMBSTONE = (
    "at the end of its retention period. Only its tombstone is kept and exported: the facts below and the SHA-256 "
    "of the content that was destroyed.</p>"
)
REDACTED = (
    '<p class="notice">Redacted copy for public release. Withheld text is replaced by [REDACTED — exemption]. The '
    "SHA-256 below is that of the record as captured, before redaction.</p>"
)
PUBLIC_MEDIA = (
    '<p class="notice">Each media file of this public release is included as published, replaced by a redacted '
    "version the records custodian made, or withheld, as marked under Media.</p>"
)
EVERYTHING = "<p>Everything captured is in data/records.jsonl"
HASHES_TO = (
    ", where the record's content, as canonical JSON (keys sorted, no spaces, UTF-8), hashes to the SHA-256 above"
)


class _Missing:
    """A value the content does not have: shown as nothing and false in a test, as a template shows it."""

    def __bool__(self):
        return False


MISSING = _Missing()


def get(value, key):
    """value[key] for a JSON object; MISSING for anything else (content is data, never code to call)."""
    if isinstance(value, dict):
        return value.get(key, MISSING)
    return MISSING


def items(value) -> list:
    return value if isinstance(value, list) else []


# Most values have nothing to escape; finding that out is several times faster than escaping them.
UNSAFE = re.compile("[&<>\"']").search


def e(value) -> str:
    if type(value) is not str:
        if value is MISSING:
            return ""
        value = str(value)
    return escape(value) if UNSAFE(value) else value


def or_(value, fallback) -> str:
    return e(value) if value else e(fallback)


def render_record(
    row: dict,
    *,
    children: list[dict],
    media: list[dict],
    public: bool,
    department: str,
    export_label: str,
    parent_in_export: bool,
    revisions: list[dict],
    details: list[tuple[str, str]],
) -> str:
    content = row["content"]
    title = row["title"]
    out = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        f"<title>Record #{e(row['id'])}{f': {e(title)}' if title else ''}</title>\n",
        STYLE,
        f"<body>\n<header><p>{e(department)} — records export {e(export_label)}</p>\n"
        f"<h1>Record #{e(row['id'])}: {e(row['kind_label'])}{f' — {e(title)}' if title else ''}</h1></header>\n"
        "<main>\n",
    ]
    add = out.append
    if row["tombstone"]:
        destroyed_at, batch = get(content, "destroyed_at"), get(content, "batch")
        add(
            '<p class="notice">This record was destroyed'
            + (f" on {e(destroyed_at)}" if destroyed_at else "")
            + (f" under disposition batch #{e(batch)}" if batch else "")
            + " "
            + TOMBSTONE
        )
    add("\n")
    if row["redacted"]:
        add(REDACTED)
    add("\n")
    if public and media:
        add(PUBLIC_MEDIA)
    add("\n<dl>\n")
    series = f"{e(row['series'])} {e(row['series_title'])}" if row["series"] else "Not yet filed"
    schedule = f"version {e(row['schedule_version'])}" if row["schedule_version"] else "—"
    channels = ", ".join(e(c) for c in row["channels"])
    add(
        f"<dt>Record</dt><dd>#{e(row['id'])}</dd>\n"
        f"<dt>Kind</dt><dd>{e(row['kind_label'])}</dd>\n"
        f"<dt>Status</dt><dd>{e(row['status_label'])}</dd>\n"
        f"<dt>Source</dt><dd>{e(row['source'])}</dd>\n"
        f"<dt>Series</dt><dd>{series}</dd>\n"
        f"<dt>Schedule</dt><dd>{schedule}</dd>\n"
        f"<dt>Channels</dt><dd>{channels or '—'}</dd>\n"
        f"<dt>Author</dt><dd>{or_(row['author'], '—')}</dd>\n"
        f"<dt>Published</dt><dd>{or_(row['published_at'], '—')}</dd>\n"
        f"<dt>Captured</dt><dd>{e(row['captured_at'])}</dd>\n"
        f"<dt>SHA-256</dt><dd><code>{e(row['sha256'])}</code></dd>\n"
    )
    if row["parent"]:
        add(
            f'<dt>Part of</dt><dd><a href="{e(row["parent"])}.html">Record #{e(row["parent"])}</a>'
            + ("" if parent_in_export else " (not in this export)")
            + "</dd>"
        )
    add("\n")
    holds = row.get("holds")
    if holds:
        shown = []
        for hold in holds:
            reference, status = get(hold, "reference"), get(hold, "status")
            shown.append(
                e(get(hold, "matter"))
                + (f" ({e(reference)})" if reference else "")
                + (", released" if status != "active" else "")
            )
        add("<dt>Legal holds</dt><dd>" + "; ".join(shown) + "</dd>")
    add("\n")
    if row["requests"]:
        add("<dt>Records requests</dt><dd>" + ", ".join(e(get(r, "number")) for r in row["requests"]) + "</dd>")
    add("\n</dl>\n\n")
    if not row["tombstone"]:
        add(f'<section><h2>As published</h2>\n<div class="text">{or_(row["text"], "(no text)")}</div></section>')
    add("\n\n")
    if media:
        add("<section><h2>Media</h2><ul>")
        for m in media:
            add("<li>\n")
            name = or_(m.get("name"), m.get("sha256"))
            if m.get("withheld"):
                add(f"<strong>Withheld:</strong> {name} ({e(m.get('content_type'))}) — {e(m.get('reason'))}")
                if m.get("exemption"):
                    add(f" ({e(m['exemption'])})")
                add("\n")
            else:
                if m.get("is_image"):
                    add(f'<img src="../media/{e(m["sha256"])}" alt="{e(m.get("alt_text", ""))}"><br>')
                add("\n")
                if m.get("original_sha256"):
                    add("<strong>Redacted version:</strong> ")
                add(f'<a href="../media/{e(m["sha256"])}">{name}</a> ')
                add(f"({e(m.get('content_type'))}, {e(m.get('size'))} bytes")
                if m.get("alt_text"):
                    add(f"; alt text: “{e(m['alt_text'])}”")
                add(")")
                if m.get("original_sha256"):
                    add(f" — {e(m.get('reason'))} ({e(m.get('exemption'))})")
                if m.get("problem"):
                    add(f" — <strong>{e(m['problem'])}</strong>")
            add("\n</li>")
        add("</ul></section>")
    add("\n\n")
    publications = get(content, "publications")
    if publications:
        add("<section><h2>Where it was published</h2><ul>")
        for p in items(publications):
            published_at, url = get(p, "published_at"), get(p, "url")
            add(
                f"<li>{e(get(p, 'channel'))} — {e(get(p, 'status'))}"
                + (f", {e(published_at)}" if published_at else "")
                + (f": {e(url)}" if url else "")
                + "</li>"
            )
        add("</ul></section>")
    add("\n\n")
    if children:
        add("<section><h2>Comments and linked records</h2><ol>")
        for c in children:
            add(f'<li><a href="{e(c["id"])}.html">Record #{e(c["id"])}</a> {e(c["kind_label"])}')
            if c["author"]:
                add(f" by {e(c['author'])}")
            if c["published_at"]:
                add(f", {e(c['published_at'])}")
            if c["destroyed"]:
                add(" — destroyed (tombstone only)")
            else:
                if c["title"]:
                    add(f": {e(c['title'])}")
                add(f'<div class="text">{e(c["text"])}</div>')
            add("</li>")
        add("</ol></section>")
    add("\n\n")
    reviews = get(content, "reviews")
    if reviews:
        add("<section><h2>Review history</h2><ol>")
        for r in items(reviews):
            decided_by, note = get(r, "decided_by"), get(r, "note")
            add(
                f"<li>Submitted {e(get(r, 'submitted_at'))} by {e(get(r, 'submitted_by'))} ({e(get(r, 'route'))})"
                f" — {e(get(r, 'status'))}"
                + (f" by {e(decided_by)}, {e(get(r, 'decided_at'))}" if decided_by else "")
                + (f": {e(note)}" if note else "")
                + "\n"
            )
            findings = get(r, "findings")
            if findings:
                add("<ul>")
                for f in items(findings):
                    acknowledged_by = get(f, "acknowledged_by")
                    add(
                        f"<li>{e(get(f, 'section'))} {e(get(f, 'rule'))} ({e(get(f, 'severity'))}): "
                        f"{e(get(f, 'explanation'))}"
                        + (f" — acknowledged by {e(acknowledged_by)}" if acknowledged_by else "")
                        + "</li>"
                    )
                add("</ul>")
            add("\n")
            comments = get(r, "comments")
            if comments:
                add("<ul>")
                for c in items(comments):
                    quote = get(c, "quote")
                    add(
                        f"<li>{e(get(c, 'by'))}, {e(get(c, 'at'))}: "
                        + (f"“{e(quote)}” — " if quote else "")
                        + f"{e(get(c, 'body'))}</li>"
                    )
                add("</ul>")
            add("</li>")
        add("</ol></section>")
    add("\n\n")
    if revisions:
        add("<section><h2>Revisions</h2><ol>")
        for v in revisions:
            by, reason = get(v, "by"), get(v, "reason")
            add(
                f"<li>{e(get(v, 'at'))}"
                + (f" by {e(by)}" if by else "")
                + f" — version {e(get(v, 'version'))}, {e(get(v, 'status'))}"
                + (f": {e(reason)}" if reason else "")
            )
            if v["text_changed"]:
                translation = get(v, "translation_body")
                add(
                    f'<div class="text">{e(get(v, "title"))}\n\n{e(get(v, "body"))}'
                    + (f"\n\n{e(translation)}" if translation else "")
                    + "</div>"
                )
            else:
                add(" (text unchanged)")
            add("</li>")
        add("</ol></section>")
    add("\n\n")
    if details:
        add("<section><h2>Details</h2><dl>")
        add("".join(f"<dt>{e(key)}</dt><dd>{e(value)}</dd>" for key, value in details))
        add("</dl></section>")
    add("\n" + EVERYTHING + ("" if row["redacted"] else HASHES_TO) + ".</p>\n</main>\n</body></html>\n")
    return "".join(out)
