"""Every visible string of the staff pages is marked for translation, so a Spanish staff translation can follow.

The checker reads each staff template with Django's own lexer, masks what is inside {% translate %} and
{% blocktranslate %} (and comments, scripts and styles), drops the HTML tags (keeping the attributes people
hear or see: aria-label, title, alt, placeholder, a button's value) and fails on any word left over;
commands and file names shown as <code> are left alone.
Policy section numbers, punctuation, entities and {{ variables }} alone are not words, so they may stay.
The department website (templates/public/) and the tip pages it serves are translated on their own.
"""

import re
from pathlib import Path

from django.conf import settings
from django.template.base import Lexer, TokenType

TEMPLATES = Path(settings.BASE_DIR) / "templates"

# The public website's pages, translated with their own Spanish (see locale/es/LC_MESSAGES/django.po).
PUBLIC = {
    "public/base.html",
    "public/404.html",
    "public/form.html",
    "public/news_list.html",
    "public/news_post.html",
    "moderation/tips/closed.html",
    "moderation/tips/form.html",
    "moderation/tips/sent.html",
}

# Not a staff page: the readable record written into an export package, now rendered in Python
# (retention/exports/rendition.py) in the export's own words; the template is the reference it is compared with.
NOT_PAGES = {"retention/export_record.html"}

# Words that are names, not language: the product's name, and "v" before a schedule's version number.
ALLOWED_WORDS = {"socialgov", "v"}
# Policy 385's section numbers, cited as they are: 385.3, 385.5.1(a), 385.5.4(d).
SECTION = re.compile(r"\b385(?:\.\d+)*(?:\((?:[a-z]|\d+)\))*")

VISIBLE_ATTRIBUTES = re.compile(
    r"""\s(?:aria-label|aria-description|aria-valuetext|title|alt|placeholder)\s*=\s*(?:"([^"]*)"|'([^']*)')""",
    re.IGNORECASE,
)
SUBMIT_VALUE = re.compile(r"""\svalue\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
SUBMIT_INPUT = re.compile(r"""^<input\b[^>]*\stype\s*=\s*["']?(?:submit|button|reset)\b""", re.IGNORECASE)
TAG = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|<[^>]*>", re.DOTALL | re.IGNORECASE)
ENTITY = re.compile(r"&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
WORD = re.compile(r"[^\W\d_]+")
# Commands, file names and hashes shown as code are not language.
CODE = re.compile("<code\\b[^>]*>[^<\x01]*</code>", re.IGNORECASE)

MASK_TEMPLATE = "\x01"  # a {{ variable }} or a tag that prints no words of its own
MASK_TRANSLATED = "\x02"  # a translate/blocktranslate tag and what it holds


def staff_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name not in PUBLIC and name not in NOT_PAGES:
            yield name, path


def _masked(source: str) -> str:
    """The template with every template token masked, newlines kept so that positions map to lines."""
    out = []
    in_translation = in_comment = False
    for token in Lexer(source).tokenize():
        contents = token.contents
        newlines = "\n" * (token.contents.count("\n") if token.token_type != TokenType.TEXT else 0)
        if token.token_type == TokenType.TEXT:
            if in_translation:
                out.append(MASK_TRANSLATED + "\n" * contents.count("\n"))
            elif in_comment:
                out.append("\n" * contents.count("\n"))
            else:
                out.append(contents)
            continue
        if token.token_type == TokenType.COMMENT:
            out.append(newlines)
            continue
        if token.token_type == TokenType.VAR:
            out.append((MASK_TRANSLATED if in_translation else MASK_TEMPLATE) + newlines)
            continue
        name = contents.split()[0] if contents.split() else ""
        if name == "comment":
            in_comment = True
        elif name == "endcomment":
            in_comment = False
        elif name in ("blocktranslate", "blocktrans"):
            in_translation = True
        elif name in ("endblocktranslate", "endblocktrans"):
            in_translation = False
        if in_comment or name == "endcomment":
            out.append(newlines)
        elif in_translation or name in ("translate", "trans", "endblocktranslate", "endblocktrans"):
            out.append(MASK_TRANSLATED + newlines)
        else:
            out.append(MASK_TEMPLATE + newlines)
    return "".join(out)


def _words(text: str) -> list[str]:
    text = SECTION.sub(" ", text)
    text = ENTITY.sub(" ", text.replace(MASK_TEMPLATE, " ").replace(MASK_TRANSLATED, " "))
    return [w for w in WORD.findall(text) if w not in ALLOWED_WORDS]


def untranslated(source: str) -> list[tuple[int, str]]:
    """(line, text) of every visible string in the template that is not inside a translate tag."""
    masked = CODE.sub(lambda m: "<code>" + "\n" * m.group(0).count("\n") + "</code>", _masked(source))
    found = []

    def line_of(pos):
        return masked.count("\n", 0, pos) + 1

    def tag(match):
        text = match.group(0)
        if match.group(1) is None and not text.startswith("<!--"):
            values = [m.group(1) or m.group(2) or "" for m in VISIBLE_ATTRIBUTES.finditer(text)]
            if SUBMIT_INPUT.match(text):
                values += [m.group(1) or m.group(2) or "" for m in SUBMIT_VALUE.finditer(text)]
            for value in values:
                if _words(value):
                    found.append((line_of(match.start()), value.strip()))
        return " " + "\n" * text.count("\n")

    stripped = TAG.sub(tag, masked)
    # Positions have moved but newlines were kept, so lines still match.
    for number, line in enumerate(stripped.split("\n"), start=1):
        for piece in re.split(f"[{MASK_TEMPLATE}{MASK_TRANSLATED}]", line):
            if _words(piece):
                found.append((number, piece.strip()))
    return sorted(found)


def test_the_checker_finds_unmarked_text_and_accepts_marked_text():
    source = (
        '{% load i18n %}<h1>Posts</h1><p>{% translate "Title" %}</p>'
        '<button aria-label="Close this">{% translate "Save draft" %}</button>'
        '<p>{% blocktranslate with n=count %}{{ n }} left{% endblocktranslate %} <span class="section">385.3</span> 385.5.1(a)</p>'
        "{# a note #}{% comment %}Not shown{% endcomment %}<td>{{ value }} — {{ other }}</td>"
        '<input type="submit" value="Send it">'
    )
    assert untranslated(source) == [(1, "Close this"), (1, "Posts"), (1, "Send it")]
    assert untranslated("<p>{{ a }}, a {{ b }}</p>") == [(1, ", a")]


def test_every_staff_template_has_its_visible_strings_marked_for_translation():
    problems = [
        f"templates/{name}:{line}: {text}"
        for name, path in staff_templates()
        for line, text in untranslated(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "Visible text not marked for translation:\n" + "\n".join(problems)


def test_the_public_templates_left_out_are_still_there():
    for name in PUBLIC:
        assert (TEMPLATES / name).exists(), name
