"""385.5(b): information that violates individual rights, including privacy: personal information of private
persons. Registered for posts and for public comments (a commenter posting someone else's details, 385.5.1).

Each detector looks for the thing in its context ("DOB", "plate", "lives at") rather than any number, because
police posts are full of dates, case numbers and block numbers that are not personal information.
"""

import re
from functools import lru_cache

import phonenumbers
import usaddress

from ..base import Finding, ScreeningContext, Severity, register
from ..normalize import normalize
from ._util import finding, setting

SECTION = "385.5(b)"
KINDS = ("post", "comment")

# Social Security numbers --------------------------------------------------------------------------------

# Area 000 and 666, group 00 and serial 0000 are never issued. Area 900-999 is never a Social Security number,
# but it is an ITIN (groups 50-65, 70-88, 90-92, 94-99), which is just as private when given as one.
_SSN_BODY = (
    r"(?!000|666)(?:[0-8]\d\d([- .])(?!00)\d{2}|9\d\d([- .])(?:5\d|6[0-5]|7\d|8[0-8]|9[0-24-9]))"
    r"(?:\1|\2)(?!0000)\d{4}"
)
_SSN = re.compile(rf"(?<![\d.-]){_SSN_BODY}(?![\d-]|\.\d)")
# Digits spelled out one by one ("9 0 1 - 7 3 - 5 5 2 8") only count after a label.
_SPACED_DIGITS = r"\d(?:\s?[-.]?\s?\d){8}"
# Nine digits run together are a Social Security number only when the text says so.
_SSN_LABELLED = re.compile(
    r"\b(?:ssn|ss#|soc(?:ial)?\.?\s+sec(?:urity)?\.?(?:\s+(?:number|no\.?|#))?|"
    r"(?:n[uú]mero\s+(?:de(?:l)?\s+)?)?seguro\s+social(?:\s+(?:n[uú]mero|no\.?|#))?|itin|social)\b"
    r"(?:\s+(?:number|no\.?|is|was|es|for\s+[^:\d]{1,60}?))?\s*(?:es\s+|:|#)?\s*"
    rf"((?!000|666)\d{{3}}[- .]?(?!00)\d{{2}}[- .]?(?!0000)\d{{4}}|{_SPACED_DIGITS})(?!\d)"
)


@register("pii.ssn", kinds=KINDS)
def social_security_number(text: str, context: ScreeningContext) -> list[Finding]:
    norm = normalize(text)
    spans = {m.span() for m in _SSN.finditer(norm.text)}
    spans |= {m.span(1) for m in _SSN_LABELLED.finditer(norm.text)}
    return [
        finding(
            norm, s, e,
            rule_id="pii.ssn", section=SECTION, severity=Severity.BLOCK,
            explanation="Looks like a Social Security number. It must never be posted.",
        )
        for s, e in sorted(spans)
    ]  # fmt: skip


# Dates of birth ----------------------------------------------------------------------------------------

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}(?!\d)"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?:19|20)\d{{2}}"
    r"|(?:19|20)\d{2}-\d{2}-\d{2})"
)
_MES = r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)"
_FECHA = rf"(?:\d{{1,2}}\s+de\s+{_MES}(?:\s+de(?:l)?)?\s+(?:19|20)\d{{2}})"
_DOB = re.compile(
    r"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s?date|birthday|born|fecha\s+de\s+nacimiento|f\.?\s?nac\.?|"
    r"naci[oó]|nacid[oa]|cumplea[nñ]os)\b"
    r"(?:\s*[:\-–—]\s*|\s+(?:is\s+|was\s+|on\s+|of\s+|el\s+|es\s+(?:el\s+)?|fue\s+(?:el\s+)?)?)"
    rf"({_DATE}|{_FECHA})"
)


@register("pii.dob", kinds=KINDS)
def date_of_birth(text: str, context: ScreeningContext) -> list[Finding]:
    norm = normalize(text)
    return [
        finding(
            norm, *m.span(1),
            rule_id="pii.dob", section=SECTION, severity=Severity.ACKNOWLEDGE,
            explanation="A date of birth. Give an age instead unless publishing the date is necessary.",
        )
        for m in _DOB.finditer(norm.text)
    ]  # fmt: skip


# Phone numbers -----------------------------------------------------------------------------------------

