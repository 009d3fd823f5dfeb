"""Accessibility of posts (WCAG 2.1 AA, which a public agency's content must meet): text alternatives for
images, hashtags a screen reader can pronounce, meaning not carried by emoji alone, link text that says where
it goes, and plain language.
"""

import re
from functools import lru_cache

from ..base import Finding, ScreeningContext, Severity, register
from ..normalize import normalize
from ._util import finding, setting, whole_text

# Text alternatives (WCAG 1.1.1) -------------------------------------------------------------------------

_VISUAL = {"image", "photo", "picture", "gif", "graphic", "infographic", "flyer", "map", "chart"}
_PLACEHOLDER_ALT = re.compile(
    r"^(?:image|photo|picture|pic|img|graphic|gif|screenshot|untitled|alt|alt text|n/?a|none|\.+|-+|"
    r"[\w-]+\.(?:jpe?g|png|gif|webp|heic)|img[_-]?\d+|dsc[_-]?\d+)$"
)


@register("a11y.alt_text", kinds=("post",))
def image_alt_text(text: str, context: ScreeningContext) -> list[Finding]:
    found = []
    for index, attachment in enumerate(context.attachments):
        if str(attachment.get("kind", "")).lower() not in _VISUAL:
            continue
        alt = " ".join(str(attachment.get("alt_text") or "").split())
        if alt and not _PLACEHOLDER_ALT.match(alt.lower()):
            continue
        name = attachment.get("name") or f"attachment {index + 1}"
        found.append(
            whole_text(
                "a11y.alt_text", "WCAG 2.1 1.1.1", Severity.ACKNOWLEDGE,
                f"Image {name} has no usable alt text. Describe what it shows for people using screen readers.",
                excerpt=str(name), data={"attachment": index},
            )
        )  # fmt: skip
    return found


# Hashtags (WCAG 1.3.1 / 2.4.6: screen readers read #roadclosure as one word) ----------------------------

_HASHTAG = re.compile(r"(?<![\w#&])#([^\W_][\w]{5,})")


@lru_cache(maxsize=1024)
def camel_case(tag: str) -> str | None:
    """The CamelCase form of an all-lowercase (or all-caps) hashtag of several words, if it has several."""
    import wordninja

    parts = wordninja.split(tag.lower())
    if len(parts) < 2 or any(len(p) == 1 and not p.isdigit() for p in parts):
        return None
    return "".join(p.upper() if len(p) <= 2 and p.isalpha() else p.capitalize() for p in parts)


@register("a11y.hashtag_case", kinds=("post",))
def hashtag_case(text: str, context: ScreeningContext) -> list[Finding]:
    found = []
    for m in _HASHTAG.finditer(text):
        tag = m.group(1)
        if not (tag.islower() or tag.isupper()):
            continue
        suggestion = camel_case(tag)
        if not suggestion:
            continue
        found.append(
            Finding(
                "a11y.hashtag_case", "WCAG 2.1 1.3.1", Severity.INFO, m.start(), m.end(), m.group(0),
                f"Write hashtags in CamelCase so screen readers read the words: #{suggestion}.",
                data={"suggestion": f"#{suggestion}"},
            )
        )  # fmt: skip
    return found


# Emoji (WCAG 1.1.1: an emoji is read as its name, if at all) -------------------------------------------

_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2190-\u21ff\u2300-\u23ff\u3030\u303d\u3297\u3299]"
    "(?:[\ufe0f\U0001f3fb-\U0001f3ff]|\u200d[\U0001f000-\U0001faff\u2600-\u27bf])*"
)
_LETTERS = re.compile(r"[^\W\d_]{2,}")


@register("a11y.emoji_only", kinds=("post",))
def emoji_meaning(text: str, context: ScreeningContext) -> list[Finding]:
    emoji = list(_EMOJI.finditer(text))
    if not emoji:
        return []
    found = []
    words = _LETTERS.findall(text)
    if len(words) < 3:
        found.append(
            whole_text(
                "a11y.emoji_only", "WCAG 2.1 1.1.1", Severity.ACKNOWLEDGE,
                "The message is carried by emoji: say it in words too.",
                excerpt=text[:60],
            )
        )  # fmt: skip
        return found
    # A run of three or more emoji standing in for words ("🚗💥🚑 on I-10").
    run_start = prev_end = None
    count = 0
    for m in [*emoji, None]:
        if m is not None and prev_end is not None and not text[prev_end : m.start()].strip():
            count += 1
            prev_end = m.end()
            continue
        if count >= 3:
            found.append(
                Finding(
                    "a11y.emoji_only", "WCAG 2.1 1.1.1", Severity.INFO, run_start, prev_end, text[run_start:prev_end],
                    "A row of emoji is read out name by name, or not at all: say it in words.",
                )
            )  # fmt: skip
        if m is not None:
            run_start, prev_end, count = m.start(), m.end(), 1
    return found


# Link text (WCAG 2.4.4) ---------------------------------------------------------------------------------

