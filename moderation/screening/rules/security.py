"""385.5(e): information that could compromise the safety and security of department operations, members,
victims, suspects or the public. A post can give away how thin the night shift is, when it changes, where an
officer lives, who works undercover, when and where an operation goes in, where a victim or witness is staying,
or that a house stands empty.

Each pattern looks for the thing said about someone or somewhere ("only two officers on patrol tonight", "the
family is out of town until Sunday"), never for the words alone: police posts announce patrols, checkpoints,
events and house checks every day, and those must pass. Whether a detail really endangers anyone needs a
supervisor's judgement, so every finding asks for acknowledgement and none blocks.
"""

import re
from typing import NamedTuple

from ..base import Finding, ScreeningContext, Severity, register
from ..normalize import normalize
from ._util import finding

RULE_ID = "operations.security"
SECTION = "385.5(e)"

_APOS = r"['’]"
_NUMBER = (
    r"(?:one|two|three|four|five|six|a\s+few|a\s+handful\s+of|a\s+couple(?:\s+of)?|\d{1,2}|"
    r"un|uno|una|dos|tres|cuatro|cinco)"
)
_FORCE = (
    r"(?:(?:patrol\s+|sworn\s+)?officers?|deputies|deputy|cops?|units?|patrol\s+(?:cars?|units?)|squad\s+cars?|"
    r"oficiales|oficial|agentes|agente|polic[ií]as|patrullas|unidades)"
)
_WHEN = (
    r"(?:tonight|today|this\s+(?:weekend|week|evening|morning|afternoon|shift)|right\s+now|overnight|"
    r"on\s+(?:weekends|nights|the\s+night\s+shift|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?)|"
    r"after\s+(?:midnight|\d)|until|through|between)"
)
_RANK = (
    r"(?:officers?|ofc\.?|sgt\.?|sergeants?|detectives?|det\.?|deputy|deputies|lieutenant|lt\.?|captain|capt\.?|"
    r"corporal|cpl\.?|chief|commander|agent|trooper|dispatcher)"
)
_NAME = r"(?:[a-z][a-z'’.-]*\s+){0,2}?"
_KIN = (
    r"(?:wife|husband|spouse|partner|kids|children|child|son|sons|daughter|daughters|family|parents|mom|dad|"
    r"mother|father)"
)
_PROTECTED = (
    r"(?:victims?|witness(?:es)?|survivors?|informants?|complainants?|reporting\s+part(?:y|ies)|"
    r"la\s+v[ií]ctima|las\s+v[ií]ctimas|el\s+testigo|la\s+testigo|los\s+testigos)"
)
_PLACE = r"(?:house|home|residence|apartment|condo|place|store|shop|business|property|office)"
_AWAY = (
    r"(?:away|out\s+of\s+(?:town|state|the\s+country)|on\s+vacation|on\s+a\s+trip|gone|traveling|travelling|"
    r"in\s+the\s+hospital|at\s+the\s+funeral|at\s+work\s+all\s+day)"
)


class _Cue(NamedTuple):
    """One kind of detail: its pattern over normalized text, the reviewer's explanation, and words that, in the
    same sentence, show the match is about something else."""

    pattern: re.Pattern
    explanation: str
    unless: re.Pattern | None = None


# Staff at a counter are not patrol: "the front desk is short-staffed this week" tells no one the city is uncovered.
_COUNTER = re.compile(r"\b(?:front\s+desk|lobby|records|counter|window|phone\s+lines?|office\s+hours)\b")