_PHONE_HINT = re.compile(r"\d{3}\D{0,3}\d{3}\D{0,2}\d{4}")
# Words just before a number that make it the department's or a public service's line, not a person's.
_PUBLIC_LINE = re.compile(
    r"(?:non[- ]?emergency|dispatch|tip\s?(?:s\s)?line|tipline|crime\s?stoppers|hotline|helpline|crisis|"
    r"police(?:\s+department)?|sheriff|\bpd\b|department|detective|det\.|officer|ofc\.|sergeant|sgt\.?|"
    r"(?:investigations?|records|traffic|patrol|property|evidence)\s+(?:unit|bureau|division|section|desk)|"
    r"front\s+desk|call\s+us|\b911\b|animal\s+services|our\s+(?:main\s+)?(?:line|number|office)|city\s+hall|public\s+information|"
    r"animal\s+(?:control|services)|caltrans|chp|fire\s+department|"
    r"(?:l[ií]nea|n[uú]mero)\s+(?:de\s+)?(?:no\s+emergencias?|denuncias|an[oó]nima)|polic[ií]a|departamento|oficial|agente|"
    r"detective|despacho|ll[aá]menos|nuestra\s+l[ií]nea|nuestro\s+n[uú]mero)"
)
_SENTENCE_BREAK = re.compile(r"[.!?\n]\s")
# The writer's own number or address, offered so people can reach them ("call me at", "mi cel es"): theirs to give.
_OWN_CONTACT = re.compile(
    r"\b(?:call|text|reach|message|contact|email|e-mail|dm|whats\s?app)\s+(?:me|us)\b|\bmy\s+(?:cell|number|phone|email|"
    r"e-mail|wife|husband)\b|\bi'?m\s+at\b|ll[aá]m(?:e|a|en)me|ll[aá]mame|escr[ií]b(?:e|a|an)me|m[aá]nd(?:a|e|en)me|"
    r"\bmi\s+(?:cel|celular|n[uú]mero|tel[eé]fono|correo|whats)\b|\bwhats\s?app\b|\bwa\.me\b"
)


def _department_numbers() -> frozenset[str]:
    return _e164_set(tuple(setting("DEPARTMENT_PHONES", ())))


@lru_cache(maxsize=8)
def _e164_set(numbers: tuple[str, ...]) -> frozenset[str]:
    out = set()
    for raw in numbers:
        try:
            out.add(phonenumbers.format_number(phonenumbers.parse(raw, "US"), phonenumbers.PhoneNumberFormat.E164))
        except phonenumbers.NumberParseException:
            continue
    return frozenset(out)


def _lead_in(norm_text: str, start: int, width: int = 70, sentences: int = 1) -> str:
    """The words before position `start`, within the same sentence (or the last `sentences` sentences)."""
    before = norm_text[max(0, start - width) : start]
    breaks = list(_SENTENCE_BREAK.finditer(before))
    return before[breaks[-sentences].end() :] if len(breaks) >= sentences else before


@register("pii.phone", kinds=KINDS)
def phone_number(text: str, context: ScreeningContext) -> list[Finding]:
    norm = normalize(text)
    if not _PHONE_HINT.search(norm.text):
        return []
    ours = _department_numbers() | _e164_set(tuple(context.extra.get("department_phones", ())))
    found = []
    for match in phonenumbers.PhoneNumberMatcher(norm.text, "US"):
        number = match.number
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if e164 in ours:
            continue
        if phonenumbers.number_type(number) in (phonenumbers.PhoneNumberType.TOLL_FREE,):
            continue
        # "Call 911 for emergencies. For everything else, call ..." names the public line a sentence earlier.
        lead_in = _lead_in(norm.text, match.start, width=140, sentences=2)
        if _PUBLIC_LINE.search(lead_in):
            continue
        if _OWN_CONTACT.search(_lead_in(norm.text, match.start, width=60)):
            continue
        found.append(
            finding(
                norm, match.start, match.end,
                rule_id="pii.phone", section=SECTION, severity=Severity.ACKNOWLEDGE,
                explanation="A phone number that is not one of the department's published lines.",
            )
        )  # fmt: skip
    return found


# E-mail addresses --------------------------------------------------------------------------------------

_EMAIL = re.compile(r"\b[a-z0-9._%+-]+@((?:[a-z0-9-]+\.)+[a-z]{2,})\b")
_PUBLIC_SUFFIXES = (".gov", ".mil")


