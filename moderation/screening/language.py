"""Which language a field is written in: English or Spanish, the two the department publishes in.

A field whose language is declared (a translation says it is Spanish) keeps it; otherwise lingua decides,
restricted to English and Spanish so a short text is never called Tagalog. Text too short or too mixed to tell
counts as English, the language the rules were first written for; the Spanish patterns run on every text anyway
(people switch languages mid-sentence), so the language only chooses what needs one (readability, messages).
"""

from functools import lru_cache

LANGUAGES = ("en", "es")
DEFAULT = "en"


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH).build()


def declared(language: str | None) -> str | None:
    """ "es", "es-MX", "Spanish" → "es"; anything else that is not English or Spanish → None."""
    code = (language or "").strip().lower().replace("_", "-")
    if code.startswith(("es", "spa")):
        return "es"
    if code.startswith(("en", "eng")):
        return "en"
    return None


@lru_cache(maxsize=256)
def detect(text: str) -> str:
    words = (text or "").split()
    if len(words) < 2:
        return DEFAULT
    from lingua import Language

    found = _detector().detect_language_of(text)
    return "es" if found == Language.SPANISH else DEFAULT


def language_of(text: str, declared_language: str | None = None) -> str:
    return declared(declared_language) or detect(text)