_CUES: tuple[_Cue, ...] = (
    _Cue(
        re.compile(
            rf"\b(?:only|just|a\s+mere|barely|down\s+to|solo|s[oó]lo|solamente)\s+(?:have\s+|has\s+|hay\s+)?"
            rf"{_NUMBER}\s+{_FORCE}\s+"
            r"(?:on\s+(?:patrol|duty|shift|the\s+(?:road|street|streets))|working|covering|available|in\s+service|"
            r"out\s+(?:there|tonight)|tonight|this\s+weekend|for\s+the\s+(?:whole|entire)\s+(?:city|town|valley)|"
            r"de\s+(?:patrulla|turno|servicio)|en\s+(?:servicio|turno|patrulla|la\s+calle)|esta\s+noche|trabajando|"
            r"disponibles?)"
        ),
        "Gives how few officers are on duty. Staffing levels tell anyone watching when the city is thinly covered.",
    ),
    _Cue(
        re.compile(
            rf"\b(?:short[\s-]?staffed|understaffed|under[\s-]staffed|skeleton\s+crew|minimum\s+staffing)\b"
            rf"(?:\s+[\w'’]+){{0,3}}?\s+{_WHEN}"
            rf"|\b{_WHEN}[,]?\s+(?:we{_APOS}re|we\s+are|we\s+will\s+be|the\s+(?:department|station)\s+is)\s+"
            r"(?:running\s+)?(?:short[\s-]?staffed|understaffed|on\s+a\s+skeleton\s+crew|at\s+minimum\s+staffing)"
        ),
        "Says when the department is short-staffed. Staffing levels tell anyone watching when the city is thinly "
        "covered.",
        _COUNTER,
    ),
    _Cue(
        re.compile(
            rf"\b(?:no|zero|not\s+a\s+single|not\s+any)\s+{_FORCE}\s+(?:will\s+be\s+)?"
            r"(?:on\s+(?:duty|patrol|shift)|available|patrolling|working|covering)\s+"
            r"(?:between|from|after|until|before|tonight|in\s+the|on\s+the|at\s+night|overnight)"
            r"|\b(?:will\s+have|has|have)\s+no\s+(?:patrols?|patrol\s+coverage|police\s+coverage|officers|units|coverage)\b"
            r"|\b(?:won[’']?t|will\s+not|can[’']?t|cannot)\s+be\s+patrolling\b"
            r"|\b(?:station|substation|lobby)\s+(?:is|will\s+be)\s+(?:unstaffed|unmanned|unattended|empty)\b"
        ),
        "Says where or when there are no officers. That tells anyone watching when the city is uncovered.",
    ),
    _Cue(
        re.compile(
            r"\bshift\s+change\s+(?:is\s+|happens\s+|occurs\s+|takes\s+place\s+)?(?:at|around|between|from)\s+\d"
            r"|\b(?:during|at)\s+(?:the\s+|our\s+)?shift\s+changes?\b"
            r"|\b(?:night|day|swing|graveyard|overnight|morning|evening|patrol)\s+shifts?\s+"
            r"(?:starts?|begins?|ends?|changes?|runs?|goes)\s+(?:from\s+|at\s+|around\s+|until\s+)\d"
            r"|\b(?:officers|patrols?|units|deputies)\s+(?:go\s+off\s+duty|clock\s+out|change\s+shifts?|"
            r"head\s+back\s+to\s+the\s+station)\s+(?:at|around|between)\s+\d"
            r"|\bpatrol\s+(?:schedules?|rotations?|routes?|times)\s+(?:is|are|for|tonight|this)\b"
        ),
        "Gives shift or patrol times. They tell anyone watching when officers are changing over or elsewhere.",
    ),
    _Cue(
        re.compile(
            rf"\b{_RANK}\s+{_NAME}(?:lives|resides|is\s+living|rents|owns\s+a\s+house)\s+"
            r"(?:at|on|near|off|by|next\s+to|across\s+from|down\s+the\s+street|around\s+the\s+corner)\b"
            rf"|\b{_RANK}\s+{_NAME}(?:{_APOS}s?\s+|s{_APOS}\s+)?(?:home|house|residence|apartment|address)\s+"
            r"(?:is|was|sits|on|at|near|off|in\s+the)\b"
            rf"|\bhome\s+address(?:es)?\s+(?:of\s+)?(?:an?\s+|the\s+|our\s+)?{_RANK}"
            rf"|\b{_RANK}\s+{_NAME}(?:is\s+selling|sold|bought|is\s+renting\s+out)\s+(?:his|her|their)\s+"
            r"(?:home|house|condo|place)\s+(?:on|at|near|off|in\s+the)\b"
        ),
        "Says where an officer lives. Members' homes are not published: it puts them and their families at risk.",
    ),
    _Cue(
        re.compile(
            rf"\b{_RANK}\s+{_NAME}(?:{_APOS}s?\s+|s{_APOS}\s+|and\s+(?:his|her|their)\s+)?{_KIN}\s+"
            r"(?:[\w'’]+\s+){0,2}?(?:lives?\s+(?:at|on|near|off|next\s+to|across\s+from|down\s+the\s+street)|"
            r"(?:attends?|goes\s+to|go\s+to)\s+(?:[\w'’]+\s+){0,3}?(?:school|elementary|middle|high|academy|"
            r"college|daycare|preschool|university)|works?\s+at|gets?\s+out\s+of\s+school|walks?\s+home)\b"
        ),
        "Says where an officer's family lives, studies or works. Members' families are not published.",
    ),
    _Cue(
        re.compile(
            r"\b(?:undercover|plain[\s-]?clothes?|plainclothes|covert)\s+(?:officers?|detectives?|deputies|agents?|"
            r"cops?|units?|teams?|cars?|vehicles?)\s+(?:will\s+be|are|is|were\s+seen)\s+(?:out\s+|also\s+|now\s+)?"
            r"(?:at|in|on|working|patrolling|posted|stationed|driving|inside|around|watching|among|blending|"
            r"dressed|wearing|riding)\b"
            r"|\b(?:undercover|plain[\s-]?clothes?|plainclothes|covert|narcotics|vice)\s+(?:officers?|detectives?|"
            rf"deputies|agents?|cops?)\s+{_NAME}(?:\(|named|identified\s+as|pictured|shown|seen\s+here|on\s+the\s+(?:left|right)|"
            r"in\s+(?:the|this)\s+(?:photo|picture|video|image)|(?:is|are|was)\s+(?:officer|detective|deputy|sgt|sergeant))"
            r"|\b(?:pictured|shown|seen)\s+(?:here\s+)?(?:above\s+|below\s+)?(?:is\s+|are\s+)?(?:our\s+|an?\s+|the\s+)?"
            r"(?:undercover|plain[\s-]?clothes|plainclothes|covert)\b"
            r"|\b(?:the|our)\s+unmarked\s+(?:cars?|vehicles?|units?|trucks?|vans?|suvs?)\s+(?:is|are|will\s+be)\s+"
            r"(?:an?\s+|the\s+)?(?:gray|grey|black|white|silver|blue|red|dark|tan|parked|at|on|ford|chevy|dodge|toyota)"
        ),
        "Identifies undercover or plain-clothes officers or their vehicles, or says where they will be.",
    ),
    _Cue(
        re.compile(
            rf"\b(?:swat|tactical\s+team|entry\s+team|task\s+force|officers|deputies|units|detectives|we)\s+"
            rf"(?:will|are\s+going\s+to|plan\s+to|{_APOS}ll)\s+(?:be\s+)?(?:stage|staging|staged|meet\s+up|rally)\s+"
            r"(?:at|in|behind|near|on)\b"
            r"|\bstaging\s+(?:area|point|location)\s+for\s+(?:the\s+)?(?:raid|operation|warrant|swat|sweep|entry)"
            r"|\b(?:we|officers|detectives|deputies|swat|agents|the\s+(?:team|task\s+force|entry\s+team))\s+"
            rf"(?:will|are\s+going\s+to|plan\s+to|{_APOS}ll|intend\s+to)\s+(?:be\s+)?(?:raid(?:ing)?|hit(?:ting)?|"
            r"sweep(?:ing)?|serv(?:e|ing)\s+(?:a\s+|the\s+|several\s+|\d+\s+)?(?:search\s+|arrest\s+)?warrants?|"
            r"execut(?:e|ing)\s+(?:a\s+|the\s+)?(?:search\s+)?warrants?|mov(?:e|ing)\s+in|go(?:ing)?\s+in|"
            r"breach(?:ing)?|mak(?:e|ing)\s+entry|conduct(?:ing)?\s+(?:a\s+)?(?:raid|sweep|sting))\b"
            r"|\b(?:raid|sweep|sting|bust|takedown|crackdown|search\s+warrants?|warrant\s+(?:service|sweep))\s+"
            r"(?:is|are|will|will\s+be|is\s+planned|planned|scheduled|set|happening|begins?|starts?|goes\s+down|"
            r"kicks\s+off)\s+(?:[\w'’]+\s+){0,3}?(?:tonight|tomorrow|at\s+\d|on\s+(?:mon|tue|wed|thu|fri|sat|sun)|"
            r"this\s+(?:morning|afternoon|evening|weekend|week))"
            r"|\bwarrants?\s+(?:will|is\s+going\s+to|are\s+going\s+to)\s+be\s+(?:served|executed)\s+"
            r"(?:at|on|tonight|tomorrow|this|early)"
            r"|\b(?:snipers?|marksmen|spotters?)\s+(?:will\s+be\s+|are\s+)?(?:positioned|posted|stationed|placed|on)\b"
            r"|\b(?:positioned|posted|stationed|hiding)\s+on\s+(?:the\s+)?(?:roofs?|rooftops?)\b"
        ),
        "Gives away a tactical plan: when or where an operation goes in, where officers stage or are posted.",
    ),
    _Cue(
        re.compile(
            rf"\b{_PROTECTED}(?:{_APOS}s?)?\s+(?:[\w'’]+\s+){{0,3}}?"
            r"(?:is|are|was|were|has\s+been|have\s+been|will\s+be)\s+(?:now\s+|currently\s+|temporarily\s+|safely\s+)?"
            r"(?:staying|living|hiding|sheltering|sheltered|relocated|housed|being\s+(?:kept|held|housed|sheltered|"
            r"protected|hidden)|in\s+protective\s+custody|moving)\s+(?:at|with|in|on|to|near|across|behind)\b"
            rf"|\b{_PROTECTED}[,]?\s+(?:[\w'’.]+[,]?\s+){{0,4}}?lives?\s+(?:directly\s+|right\s+)?"
            r"(?:at|on|near|off|next\s+to|across\s+from|down\s+the\s+street|around\s+the\s+corner|with)\b"
            rf"|\b{_PROTECTED}(?:{_APOS}s?)\s+(?:home\s+address|address|whereabouts|current\s+location|hotel|motel|"
            r"room\s+number|hiding\s+place)\s+(?:is|was|:)(?!\s+(?:being\s+)?(?:withheld|kept\s+confidential|"
            r"confidential|not\s+(?:being\s+)?(?:released|disclosed|shared)|unknown))"
            r"|\bsafe\s+houses?\b"
            r"|\b(?:the|our|a)\s+(?:confidential\s+)?informants?\s+(?:who|is|was|named|lives|told|tipped|\()"
            r"|\b(?:la\s+v[ií]ctima|el\s+testigo|la\s+testigo|los\s+testigos)\s+(?:se\s+est[aá]\s+quedando|"
            r"est[aá]\s+escondid[oa]|vive|se\s+aloja|se\s+queda)\s+(?:en|con|cerca)\b"
        ),
        "Says where a victim, witness or informant is staying, or who they are. That can lead someone to them.",
    ),
    _Cue(
        re.compile(
            rf"\b(?:the|their|his|her|its|that|this)\s+(?:[\w'’]+\s+)?{_PLACE}\s+(?:is|will\s+be|remains|sits|stays|"
            r"is\s+going\s+to\s+be|is\s+left)\s+(?:now\s+|currently\s+|still\s+|completely\s+|totally\s+)?"
            r"(?:empty|vacant|unoccupied|unattended|unlocked|unguarded|abandoned|open\s+and\s+empty)\b"
            r"|\b(?:nobody|no\s+one|no-one)\s+(?:is|will\s+be)\s+(?:home|at\s+home|inside|living\s+there|"
            r"staying\s+there|in\s+the\s+(?:house|home|apartment))\b"
            rf"|\b(?:the|their|his|her)\s+(?:owners?|family|residents?|homeowners?|tenants?|occupants?|couple|"
            rf"neighbors?|parents)\s+(?:is|are|will\s+be)\s+(?:still\s+)?{_AWAY}"
            rf"|\b(?:while|since|because)\s+(?:they{_APOS}re|they\s+are|he{_APOS}s|she{_APOS}s|he\s+is|she\s+is|"
            rf"the\s+(?:family|owners?|residents?|homeowners?)\s+(?:is|are))\s+{_AWAY}"
            r"|\b(?:the|their|his|her|its)\s+(?:alarm|alarm\s+system|security\s+system|security\s+cameras?|cameras?)\s+"
            r"(?:is|are|has\s+been|have\s+been|will\s+be)\s+(?:off|disabled|down|broken|not\s+working|offline|"
            r"turned\s+off|unplugged)\b"
            r"|\bla\s+casa\s+(?:est[aá]|estar[aá]|queda|se\s+queda)\s+(?:vac[ií]a|sola|desocupada|abierta)\b"
            r"|\b(?:la\s+familia|los\s+due[nñ]os|los\s+residentes)\s+(?:est[aá]n?|estar[aá]n?)\s+"
            r"(?:fuera|de\s+viaje|de\s+vacaciones)\b"
        ),
        "Says that a home or business stands empty, unlocked or unwatched. That invites a burglary.",
    ),
)
# Advice to the public about their own homes ("when residents are away, ...") describes no one's house.
_ADVICE = re.compile(r"\b(?:when|whenever|if|before|while\s+you|cuando|si)\s+(?:[\w'’]+\s+){0,2}$")

