"""What the department may not say (385.5(a), 385.5(f), 385.5.2(b)): statements of guilt, abusive or
inflammatory language, political activity, private business and personal use of an official account.
"""

import re

from ..base import Finding, ScreeningContext, Severity, register
from ..normalize import normalize
from . import lexicon
from ._util import finding


def _findings(pattern: re.Pattern, text: str, **kw) -> list[Finding]:
    norm = normalize(text)
    return [finding(norm, *m.span(), **kw) for m in pattern.finditer(norm.text)]


# Guilt or innocence, pending prosecutions (385.5.2(b)) ---------------------------------------------------

_OFFENDER = (
    r"(?:killer|murderer|rapist|thief|thieves|burglar|burglars|arsonist|robber|robbers|molester|predator|abuser|"
    r"gunman|shooter|vandal|vandals|culprit|culprits|perpetrator|perp|criminal|criminals|thug|thugs|crook|crooks)"
)
_CAUGHT = r"(?:caught|arrested|captured|apprehended|nabbed|booked|jailed|locked\s+up|in\s+custody|behind\s+bars)"
_GUILT = re.compile(
    r"\b(?:"
    r"the\s+guilty\s+(?:man|woman|person|party|parties|suspect|one)|"
    r"we\s+know\s+(?:he|she|they|who)\s+(?:did\s+it|did\s+this|is\s+responsible|committed)|"
    r"(?:no|without\s+a)\s+doubt\s+(?:he|she|they|the\s+suspects?)\s+(?:did|committed|is\s+guilty|are\s+guilty)|"
    r"(?:he|she|they|the\s+(?:suspects?|arrestees?|defendants?))\s+(?:is|are|was|were)\s+(?:clearly\s+|obviously\s+|definitely\s+|100%\s+)?(?:guilty|innocent)|"
    r"(?:he|she|they)\s+(?:clearly|obviously|definitely)\s+(?:did\s+it|committed)|"
    r"(?:will|is\s+going\s+to|are\s+going\s+to|should|deserves?\s+to)\s+(?:be\s+convicted|go\s+to\s+prison|spend\s+(?:the\s+rest\s+of|life|years)|rot\s+in)|"
    r"(?:expect|expects|expecting)\s+(?:a\s+)?convictions?|"
    r"slam[\s-]?dunk|open[\s-]and[\s-]shut|throw\s+the\s+book\s+at|"
    r"(?:the\s+)?(?:jury|judge|da|district\s+attorney|prosecutors?)\s+(?:will|should|needs?\s+to)\s+(?:convict|find|lock|put|send|win)|"
    r"deserves?\s+(?:the\s+maximum|the\s+death\s+penalty|life\s+in\s+prison|every\s+(?:day|year))|"
    r"(?:suspect|arrestee|defendant|he|she)\s+(?:has\s+)?confessed|confessed\s+to|"
    rf"{_CAUGHT}\s+(?:\w+\s+){{0,3}}?(?:the|this|these|a|two|three)\s+(?:\w+\s+)?{_OFFENDER}|"
    rf"(?:the|this|these)\s+{_OFFENDER}\b(?:\s+[\w']+){{0,8}}?\s+(?:is|are|was|were|has\s+been|have\s+been)\s+"
    rf"(?:now\s+|finally\s+)?{_CAUGHT}|"
    r"justice\s+(?:will\s+be|has\s+been|was)\s+served|"
    r"(?:the\s+)?(?:da|district\s+attorney|prosecution|prosecutor)'?s?\s+case\s+(?:is|was|looks)\s+(?:weak|strong|airtight|"
    r"solid|flimsy|thin)|"
    # Spanish: "es culpable", "sabemos que él lo hizo", "será condenado", "el caso de la fiscalía es débil".
    r"(?:es|son|era|eran|fue|fueron)\s+(?:claramente\s+|obviamente\s+|totalmente\s+|100%\s+)?(?:culpables?|inocentes?)|"
    r"sabemos\s+(?:que\s+)?(?:[eé]l|ella|ellos|ellas|qui[eé]n)\s+(?:lo|la)\s+hi(?:zo|cieron)|"
    r"(?:ser[aá]n?|va\s+a\s+ser|van\s+a\s+ser)\s+(?:condenad[oa]s?|declarad[oa]s?\s+culpables?)|"
    r"(?:va|van)\s+a\s+(?:pasar|pudrirse)\s+(?:(?:muchos\s+)?a[nñ]os|el\s+resto\s+de\s+su\s+vida)?\s*(?:en\s+(?:la\s+)?(?:c[aá]rcel|prisi[oó]n))|"
    r"(?:el\s+)?caso\s+de\s+la\s+fiscal[ií]a\s+es\s+(?:d[eé]bil|s[oó]lido|fuerte)|"
    r"(?:atrapamos|capturamos|arrestamos)\s+a?l?\s*(?:ladr[oó]n|asesino|violador|culpable|delincuente|ratero)|"
    r"se\s+har[aá]\s+justicia"
    r")\b"
)
# Stock phrases that protect the presumption of innocence are not statements of guilt.
_PRESUMPTION = re.compile(
    r"presumed\s+innocent|until\s+proven\s+guilty|merely\s+(?:an\s+)?accusations?|allegations|"
    r"se\s+presume(?:n)?\s+inocentes?|presunci[oó]n\s+de\s+inocencia|hasta\s+que\s+se\s+(?:demuestre|pruebe)"
)


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(c, 0, start) for c in ".!?\n")
    rights = [i for i in (text.find(c, end) for c in ".!?\n") if i != -1]
    return text[left + 1 : min(rights) if rights else len(text)]