def _is_public_domain(domain: str, ours: tuple[str, ...]) -> bool:
    if domain.endswith(_PUBLIC_SUFFIXES):
        return True
    return any(domain == d or domain.endswith("." + d) for d in ours)


@register("pii.email", kinds=KINDS)
def email_address(text: str, context: ScreeningContext) -> list[Finding]:
    norm = normalize(text)
    if "@" not in norm.text:
        return []
    ours = tuple(d.lower() for d in [*setting("DEPARTMENT_EMAIL_DOMAINS", ()), *context.extra.get("email_domains", ())])
    return [
        finding(
            norm, *m.span(),
            rule_id="pii.email", section=SECTION, severity=Severity.ACKNOWLEDGE,
            explanation="A personal e-mail address (not the department's or another government address).",
        )
        for m in _EMAIL.finditer(norm.text)
        if not _is_public_domain(m.group(1), ours) and not _OWN_CONTACT.search(_lead_in(norm.text, m.start(), width=60))
    ]  # fmt: skip


# Driver's licence and licence plate numbers ------------------------------------------------------------

_ALNUM_ID = r"(?=[a-z0-9]{0,12}\d)[a-z0-9]{1,3}[- ]?[a-z0-9]{2,10}"
_DRIVERS_LICENCE = re.compile(
    r"\b(?:driver'?s?\s+licen[cs]e|dl|cdl|licen[cs]e\s+(?:no\.?|number|#)|licencia(?:\s+de\s+(?:conducir|manejo))?"
    r"(?:\s+(?:n[uú]mero|no\.?|#))?)\b"
    r"(?:\s+(?:number|no\.?))?\s*(?:#|:|is|of)?\s*"
    rf"({_ALNUM_ID})\b"
)
_PLATE = re.compile(
    r"\b(?:licen[cs]e\s+plates?|plates?|tags?|registration|placas?|matr[ií]cula)\b"
    r"(?:\s+(?:number|no\.?|reading|of|is|was))*\s*[:#]?\s*(?:[a-z]{2}\s+)?(?:plate\s+)?"
    r"((?=[a-z0-9 -]{0,9}\d)(?=[a-z0-9 -]{0,9}[a-z])[a-z0-9]{1,4}[- ]?[a-z0-9]{1,5})\b"
)
_NOT_AN_ID = re.compile(r"^(?:\d{1,2}(?:am|pm|th|st|nd|rd)|\d{4}|19\d\d|20\d\d)$")


# A California licence number (one letter, seven digits) within a sentence that speaks of a licence.
_CA_LICENCE = re.compile(r"\b[a-z]\d{7}\b")
_LICENCE_WORD = re.compile(r"\b(?:licen[cs]e|licencia|dl|cdl|driver'?s)\b")


@register("pii.licence", kinds=KINDS)
def drivers_licence(text: str, context: ScreeningContext) -> list[Finding]:
    norm = normalize(text)
    spans = {m.span(1) for m in _DRIVERS_LICENCE.finditer(norm.text) if not _NOT_AN_ID.match(m.group(1))}
    for m in _CA_LICENCE.finditer(norm.text):
        if _LICENCE_WORD.search(_sentence_around(norm.text, m.start(), m.end())):
            spans.add(m.span())
    return [
        finding(
            norm, s, e,
            rule_id="pii.licence", section=SECTION, severity=Severity.ACKNOWLEDGE,
            explanation="A driver's licence number.",
        )
        for s, e in sorted(spans)
        if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2 in spans)
    ]  # fmt: skip


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(c, 0, start) for c in ".!?\n")
    rights = [i for i in (text.find(c, end) for c in "!?\n") if i != -1]
    dot = re.search(r"\.(?:\s|$)", text[end:])
    if dot:
        rights.append(end + dot.start())
    return text[left + 1 : min(rights) if rights else len(text)]


# California plates ("7ABC123"), with or without the word "plate".
_CA_PLATE = re.compile(r"\b\d[a-z]{3}\d{3}\b")
_WANTED_VEHICLE = re.compile(
    r"\b(?:suspects?|stolen|wanted|bolo|be\s+on\s+the\s+lookout|amber\s+alert|fled|fleeing|sospechos[oa]s?|robad[oa]|"
    r"buscad[oa]|hu[ií]a|se\s+dio\s+a\s+la\s+fuga)\b"
)
_PERSON_NAME = re.compile(r"\b[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+(?:\s+[A-ZÁÉÍÓÚÑ]\.)?\s+[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+\b")
_NOT_NAME_WORDS = re.compile(
    r"^(?:Silver|White|Black|Gray|Grey|Red|Blue|Green|Honda|Toyota|Ford|Nissan|Chevy|Chevrolet|Dodge|Avenue|Street|"
    r"Highway|Indio|Police|Department|California|Jackson|Monroe|Fred|Golf|Miles|Requa|Smart|Stater|Van|Civic|Tacoma)\b"
)