_SENTENCE_END = ".!?\n"


def _sentences(text: str, start: int, end: int) -> str:
    """The sentence around [start, end) and the one before it."""
    stops = [i for i, c in enumerate(text[:start]) if c in _SENTENCE_END]
    left = stops[-2] + 1 if len(stops) >= 2 else 0
    rights = [i for i in (text.find(c, end) for c in _SENTENCE_END) if i != -1]
    return text[left : min(rights) if rights else len(text)]


@register(RULE_ID, kinds=("post",))
def operational_security(text: str, context: ScreeningContext) -> list[Finding]:
    """385.5(e): staffing, shift times, officers' homes and families, undercover identities, tactical plans,
    where a victim or witness is, and empty homes."""
    norm = normalize(text)
    found: dict[tuple[int, int], Finding] = {}
    for cue in _CUES:
        for m in cue.pattern.finditer(norm.text):
            if _ADVICE.search(norm.text[max(0, m.start() - 40) : m.start()]):
                continue
            if cue.unless and cue.unless.search(_sentences(norm.text, m.start(), m.end())):
                continue
            found.setdefault(
                m.span(),
                finding(
                    norm, *m.span(),
                    rule_id=RULE_ID, section=SECTION, severity=Severity.ACKNOWLEDGE,
                    explanation=cue.explanation + " A supervisor decides whether it may be posted.",
                ),
            )  # fmt: skip
    return [found[span] for span in sorted(found)]