@register("conduct.guilt", kinds=("post",))
def guilt_or_innocence(text: str, context: ScreeningContext) -> list[Finding]:
    """385.5.2(b): no statements about the guilt or innocence of a suspect, or pending prosecutions."""
    norm = normalize(text)
    found = []
    for m in _GUILT.finditer(norm.text):
        if _PRESUMPTION.search(_sentence(norm.text, m.start(), m.end())):
            continue
        found.append(
            finding(
                norm, *m.span(),
                rule_id="conduct.guilt", section="385.5.2(b)", severity=Severity.ACKNOWLEDGE,
                explanation="States or implies a suspect's guilt or innocence, or comments on a pending "
                "prosecution. Say what happened and who was arrested; leave guilt to the court.",
            )
        )  # fmt: skip
    return found


# Abusive, discriminatory, inflammatory or sexually explicit (385.5(a)) ----------------------------------

_ABUSIVE = lexicon.compile_words(
    lexicon.PROFANITY, lexicon.SLURS, lexicon.SEXUAL, lexicon.INFLAMMATORY,
    lexicon.PROFANITY_ES, lexicon.SLURS_ES, lexicon.INFLAMMATORY_ES,
)  # fmt: skip


@register("conduct.abusive", kinds=("post",))
def abusive_language(text: str, context: ScreeningContext) -> list[Finding]:
    return _findings(
        _ABUSIVE, text,
        rule_id="conduct.abusive", section="385.5(a)", severity=Severity.BLOCK,
        explanation="Abusive, discriminatory, inflammatory or sexually explicit language.",
    )  # fmt: skip


# Political activity (385.5.2(b)) ------------------------------------------------------------------------

_OFFICE = (
    r"(?:council\s?(?:member|woman|man)|city\s+council|mayor|sheriff|supervisor|senator|assembly\s?(?:member|man|woman)|"
    r"congress\s?(?:man|woman|member)|governor|president|district\s+attorney|da|judge|candidate|school\s+board)"
)
_POLITICAL = re.compile(
    r"\b(?:"
    r"vote\s+(?:yes|no)\s+on|vote\s+(?:for|against)\s+(?:measure|prop|proposition|councilmember|mayor|sheriff|the\s+recall)|"
    rf"(?:re-?elect|endorse[sd]?|endorsing|support(?:s|ing)?|vote\s+for|back(?:s|ing)?)\s+(?:our\s+)?(?:\w+\s+){{0,2}}?(?:for\s+)?{_OFFICE}|"
    r"(?:yes|no)\s+on\s+(?:measure|prop|proposition)\s+\w+|"
    r"(?:measure|prop|proposition)\s+\w+\s+(?:deserves|needs)\s+your\s+(?:vote|support)|"
    r"democrats?|republicans?|gop|maga|libtards?|liberals|conservatives|leftists?|right[\s-]wingers?|"
    r"campaign\s+(?:for|rally|contributions?|donations?|fund|event)|political\s+(?:party|rally|campaign|action\s+committee)|"
    r"\bpac\b|recall\s+(?:the\s+)?(?:mayor|governor|council|da|district\s+attorney|sheriff)|defund\s+the\s+police|"
    # Spanish: "vote por el alcalde", "apoye la Medida X", "reelija", "done a la campaña".
    r"vot(?:e|en|a|emos)\s+(?:por|a\s+favor\s+de|en\s+contra\s+de)\s+(?:el|la|los|nuestro|nuestra|la\s+medida|"
    r"la\s+propuesta|la\s+revocaci[oó]n|\w+\s+para)|vote\s+(?:s[ií]|no)\s+(?:a|en)\s+la\s+(?:medida|propuesta)|"
    r"(?:apoye|apoyen|apoyemos|apoyamos)\s+(?:a\s+)?(?:la\s+medida|la\s+propuesta|la\s+campa[nñ]a|al?\s+candidat[oa]|"
    r"(?:al|a\s+la)\s+(?:alcalde|alcaldesa|concejal|sheriff|fiscal))|re-?elij(?:a|an|amos)|reelecci[oó]n\s+de|"
    r"(?:done|donen|donaciones?)\s+(?:a|para)\s+(?:la\s+)?campa[nñ]a|partido\s+(?:dem[oó]crata|republicano)|"
    r"revoca(?:r|ci[oó]n)\s+(?:de\s+)?(?:al|la|el)\s+(?:alcalde|alcaldesa|gobernador|concejo|fiscal|sheriff)"
    r")\b"
)
# A politician's surname is political only near political activity; "Officer Maria Harris received the lifesaving
# award" is about an officer.
_POLITICIAN = re.compile(r"\b(?:trump|biden|harris|newsom|obama|pelosi|desantis|vance)\b")
_POLITICAL_ACTIVITY = re.compile(
    r"\b(?:vot(?:e|es|ed|ing|ers?|en|emos|a|ar)|elect(?:ed|ion|ions)?|re-?elect|campaign\w*|ballot|recall|donat\w*|endors\w*|"
    r"candidates?|president(?:ial)?|administration|maga|rally|rallies|primar(?:y|ies)|caucus|polls?|"
    r"elecci[oó]n(?:es)?|elij\w*|campa[nñ]a|candidat[oa]s?|presidente|boleta|don(?:e|en|ar|aciones?)|apoy\w*|mitin)\b"
)