def _names_a_person(original: str) -> bool:
    return any(not _NOT_NAME_WORDS.match(m.group(0)) for m in _PERSON_NAME.finditer(original))


@register("pii.plate", kinds=KINDS)
def licence_plate(text: str, context: ScreeningContext) -> list[Finding]:
    norm = normalize(text)
    spans = {
        m.span(1)
        for m in _PLATE.finditer(norm.text)
        if len(m.group(1).replace(" ", "").replace("-", "")) >= 5 and not _NOT_AN_ID.match(m.group(1))
    }
    spans |= {m.span() for m in _CA_PLATE.finditer(norm.text)}
    found = []
    for s, e in sorted(spans):
        sentence_start = max(norm.text.rfind(c, 0, s) for c in ".!?\n") + 1
        sentence = _sentence_around(norm.text, s, e)
        if _WANTED_VEHICLE.search(sentence):
            continue
        o_start, o_end = norm.span(sentence_start, sentence_start + len(sentence))
        if not _names_a_person(text[o_start:o_end]):
            continue
        found.append(
            finding(
                norm, s, e,
                rule_id="pii.plate", section=SECTION, severity=Severity.ACKNOWLEDGE,
                explanation="A licence plate tied to a named person: publish a plate only for a wanted or stolen "
                "vehicle.",
            )
        )  # fmt: skip
    return found


# Home addresses ----------------------------------------------------------------------------------------

_STREET_TYPES = (
    "street|st|avenue|ave|road|rd|drive|dr|lane|ln|court|ct|boulevard|blvd|way|place|pl|circle|cir|terrace|"
    "ter|trail|trl|parkway|pkwy|highway|hwy|loop|path|row|square|sq|alley|crescent|cres"
)
# Street names are capitalized in the original text ("1234 Elm Street"), which "3 cars on the road" is not.
_ADDRESS = re.compile(
    r"(?<![\w/.-])(\d{1,6}(?:-\d{1,5})?)\s+"
    r"((?:(?:[NSEW]\.?|North|South|East|West)\s+)?(?:(?:[A-Z][A-Za-z'’.-]*|\d{1,3}(?:st|nd|rd|th))\s+){1,3}"
    rf"(?i:{_STREET_TYPES})\b\.?)"
    r"(?:,?\s*(?i:apt|apartment|unit|#|suite|ste|space|spc)\.?\s*#?[A-Za-z0-9-]+)?"
)
# Spanish street names put the type first: "81-234 Calle Tampico", "45-100 Avenida Las Palmas".
_CAP = r"[A-ZÁÉÍÓÚÑ][A-Za-záéíóúñü'’-]*"
_CALLE = re.compile(
    r"(?<![\w/.-])(\d{1,6}(?:-\d{1,5})?)\s+(?:de\s+(?:la\s+)?)?"
    rf"((?:(?i:calle|avenida|av\.|camino|paseo|v[ií]a|vista|plaza))\s+(?:(?:{_CAP}|de|del|la|las|los|el)\s*){{1,4}})"
    # "80-215 Avenue 46": the valley's numbered avenues
    r"|(?<![\w/.-])(\d{2,6}(?:-\d{1,5})?)\s+(?:(?:Avenue|Ave\.?|Avenida)\s+\d{1,3})\b"
    # "calle Pomelo 83-190": the name first, as Spanish speakers write it
    rf"|\b(?i:calle|avenida|camino)\s+{_CAP}(?:\s+{_CAP})?\s+\d{{2,6}}(?:-\d{{1,5}})?\b"
)
_VENUE = re.compile(
    r"\b(?:park|center|centre|library|school|college|hall|station|church|stadium|plaza|mall|headquarters|hq|"
    r"office|museum|fairgrounds|community|theater|theatre|hospital|clinic|market|arena|field|"
    r"polo\s+grounds|club|restaurant|store|shopping|located\s+at|held\s+at|lobby|"
    r"parque|centro|biblioteca|escuela|iglesia|estaci[oó]n|tienda|restaurante|ubicad[oa]\s+en|en\s+el\s+local|evento|"
    r"oficinas?|sede|mercado|feria|estadio|hospital|cl[ií]nica|court|courthouse|justice\s+center|tribunal|corte|"
    r"front\s+counter|stop\s+by|visit\s+us|open\s+house|station|estaci[oó]n|shelter|dealership|concesionaria)\b"
)


