"""Public comments (385.5.1): threats against the community or public employees, inflammatory language,
obscenities, personal attacks and off-topic or spam comments. (Personal information a commenter posts about
someone else is found by the rules in personal.py, which run on comments too.)

A threat is escalated at once: the Social Media Officer monitors comments for exactly this.
"""

import re
from collections import Counter

from ..base import Finding, ScreeningContext, Severity, register
from ..normalize import normalize
from . import lexicon
from ._util import finding, setting, whole_text

SECTION = "385.5.1"

# Threats ------------------------------------------------------------------------------------------------

_HARM = (
    r"(?:kill|shoot|stab|murder|hurt|attack|bomb|blow\s+up|burn|hang|lynch|slit|strangle|choke|run\s+over|"
    r"gun\s+down|take\s+out|execute|torch|firebomb|shank|snipe|ambush|hunt\s+down|beat\s+up)"
)
_TARGET = (
    r"(?:you|u|ya|him|her|them|y'?all|everyone|every\s+(?:one\s+of\s+(?:you|them)|cop|officer|pig)|"
    r"all\s+(?:of\s+)?(?:you|them|the\s+(?:cops|pigs|officers|police))|"
    r"(?:a|some|the|that|this|those|these|your|ur|his|her|their)\s+(?:\w+\s+)?(?:cops?|pigs?|officers?|deputy|deputies|"
    r"sergeant|detective|chief|mayor|judge|councilman|councilwoman|dispatcher|family|families|kids|children|wife|"
    r"husband|house|home|station|precinct|building|school|department|city\s+hall|car|cruiser)|"
    r"cops|pigs|officers|police|city\s+hall|officer\s+\w+|sgt\.?\s+\w+|chief\s+\w+|detective\s+\w+)"
    # "shoot you an email" is not a threat
    r"(?!\s+(?:an?\s+)?(?:e-?mail|text|message|note|dm|pm|line|call|invite|quick|update))"
)
_INTENT = (
    r"(?:gonna|going\s+to|(?:i|we|i'?ll|we'?ll|imma|ima)\s*(?:'?ll|\s+will|'?m\s+(?:going\s+to|gonna|about\s+to)|\s+am\s+(?:going\s+to|gonna)|"
    r"'?re\s+(?:going\s+to|gonna)|\s+are\s+(?:going\s+to|gonna)|\s+gonna|\s+want\s+to|\s+wanna|\s+should|"
    r"\s+need\s+to|\s+plan\s+to|\s+intend\s+to|\s+would\s+love\s+to|\s+can'?t\s+wait\s+to|\s+swear\s+(?:i'?ll|i\s+will|we'?ll))?)"
)
_THREAT = re.compile(
    r"\b(?:"
    rf"{_INTENT}\s*(?:go\s+)?{_HARM}\s+(?:up\s+|down\s+)?{_TARGET}|"
    rf"(?:someone|somebody|people|we|y'?all|the\s+community|citizens)\s+(?:should|needs?\s+to|ought\s+to|oughta|gotta|"
    rf"has\s+to|have\s+to|gonna|will)\s+(?:just\s+)?{_HARM}\s+(?:up\s+|down\s+)?{_TARGET}|"
    rf"(?:shoot|blow|shoot)\s+up\s+(?:the|a|your|that|this)\s+(?:station|school|department|precinct|city\s+hall|building|place|meeting|parade|event)|"
    r"(?:bomb|burn|torch|firebomb)\s+(?:down\s+)?(?:the|your|that|this)\s+(?:station|precinct|department|building|city\s+hall|school)|"
    rf"{_INTENT}\s*(?:find|hunt|track)\s+(?:you|u|him|her|them)(?:\s+down)?(?:\s+and|,)\s+(?:\w+\s+)?{_HARM}|"
    rf"{_INTENT}\s*(?:find|hunt|track)\s+(?:you|u|him|her|them)\s+down|"
    rf"{_INTENT}\s*run\s+(?:you|u|him|her|them|that\s+\w+)\s+over|"
    r"(?:waiting|outside|coming\s+for|come\s+for|show\s+up|see\s+you|visit)\b[^.!?]{0,40}?\bwith\s+(?:a|my|the|our)\s+"
    r"(?:gun|guns|rifle|knife|pistol|shotgun|glock|ak|ar|bat|machete)|"
    r"(?:watch|better\s+watch)\s+your\s+(?:back|kids|family|house)|"
    r"(?:i|we)\s+(?:know|found\s+out|figured\s+out)\s+where\s+(?:you|he|she|they|your\s+\w+|(?:officer|ofc|sgt|sergeant|"
    r"detective|det|deputy|chief|lt|lieutenant|mayor|judge)\.?\s+\w+|[a-z]+)\s+(?:lives?|sleeps?|parks?|stays?)|"
    r"(?:go\s+)?kill\s+(?:yo)?ur\s?self|\bkys\b|unalive\s+(?:yo)?ur\s?self|"
    # Spanish: "te voy a matar", "los vamos a quebrar", "sé dónde vives", "mátate".
    r"(?:te|lo|la|los|las|les)\s+(?:voy|vamos|van|va)\s+a\s+(?:matar|quebrar|balacear|balear|madrear|partir\s+la\s+madre|"
    r"dar\s+(?:piso|cuello|plomo|un\s+tiro|de\s+balazos)|levantar|desaparecer|quemar|acuchillar|picar|apu[nñ]alar|rafaguear)|"
    r"(?:voy|vamos)\s+a\s+(?:matar|quemar|balacear|balear)\s+(?:a\s+)?(?:todos|ese|esa|esos|el|la|los|un|una|al|tu|su)|"
    r"(?:ya\s+)?(?:s[eé]|sabemos)\s+d[oó]nde\s+(?:vives|viven|vive|duermes|estacionas|trabajas)|"
    r"m[aá]tate|mu[eé]rete|ojal[aá]\s+(?:te|lo|la|los|les)\s+(?:maten|mate|den\s+un\s+tiro)|"
    r"(?:hay\s+que|deber[ií]an)\s+(?:matar|quemar|colgar|balacear)\s+a\s+(?:todos\s+)?(?:los|esos|esas|ese|el|la)\s+"
    r"(?:polic[ií]as?|polis|cerdos|puercos|oficiales?|alcalde|alcaldesa|jefe)|"
    r"(?:you|ur|you'?re|u\s+r)\s+(?:are\s+)?(?:dead|next|a\s+dead\s+(?:man|woman))|(?:you'?re|you\s+are)\s+(?:so\s+)?dead|"
    r"count\s+your\s+days|days\s+are\s+numbered|you(?:'ll|\s+will)\s+(?:pay|regret\s+(?:this|it))|"
    r"(?:hope|wish|pray)\s+(?:that\s+)?(?:you|he|she|they|every|all|the|that|those|these|your)\b(?:\s+[\w']+){0,5}?\s+"
    r"(?:die|dies|get\s+shot|gets\s+shot|get\s+killed|gets\s+killed|burn|burns|get\s+murdered|gets\s+murdered)\b|"
    r"(?:deserves?|deserve)\s+(?:to\s+(?:die|be\s+shot|be\s+killed|hang|be\s+hanged)|a\s+bullet)|"
    r"(?:kill|shoot|hang)\s+(?:all|every)\s+(?:the\s+)?(?:cops|pigs|police|officers|cop|pig|officer)|"
    r"off\s+the\s+pigs|dead\s+cops?|bullets?\s+(?:for|with\s+(?:your|his|her)\s+name)|"
    r"(?:gonna|going\s+to)\s+be\s+a\s+(?:bloodbath|massacre)|(?:i|we)\s+(?:have|got)\s+(?:a\s+gun|guns|a\s+rifle|ammo)\s+"
    r"(?:and|for|with)|see\s+you\s+(?:soon|at\s+your\s+(?:house|home))\s+(?:officer|pig|cop|chief|sgt)"
    r")\b"
)
# "You'll pay" after a fine or fee is not a threat.
_NOT_THREAT_AFTER = re.compile(r"^\s*(?:the\s+)?(?:a\s+)?(?:fine|fee|ticket|\$|for\s+(?:parking|the\s+ticket))")