def _politician_in_context(norm_text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _POLITICIAN.finditer(norm_text):
        sentence = _sentence(norm_text, m.start(), m.end())
        if _POLITICAL_ACTIVITY.search(sentence):
            spans.append(m.span())
    return spans


@register("conduct.political", kinds=("post",))
def political_activity(text: str, context: ScreeningContext) -> list[Finding]:
    norm = normalize(text)
    spans = {m.span() for m in _POLITICAL.finditer(norm.text)} | set(_politician_in_context(norm.text))
    return [
        finding(
            norm, s, e,
            rule_id="conduct.political", section="385.5.2(b)", severity=Severity.BLOCK,
            explanation="Political activity: the department's accounts do not endorse candidates, parties or "
            "ballot measures.",
        )
        for s, e in sorted(spans)
    ]  # fmt: skip


# Private business (385.5.2(b)) --------------------------------------------------------------------------

_BUSINESS = re.compile(
    r"\b(?:"
    r"(?:my|our\s+family'?s|my\s+wife'?s|my\s+husband'?s)\s+(?:new\s+|own\s+|small\s+)?(?:business|shop|store|company|"
    r"side\s+hustle|etsy|llc|bakery|salon|gym|studio|food\s+truck|restaurant)|"
    r"(?:promo|discount|coupon)\s+code|use\s+code\s+\w+|"
    r"\d{1,2}\s?%\s+off|"
    r"(?:dm|message|text|call)\s+me\s+(?:for|to)\s+(?:order|orders|buy|prices|pricing|a\s+quote|details|rates)|"
    r"(?:hire|book)\s+me\b|my\s+(?:services|rates|prices)|"
    r"(?:my|our)\s+(?:real\s+estate|insurance|catering|photography|landscaping|tax|security\s+consulting)\s+"
    r"(?:business|services|company|agency)|"
    r"(?:buy|order)\s+(?:yours|now|today)\b|shop\s+now|limited\s+time\s+offer|mention\s+this\s+post"
    r")"
)


@register("conduct.business", kinds=("post",))
def private_business(text: str, context: ScreeningContext) -> list[Finding]:
    return _findings(
        _BUSINESS, text,
        rule_id="conduct.business", section="385.5.2(b)", severity=Severity.BLOCK,
        explanation="Promotes a private business: the department's accounts are not for private business.",
    )  # fmt: skip


# Personal use (385.5(f)) --------------------------------------------------------------------------------

_PERSONAL = re.compile(
    r"\b(?:"
    r"(?:happy\s+(?:birthday|anniversary)\s+to\s+)?my\s+(?:wife|husband|hubby|kids|son|daughter|mom|dad|mother|father|"
    r"family|girlfriend|boyfriend|fiance|fiancee|bestie|baby|dog|cat|vacation|weekend|birthday|anniversary|"
    r"fantasy\s+(?:team|league)|team\s+(?:won|lost))|"
    r"i'?m\s+(?:so\s+)?(?:tired|bored|hungover|drunk|exhausted|hungry)|i\s+am\s+(?:so\s+)?(?:tired|bored|hungover|drunk)|"
    r"(?:check\s+out|follow|like|subscribe\s+to)\s+my\s+(?:personal\s+)?(?:page|instagram|insta|account|channel|"
    r"blog|tiktok|profile|youtube|podcast)|"
    r"(?:in\s+)?my\s+(?:personal|own|honest)\s+(?:opinion|view|views|take)|imho|\bimo\b|"
    r"lol|lmao|rofl|omg|selfie|"
    r"(?:can'?t|cannot)\s+wait\s+(?:for\s+)?(?:my|the\s+weekend|to\s+go\s+home)|"
    r"(?:go|let'?s\s+go)\s+(?:lakers|dodgers|rams|chargers|raiders|niners|49ers|clippers|angels|padres)"
    r")\b"
)


@register("conduct.personal_use", kinds=("post",))
def personal_use(text: str, context: ScreeningContext) -> list[Finding]:
    return _findings(
        _PERSONAL, text,
        rule_id="conduct.personal_use", section="385.5(f)", severity=Severity.ACKNOWLEDGE,
        explanation="Reads as personal use of the department's account: first-person, private life or opinion.",
    )  # fmt: skip
