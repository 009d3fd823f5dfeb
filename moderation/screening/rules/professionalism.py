"""385.5(d): information that could damage the mission, function, reputation or professionalism of the
department or its members. On an official account that is mostly tone: mocking the public or a suspect, jokes
at an arrestee's expense, internet slang and language unbecoming an official voice, and running down other
agencies or the courts.

Profanity, slurs and abuse block on their own (conduct.abusive, 385.5(a)); what this rule looks for is milder
and needs judgement ("nice try" can be sincere, a sheriff can be thanked), so each finding asks a supervisor to
acknowledge it. Patterns name a person or an agency as the target, so "clowns and face painting at National
Night Out" and "thank you to the Sheriff's Department" pass.
"""

import re

from ..base import Finding, ScreeningContext, Severity, register
from ..normalize import normalize
from ._util import finding

RULE_ID = "conduct.unprofessional"
SECTION = "385.5(d)"

_APOS = r"['’]"
_PEOPLE = (
    r"(?:criminals?|crooks?|thie(?:f|ves)|burglars?|robbers?|suspects?|arrestees?|drivers?|motorists?|people|"
    r"person|guys?|gals?|man|woman|men|women|folks|residents?|citizens?|offenders?|kids|teens?|teenagers?|"
    r"shoplifters?|vandals?|taggers?|jaywalkers?|speeders?|partiers|callers?|neighbors?)"
)
_AGENCY = (
    r"(?:judges?|courts?|court\s+system|justice\s+system|the\s+system|da|d\.a\.|"
    rf"district\s+attorney(?:{_APOS}s\s+office)?|prosecutors?|prosecution|public\s+defenders?|probation|"
    rf"parole(?:\s+board)?|sheriff(?:{_APOS}s)?(?:\s+(?:department|office|deputies))?|deputies|chp|highway\s+patrol|"
    r"fbi|feds|legislature|lawmakers|legislators|sacramento|[a-z]+\s+(?:pd|police(?:\s+department)?))"
)