_VAGUE_LINK = re.compile(
    r"\b(?:click|tap|go|press)\s+(?:here|this|this\s+link|the\s+link|below)\b|"
    r"\b(?:(?:haga|haz|hagan|dar|d[eé]|den|da)\s+)?(?:clic|click|clik)\s+(?:aqu[ií]|ac[aá]|en\s+(?:este|el)\s+enlace)|"
    r"\b(?:toque|toca|pulse|pulsa|presione|presiona|oprima)\s+(?:aqu[ií]|ac[aá]|el\s+enlace|este\s+enlace)|"
    r"\b(?:m[aá]s\s+informaci[oó]n|lea\s+m[aá]s|leer\s+m[aá]s)\s*(?::|aqu[ií])?\s*(?=https?://|www\.)|"
    r"\[(?:here|click\s+here|this|this\s+link|link|more|read\s+more|learn\s+more|more\s+info)\]\(|"
    r">\s*(?:here|click\s+here|this|link|more|read\s+more|learn\s+more|more\s+info)\s*</a>|"
    r"\b(?:read|learn)\s+more\s*(?::|here|>+|→)?\s*(?=https?://|www\.)|"
    r"\bmore\s+info\s*(?::|here)?\s*(?=https?://|www\.)|"
    r"\b(?:link|details)\s*:\s*(?=https?://|www\.)"
)


@register("a11y.link_text", kinds=("post",))
def link_text(text: str, context: ScreeningContext) -> list[Finding]:
    norm = normalize(text)
    return [
        finding(
            norm, *m.span(),
            rule_id="a11y.link_text", section="WCAG 2.1 2.4.4", severity=Severity.INFO,
            explanation="Say where a link goes (\"Road closure map\"), not \"click here\".",
        )
        for m in _VAGUE_LINK.finditer(norm.text)
    ]  # fmt: skip


# Readability (WCAG 3.1.5, plain language) ---------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)|\n\s*\n")
_SKIP = re.compile(r"https?://\S+|www\.\S+|[#@]\w+|\S+@\S+")
_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
MIN_WORDS = 30


@lru_cache(maxsize=4096)
def syllables(word: str) -> int:
    word = word.lower().removesuffix("'s")
    count = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    if word.endswith(("ed", "es")) and count > 1 and not word.endswith(("ted", "ded", "ses", "zes", "ches", "shes")):
        count -= 1
    return max(1, count)


def grade_level(text: str) -> float | None:
    """Flesch-Kincaid grade level, or None for a text too short to judge."""
    clean = _SKIP.sub(" ", normalize(text).text)
    words = _WORDS.findall(clean)
    if len(words) < MIN_WORDS:
        return None
    sentences = max(1, len([s for s in _SENTENCE_END.split(clean) if _WORDS.search(s)]))
    total_syllables = sum(syllables(w) for w in words)
    return 0.39 * (len(words) / sentences) + 11.8 * (total_syllables / len(words)) - 15.59


@register("a11y.readability", kinds=("post",))
def readability(text: str, context: ScreeningContext) -> list[Finding]:
    # Flesch-Kincaid is defined for English; a Spanish text scored by it would read as needlessly hard.
    if context.language == "es":
        return []
    limit = float(context.extra.get("max_grade", setting("READABILITY_MAX_GRADE", 9)))
    grade = grade_level(text)
    if grade is None or grade <= limit:
        return []
    return [
        whole_text(
            "a11y.readability", "WCAG 2.1 3.1.5", Severity.INFO,
            f"Reads at about grade {grade:.0f} (aim for {limit:g} or below): shorter sentences and plainer words "
            "reach more of the public.",
            data={"grade": round(grade, 1), "limit": limit},
        )
    ]  # fmt: skip


# Whole sentences in capitals (WCAG 1.4.8 / 3.1: hard to read; some screen readers spell them out) -----------

_CAPS_WORD = re.compile(r"\b[A-ZÁÉÍÓÚÑÜ]{2,}\b")
_ANY_WORD = re.compile(r"\b[^\W\d_]{2,}\b")
_CAPS_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
# Acronyms and labels that are written in capitals ("DUI", "UPDATE:"): not shouting.
CAPS_MIN_WORDS = 4


@register("a11y.all_caps", kinds=("post",))
def all_caps(text: str, context: ScreeningContext) -> list[Finding]:
    found = []
    for m in _CAPS_SENTENCE.finditer(text):
        sentence = m.group(0)
        words = _ANY_WORD.findall(sentence)
        caps = _CAPS_WORD.findall(sentence)
        if len(caps) >= CAPS_MIN_WORDS and len(caps) >= 0.8 * len(words):
            start = m.start() + (len(sentence) - len(sentence.lstrip()))
            found.append(
                Finding(
                    "a11y.all_caps", "WCAG 2.1 3.1.5", Severity.INFO, start, m.end(), sentence.strip()[:160],
                    "A whole sentence in capitals is hard to read and some screen readers spell it out letter by "
                    "letter: write it in sentence case.",
                )
            )  # fmt: skip
    return found