@register("comment.threat", kinds=("comment",))
def threat(text: str, context: ScreeningContext) -> list[Finding]:
    norm = normalize(text)
    found = []
    for m in _THREAT.finditer(norm.text):
        if _NOT_THREAT_AFTER.match(norm.text[m.end() : m.end() + 30]):
            continue
        found.append(
            finding(
                norm, *m.span(),
                rule_id="comment.threat", section=SECTION, severity=Severity.BLOCK, escalate=True,
                explanation="A threat against the community or public employees: hide the comment and alert the "
                "Social Media Officer and a supervisor now.",
            )
        )  # fmt: skip
    return found


# Inflammatory, obscene, personal attacks ----------------------------------------------------------------

_INFLAMMATORY = lexicon.compile_words(lexicon.INFLAMMATORY, lexicon.SLURS, lexicon.INFLAMMATORY_ES, lexicon.SLURS_ES)
_OBSCENE = lexicon.compile_words(lexicon.PROFANITY, lexicon.SEXUAL, lexicon.PROFANITY_ES)

_INSULT = (
    r"(?:idiot|idiots|moron|morons|stupid|dumb|clown|clowns|loser|losers|pathetic|incompetent|liar|liars|coward|"
    r"cowards|joke|disgrace|fool|fools|imbecile|dumbass|jackass|useless|worthless|lazy|corrupt|crook|crooked|"
    r"hypocrite|hypocrites|scumbag|scumbags|trash|garbage|pos|piece\s+of\s+(?:\w+)|fat\s+(?:\w+)|ugly|"
    r"power[\s-]tripping\s+\w+|bully|bullies|thug|thugs|embarrassment|failure|waste\s+of\s+(?:space|oxygen|a\s+badge))"
)
_PERSON = (
    r"(?:you|u|ya|y'?all|you\s+guys|you\s+people|he|she|they|this\s+(?:guy|cop|officer|lady|woman|man|chief|sergeant)|"
    r"that\s+(?:guy|cop|officer|lady|woman|man|chief|sergeant|dispatcher|detective)|the\s+(?:chief|mayor|sergeant|sarge|"
    r"lieutenant|captain|officer|detective|dispatcher|social\s+media\s+person)|(?:officer|ofc|sgt|sergeant|chief|det|"
    r"detective|deputy|mayor|lt|captain)\.?\s+[a-z][\w'-]+|your\s+(?:chief|officers?|cops|department|boss)|"
    r"these\s+cops|those\s+cops|your\s+(?:so[\s-]called\s+)?(?:officers|cops))"
)
_ATTACK = re.compile(
    r"\b(?:"
    rf"{_PERSON}(?:\s+[\w']+){{0,3}}?(?:'re|'s|\s+(?:is|are|was|were|r))\s+(?:such\s+|so\s+|a\s+|an\s+|the\s+|all\s+|just\s+|bunch\s+of\s+|"
    rf"nothing\s+but\s+|a\s+bunch\s+of\s+|complete\s+|total\s+|absolute\s+|a\s+complete\s+|a\s+total\s+|an\s+absolute\s+|"
    rf"the\s+most\s+|really\s+|truly\s+|clearly\s+|a\s+real\s+|such\s+a\s+|such\s+an\s+)*(?:\w+\s+)?{_INSULT}|"
    rf"(?:your|ur)\s+(?:a|an|such\s+an?)\s+(?:\w+\s+)?{_INSULT}|"
    rf"what\s+(?:a|an)\s+(?:\w+\s+)?(?:idiot|moron|clown|joke|loser|coward|fool|disgrace|hypocrite|embarrassment)|"
    r"shut\s+(?:up|your\s+mouth)|go\s+to\s+hell|get\s+a\s+(?:life|real\s+job)|nobody\s+asked\s+(?:you|u)|"
    r"(?:idiot|moron|clown|dumbass|loser)s?\s+(?:officer|cop|chief|sergeant|cops|officers)|"
    r"(?:fire|sack)\s+(?:that|this)\s+(?:idiot|moron|clown|loser|incompetent)|"
    # Spanish: "eres un pendejo", "ese oficial es un inútil", "pinche payaso".
    r"(?:eres|son|es|sos|fuiste)\s+(?:un|una|unos|unas|puro|pura|bien|muy|tan)?\s*(?:pinche\s+|gran\s+|maldito\s+|maldita\s+)?"
    r"(?:pendej[oa]s?|idiotas?|imb[eé]ciles?|est[uú]pid[oa]s?|payas[oa]s?|in[uú]til(?:es)?|bur(?:ro|ra)s?|tont[oa]s?|"
    r"corrupt[oa]s?|cobardes?|mentiros[oa]s?|basuras?|rateros?|vendidos?|lambiscones?|babos[oa]s?)|"
    r"(?:c[aá]llate|c[aá]llense)\s+(?:el\s+)?(?:hocico|la\s+boca|pendej[oa])|vete\s+a\s+la\s+(?:verga|chingada|mierda)"
    r")\b"
)