def _department_addresses() -> tuple[str, ...]:
    return tuple(normalize(a).text for a in setting("DEPARTMENT_ADDRESSES", ()))


def _is_street_address(candidate: str) -> bool:
    try:
        parts, kind = usaddress.tag(candidate)
    except usaddress.RepeatedLabelError:
        return False
    return kind == "Street Address" and "AddressNumber" in parts and "StreetName" in parts


@register("pii.address", kinds=KINDS)
def home_address(text: str, context: ScreeningContext) -> list[Finding]:
    if not any(ch.isdigit() for ch in text):
        return []
    ours = _department_addresses()
    lowered = text.lower()

    def private(m: re.Match) -> bool:
        """Not the department's own address, and not a public place named just before it."""
        candidate = normalize(m.group(0)).text
        if any(candidate.startswith(a) or a.startswith(candidate) for a in ours if a):
            return False
        return not _VENUE.search(_lead_in(lowered, m.start(), width=60))

    # Spanish forms ("81-234 Calle Tampico", "calle Pomelo 83-190") and numbered avenues need no parser to confirm;
    # English forms are confirmed by usaddress, and "the 1200 block of" is never an address.
    matches = [m for m in _CALLE.finditer(text) if private(m)]
    matches += [
        m
        for m in _ADDRESS.finditer(text)
        if "block" not in m.group(2).lower() and private(m) and _is_street_address(m.group(0))
    ]
    return [
        _original_span_finding(
            text, m.start(), m.end(),
            rule_id="pii.address", severity=Severity.ACKNOWLEDGE,
            explanation="A street address. Use the block (\"the 1200 block of Elm Street\") unless it is a "
            "public place.",
        )
        for m in matches
    ]  # fmt: skip


def _original_span_finding(text, start, end, *, rule_id, severity, explanation) -> Finding:
    return Finding(rule_id, SECTION, str(severity), start, end, text[start:end][:160], explanation)


# Juveniles named ---------------------------------------------------------------------------------------