_CUES: tuple[tuple[re.Pattern, str], ...] = (
    (
        re.compile(
            r"(?<![\w#@])(?:lol+|lmf?ao+|rofl(?:mao)?|smh|smdh|smfh|bruh+|yikes|oof|ffs|jfc|omfg|fml|"
            r"(?:ha){2,}h?|(?:he){3,}|facepalm|derp|epic\s+fail|#fail|fail\s+of\s+the\s+(?:day|week))(?![\w])"
            r"|[🤡🙄🤦🖕]"
        ),
        "Internet slang or a mocking emoji: not the voice of an official account.",
    ),
    (
        re.compile(
            r"\b(?:idiots?|morons?|imbeciles?|numbskulls?|nitwits?|dimwits?|halfwits?|knuckleheads?|bozos?|"
            r"dummies|buffoons?|nincompoops?|dingbats?|meatheads?|bone\s*heads?)\b"
            rf"|\b(?:dumb|dumbest|stupid|stupidest|idiotic|moronic|brainless|clueless)\s+(?:[\w'’]+\s+)?{_PEOPLE}\b"
            r"|\bworld[’']?s\s+(?:dumbest|stupidest|worst)\b"
            r"|\b(?:this|these|those|another|what\s+an?|some|a\s+real|a\s+true|a\s+couple\s+of)\s+(?:[\w'’]+\s+)?"
            r"(?:genius(?:es)?|masterminds?|rocket\s+scientists?|einsteins?|brainiacs?|clowns?|knuckleheads?|"
            r"dummies|bozos?)\b"
            r"|\bcriminal\s+masterminds?\b"
            r"|\bnot\s+(?:exactly\s+|quite\s+)?(?:the\s+)?(?:sharpest\s+(?:tool|knife|crayon|pencil)|"
            r"brightest\s+(?:bulb|crayon|star)|a\s+rocket\s+scientist)"
            r"|\bdarwin\s+awards?\b|\bhold\s+my\s+beer\b|\byou\s+can[’']?t\s+fix\s+stupid\b"
            r"|\bplay(?:ed|s)?\s+stupid\s+games\b|\b(?:win|won)\s+stupid\s+prizes\b"
            r"|\bf(?:ool|\*+|uck)?\s*around\s+and\s+find\s+out\b|\bfafo\b"
            r"|\bbless\s+(?:his|her|their)\s+(?:little\s+)?hearts?\b"
            r"|\b(?:you|we)\s+(?:can[’']?t|cannot|couldn[’']?t)\s+make\s+this\s+(?:stuff\s+)?up\b"
            r"|\bhad\s+the\s+(?:bright|brilliant|genius)\s+idea\b"
        ),
        "Mocks or insults the public or a suspect. The department speaks about people with respect, whatever they did.",
    ),
    (
        re.compile(
            r"\bnice\s+try\b|\bgood\s+luck\s+with\s+that\b|\bsucks\s+to\s+be\s+(?:him|her|them|you)\b"
            r"|\b(?:buh[\s-]?)?bye[\s,]+felicia\b|\bbye[\s-]bye,?\s+(?:now|buddy|pal)\b|\bspoiler\s+alert\b"
            r"|\benjoy\s+(?:your|his|her|their)\s+(?:stay|time|vacation|weekend|visit)\s+(?:in|at|behind)\s+"
            r"(?:the\s+)?(?:county\s+)?(?:jail|prison|custody|bars|lock-?up|gray\s*bar|grey\s*bar)"
            r"|\b(?:his|her|their|your)\s+new\s+(?:digs|accommodations|bracelets|jewelry|roommates?)\b"
            r"|\borange\s+(?:jump\s*suits?|is\s+the\s+new\s+black)\b|\b(?:three|3)\s+hots\s+and\s+a\s+cot\b"
            r"|\bfree\s+(?:ride|trip)\s+to\s+(?:jail|county)\b|\b(?:crowbar|gr[ae]y\s*bar)\s+hotel\b"
            r"|\b(?:his|her|their)\s+(?:poor\s+|bad\s+|questionable\s+)?life\s+choices\b"
            r"|\b(?:plenty|lots)\s+of\s+time\s+to\s+think\b"
            r"|\bwent\s+(?:about\s+)?as\s+well\s+as\s+you[’']?d\s+expect\b"
        ),
        "Jokes at a suspect's or arrestee's expense. Say what happened; leave the punishment to the court.",
    ),
    (
        re.compile(
            r"\b(?:seriously|really|come\s+on),?\s+people\b"
            r"|\b(?:apparently|clearly|evidently|obviously)\s+(?:some\s+|many\s+|a\s+lot\s+of\s+)?"
            r"(?:people|drivers|folks|residents|motorists)\s+(?:still\s+)?(?:can[’']?t|cannot|don[’']?t|didn[’']?t|"
            r"never|think)\b"
            r"|\b(?:some|these|those)\s+people\s+(?:just\s+)?(?:never\s+learn|can[’']?t\s+(?:drive|read|follow)|"
            r"don[’']?t\s+(?:get\s+it|listen|learn))"
            r"|\bfreak(?:in[’']?|ing)\b|\bfrig+(?:in[’']?|ing)\b|\bfrick(?:in[’']?|ing)\b|\beffing\b"
            r"|\b(?:this|that|it)\s+sucks\b|\bscrew\s+(?:him|her|them|you|that|this)\b"
            r"|\bwhat\s+the\s+(?:heck|hell)\b|\bhell\s+(?:no|yeah|yes)\b"
        ),
        "Talks down to the public or uses language unbecoming an official account.",
    ),
    (
        re.compile(
            r"\b(?:useless|incompetent|clueless|lazy|worthless|spineless|pathetic|corrupt|activist|"
            r"soft[\s-]on[\s-]crime)\s+(?:judges?|courts?|da|district\s+attorneys?|prosecutors?|public\s+defenders?|"
            r"probation|parole|sheriffs?|deputies|agenc(?:y|ies)|departments?|legislators|lawmakers|system|"
            r"justice\s+system)\b"
            r"|\brevolving[\s-]door\s+(?:justice|courts?|system|of\s+justice)\b"
            r"|\bcatch[\s-]and[\s-]release(?!\s+(?:fish|derby|only|pond|lake|program\s+for\s+fish))\b"
            r"|\bslap\s+on\s+the\s+wrist\b|\bsoft\s+on\s+crime\b|\bhug[\s-]a[\s-]thug\b"
            rf"|\b(?:the\s+)?{_AGENCY}\s+(?:[\w'’]+\s+){{0,2}}?(?:let|lets|released|releases|freed|frees|turned|cut|put)\s+"
            r"(?:him|her|them|this\s+guy|these\s+guys|the\s+suspects?|this\s+suspect)\s+(?:[\w'’]+\s+){0,2}?"
            r"(?:again|loose|right\s+back|back\s+on\s+the\s+streets?|within\s+hours|the\s+same\s+day)\b"
            rf"|\b(?:the\s+)?{_AGENCY}\s+(?:(?:is|are)\s+(?:a\s+(?:joke|disgrace|circus|mess)|useless|worthless|"
            r"clueless|incompetent|pathetic|asleep)|(?:dropped|drops)\s+the\s+ball|(?:doesn[’']?t|don[’']?t|does\s+not|"
            r"do\s+not|never)\s+(?:care|bother|do\s+(?:their|its|his|her)\s+jobs?)|(?:won[’']?t|refuses?\s+to|"
            r"can[’']?t\s+be\s+bothered\s+to)\s+(?:do\s+(?:their|its|his|her)\s+jobs?|prosecute|lift\s+a\s+finger|help)|"
            r"(?:couldn[’']?t|could\s+not|can[’']?t|failed\s+to|didn[’']?t\s+bother\s+to)\s+(?:catch|find|solve|"
            r"handle|be\s+bothered))"
            r"|\bunlike\s+(?:the\s+|some\s+|other\s+|our\s+(?:friends|neighbors)\s+(?:at|in)\s+(?:the\s+)?)?"
            r"(?:[a-z]+\s+){0,2}?(?:pd|police(?:\s+departments?)?|sheriff[’']?s?(?:\s+(?:department|office))?|"
            r"deputies|chp|highway\s+patrol|agencies|departments)\b"
            r"|\bthanks?\s+(?:you\s+)?(?:a\s+lot|for\s+nothing)\b"
        ),
        "Runs down another agency, the courts or the justice system. The department works with them in public "
        "and raises disagreements through its own channels.",
    ),
)


@register(RULE_ID, kinds=("post",))
def unprofessional_conduct(text: str, context: ScreeningContext) -> list[Finding]:
    """385.5(d): mockery of the public or suspects, slang and language unbecoming an official account, and
    disparaging other agencies or the courts."""
    norm = normalize(text)
    found: dict[tuple[int, int], Finding] = {}
    for pattern, explanation in _CUES:
        for m in pattern.finditer(norm.text):
            found.setdefault(
                m.span(),
                finding(
                    norm, *m.span(),
                    rule_id=RULE_ID, section=SECTION, severity=Severity.ACKNOWLEDGE,
                    explanation=explanation,
                ),
            )  # fmt: skip
    return [found[span] for span in sorted(found)]