@register("comment.inflammatory", kinds=("comment",))
def inflammatory(text: str, context: ScreeningContext) -> list[Finding]:
    norm = normalize(text)
    return [
        finding(
            norm, *m.span(),
            rule_id="comment.inflammatory", section=SECTION, severity=Severity.ACKNOWLEDGE,
            explanation="Inflammatory language: hatred or contempt for a group, or incitement.",
        )
        for m in _INFLAMMATORY.finditer(norm.text)
    ]  # fmt: skip


@register("comment.obscenity", kinds=("comment",))
def obscenity(text: str, context: ScreeningContext) -> list[Finding]:
    norm = normalize(text)
    return [
        finding(
            norm, *m.span(),
            rule_id="comment.obscenity", section="385.5.1(a)", severity=Severity.ACKNOWLEDGE,
            explanation="Obscenity: the department may remove obscene comments.",
        )
        for m in _OBSCENE.finditer(norm.text)
    ]  # fmt: skip


@register("comment.personal_attack", kinds=("comment",))
def personal_attack(text: str, context: ScreeningContext) -> list[Finding]:
    norm = normalize(text)
    return [
        finding(
            norm, *m.span(),
            rule_id="comment.personal_attack", section="385.5.1(a)", severity=Severity.ACKNOWLEDGE,
            explanation="A personal attack on a person: the department may remove personal attacks.",
        )
        for m in _ATTACK.finditer(norm.text)
    ]  # fmt: skip