_NAME = r"(?:[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+(?:[-'’][A-ZÁÉÍÓÚÑ]?[a-záéíóúñü]+)?)"
_FULL_NAME = rf"({_NAME}(?:\s+[A-Z]\.)?\s+{_NAME}(?:\s+{_NAME})?)"
_MINOR_AGE = r"(?:1[0-7]|[1-9])"
_JUVENILE_PATTERNS = [
    # "Maria Lopez, 15," / "Maria Lopez (15)"
    re.compile(rf"{_FULL_NAME}\s*(?:,\s*|\(\s*(?:age\s+)?){_MINOR_AGE}\s*(?:,|\)|\s+years?\s+old|\s+year-old)"),
    # "15-year-old Maria Lopez"
    re.compile(
        rf"\b{_MINOR_AGE}[- ]years?[- ]old\s+(?:(?:boy|girl|male|female|juvenile|teen|student)\s+)?{_FULL_NAME}"
    ),
    # "a juvenile identified as Maria Lopez" / "the minor, Maria Lopez"
    re.compile(
        rf"\b(?:[Jj]uvenile|[Mm]inor|[Tt]een(?:ager)?|[Ss]tudent)s?\b[^.!?\n]{{0,40}}?"
        rf"(?:identified\s+as|named|,)\s+{_FULL_NAME}"
    ),
    # "Maria Lopez, a juvenile" / "Maria Lopez, a 15-year-old"
    re.compile(
        rf"{_FULL_NAME},?\s+(?:a|the|who\s+is\s+a)\s+(?:{_MINOR_AGE}[- ]year[- ]old|juvenile|minor|teen(?:ager)?)\b"
    ),
    # "Jayden Ortiz, he's 14" / "Adrian Ruelas is only 15" / "Kaylee (she's 10)"
    re.compile(
        rf"{_FULL_NAME}\s*(?:,\s*|\(\s*|\s+)(?:who\s+is\s+|he'?s\s+|she'?s\s+|is\s+|was\s+|tiene\s+)(?:only\s+|just\s+|apenas\s+|s[oó]lo\s+)?"
        rf"{_MINOR_AGE}\b(?!\s*(?:minutes|hours|days|weeks|months|miles|feet|blocks|%|am|pm|a\.m|p\.m|:|\.\d|th|st|nd|rd|"
        rf"years?\s+(?:of|on|with|in\s+the)|a[nñ]os\s+(?:de\s+servicio|en\s+el)))"
    ),
    # "The 15-year-old, Marco Villanueva," / "The 16 yr old driver, Kevin Ochoa" / "a 9-year-old named Adrián López"
    re.compile(
        rf"\b{_MINOR_AGE}[- ](?:years?|yrs?)[- ]old"
        rf"(?:\s+(?:boy|girl|driver|student|son|daughter|victim|suspect|juvenile|"
        rf"teen|passenger|male|female|who\s+was\s+\w+))?(?:,\s+|\s+(?:named|identified\s+as|called)\s+|\s+is\s+){_FULL_NAME}"
    ),
    # "Runaway juvenile Aaliyah Brooks", "the victim's teenage daughter, Gabriela Fierro"
    re.compile(rf"\b(?:[Jj]uvenile|[Mm]inor|[Tt]eenage\s+(?:daughter|son|girl|boy)|[Tt]eenager)\b,?\s+{_FULL_NAME}"),
    # Spanish: "María López, de 15 años", "la menor María López", "María López, menor de edad"
    re.compile(rf"{_FULL_NAME},?\s+(?:de\s+)?{_MINOR_AGE}\s+a[nñ]os\b"),
    re.compile(rf"(?:se\s+llama|es)\s+{_FULL_NAME}\s+y\s+tiene\s+{_MINOR_AGE}\s+a[nñ]os\b"),
    re.compile(rf"\b(?:[Mm]enor\s+de\s+edad|[Mm]enor)\s+{_FULL_NAME}"),
    re.compile(
        rf"\b(?:[Ll]a|[Ee]l|[Uu]na?|[Ll]os|[Ll]as)?\s*(?:[Mm]enor(?:es)?(?:\s+de\s+edad)?|[Aa]dolescente|[Jj]oven(?:cit[oa])?|"
        rf"[Ee]studiante|[Nn]i[nñ][oa])\b[^.!?\n]{{0,40}}?(?:identificad[oa]\s+como|llamad[oa]|de\s+nombre|,)\s+{_FULL_NAME}"
    ),
    re.compile(rf"{_FULL_NAME},?\s+(?:un[ao]?\s+)?(?:menor\s+de\s+edad|adolescente\s+de\s+{_MINOR_AGE}\s+a[nñ]os)\b"),
]
_NOT_A_PERSON = re.compile(
    r"\b(?:High|Middle|Elementary|School|Academy|Police|Department|Officer|Sergeant|Detective|Chief|Street|Avenue|"
    r"Road|Park|Center|County|City|Valley|Unit|Team|League|Club|Program|Division|Day|Week|Month|Award|Explorer|"
    r"Explorers|Cadet|Cadets|Boulevard|Drive|Lane|Highway|Association|Foundation|Church|College|University|"
    r"Belgian|Malinois|Shepherd|Labrador|Retriever|Terrier|Husky|Poodle|Beagle|Chihuahua|Rottweiler|Bulldog|Pit)\b"
)
_TITLES = re.compile(r"(?:officer|ofc|sergeant|sgt|detective|det|lieutenant|lt|captain|capt|chief|deputy|mayor)\.?\s*$")


@register("pii.juvenile", kinds=KINDS)
def juvenile_named(text: str, context: ScreeningContext) -> list[Finding]:
    spans = set()
    for pattern in _JUVENILE_PATTERNS:
        for m in pattern.finditer(text):
            name = m.group(1)
            if _NOT_A_PERSON.search(name) or _TITLES.search(text[max(0, m.start(1) - 12) : m.start(1)].lower()):
                continue
            spans.add((m.start(), m.end()))
    return [
        _original_span_finding(
            text, s, e,
            rule_id="pii.juvenile", severity=Severity.ACKNOWLEDGE,
            explanation="Names a juvenile. Juvenile suspects, victims and witnesses must not be identified; a "
            "missing child only with the guardian's consent.",
        )
        for s, e in sorted(spans)
    ]  # fmt: skip