# Off-topic and spam -------------------------------------------------------------------------------------

_URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"']+|\b[a-z0-9-]+\.(?:com|net|biz|info|shop|store|xyz|io|co|ly)(?:/\S*)?\b"
)
_COMMERCE = re.compile(
    r"(?:shop|store|buy|deal|deals|sale|discount|promo|coupon|casino|bet|betting|slots|crypto|bitcoin|btc|forex|"
    r"invest|trading|loan|loans|cash|viagra|cialis|pharma|pills|onlyfans|followers|likes|seo|earn|profit|dating|"
    r"bit\.ly|tinyurl|t\.co|goo\.gl|rb\.gy|cutt\.ly|linktr\.ee)"
)
_SPAM_PHRASES = re.compile(
    r"\b(?:"
    r"(?:dm|message|inbox|whats\s?app|telegram|text)\s+(?:me|us)(?:\s+(?:now|for|to|on))?|"
    r"(?:earn|make|making)\s+\$?\d[\d,k]*\s*(?:\$|dollars|usd)?\s*(?:a|per|every|each)\s+(?:day|week|hour|month)|"
    r"work\s+from\s+home|(?:click|tap)\s+(?:the\s+)?link\s+(?:in|on)\s+my\s+(?:bio|profile)|link\s+in\s+(?:my\s+)?bio|"
    r"check\s+out\s+my\s+(?:page|channel|profile|store|shop|site|website)|follow\s+(?:me|my\s+page)|"
    r"giveaway|free\s+(?:iphone|gift\s+card|money|followers)|investment\s+opportunity|crypto|bitcoin|forex|"
    r"(?:cheap|best)\s+(?:price|prices|deals)|100%\s+(?:guaranteed|legit|free)|limited\s+time\s+offer|"
    r"(?:buy|order)\s+(?:now|today)|hot\s+singles|sugar\s+daddy|"
    r"(?:buy|cheap|get|free)\s+(?:followers|likes|views|subscribers)"
    r")\b"
)
_WORD = re.compile(r"[^\W_]+")


def _public_domain(url: str) -> bool:
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url).split("/")[0]
    ours = tuple(setting("DEPARTMENT_EMAIL_DOMAINS", ())) + tuple(setting("PUBLIC_LINK_DOMAINS", ()))
    return host.endswith((".gov", ".mil", ".edu", ".us")) or any(host == d or host.endswith("." + d) for d in ours)


def _repeated(words: list[str]) -> bool:
    """Copy-pasted text: one word or three-word phrase repeated over and over."""
    if len(words) < 8:
        return False
    counts = Counter(words)
    word, n = counts.most_common(1)[0]
    if n >= 6 and n / len(words) >= 0.3 and len(word) > 2:
        return True
    trigrams = Counter(zip(words, words[1:], words[2:], strict=False))
    return trigrams.most_common(1)[0][1] >= 4


@register("comment.spam", kinds=("comment",))
def spam(text: str, context: ScreeningContext) -> list[Finding]:
    norm = normalize(text)
    found = []

    def add(start, end, why):
        found.append(
            finding(
                norm, start, end,
                rule_id="comment.spam", section="385.5.1(a)", severity=Severity.ACKNOWLEDGE,
                explanation=f"Off-topic or spam: {why}.",
            )
        )  # fmt: skip

    urls = [m for m in _URL.finditer(norm.text) if not _public_domain(m.group(0))]
    for m in urls:
        if _COMMERCE.search(m.group(0)):
            add(*m.span(), "a link to unrelated commerce")
    if len(urls) >= 3:
        add(*urls[0].span(), "several links to outside sites")
    for m in _SPAM_PHRASES.finditer(norm.text):
        add(*m.span(), "advertising or solicitation")
    if _repeated(_WORD.findall(norm.text)):
        found.append(
            whole_text("comment.spam", "385.5.1(a)", Severity.ACKNOWLEDGE, "Off-topic or spam: repeated text.")
        )
    return found
