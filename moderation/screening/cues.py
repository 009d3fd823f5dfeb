"""Kinds of words the models can generalise from, in English and Spanish.

A veiled threat rarely repeats the words of another: "your daughter still does cheer at Indio High, Lt?" and
"tell your son we said hi, sergeant" share almost no n-grams, but both put a family member next to an officer
addressed directly. The models see, besides the words, which kinds of words a text holds (a harm, a family
member, a place, a time, a menace, an official, "you") and every pair of kinds that occur together, so what they
learn from one example carries over to others written in other words.
"""

import re
from itertools import combinations

_CUES = {
    "harm": r"kill\w*|shoot\w*|shot|stab\w*|murder\w*|hurt\w*|beat\w*|burn\w*|torch\w*|bomb\w*|blow\w*\s+up|bullets?|"
    r"guns?|"
    r"knife|knives|smoke\w*|pop\w*\s+(?:him|her|you|u|them|a\s+cap)|clap\w*|bury\w*|hang\w*|lynch\w*|"
    r"run\w*\s+(?:over|down)|"
    r"swat\w*|ditch|bleed\w*|dead|die|dies|choke\w*|strangle\w*|punch\w*|jump\w*|rifle|ammo|glock|9mm|bloodbath|"
    r"mat(?:ar|o|e|en|amos|aron|arte|arlos?)|balac\w*|bala\w*|plomo|quem\w*|cuchill\w*|navaja|pistola|cuerno|piso|"
    r"levant\w*|desaparec\w*|golpe\w*|madre[aá]\w*|putiza|sangr\w*|muert[oea]s?|mueran?|colg\w*|fierro",
    "family": r"daughters?|sons?|kids?|children|child|wife|husband|family|mom|mother|baby|little\s+(?:girl|boy|one)|"
    r"grandkids?|hij[oa]s?|niñ[oa]s?|nin[oa]s?|esposa|esposo|familia|mam[aá]|nietos?|chamac[oa]s?|bebe|bebé",
    "place": r"where\s+(?:you|he|she|they)\s+(?:live|lives|sleep|park)|"
    r"your\s+(?:house|home|place|car|truck|street|door)|"
    r"lives?\s+(?:on|at|off|by)|bus\s+stop|school|park(?:ing)?|lot|driveway|address|porch|garage|"
    r"casa|d[oó]nde\s+vives|escuela|parada|cuadra|calle|domicilio|cochera",
    "time": r"after\s+(?:your|ur)\s+shift|tonight|one\s+night|one\s+day|soon|eventually|when\s+you\s+least|"
    r"every\s+morning|this\s+weekend|next\s+time|esta\s+noche|pronto|un\s+d[ií]a\s+de\s+estos|cuando\s+menos|al\s+salir|ma[nñ]ana",
    "menace": r"just\s+saying|not\s+a\s+threat|watch\s+(?:your|ur)\s+back|be\s+a\s+shame|"
    r"would\s+be\s+(?:awful|sad|terrible)|careful|won'?t\s+see\s+it\s+coming|know\s+what\s+happens|you'?ll\s+see|remember\s+that|we\s+know|i\s+know|"
    r"said\s+hi|say\s+hi|pay\s+for\s+this|learn\s+the\s+hard\s+way|got\s+people|find\s+out|count\s+your|"
    r"nom[aá]s\s+digo|ya\s+ver[aá]s|cu[ií]date|cuidado|ya\s+sabemos|ya\s+s[eé]|te\s+va\s+a\s+pesar|vas\s+a\s+ver|"
    r"nos\s+vemos|te\s+estamos\s+esperando",
    "intent": r"gonna|going\s+to|will|i'?ll|we'?ll|imma|ima|should|needs?\s+to|deserves?|hope|wish|someone|somebody|"
    r"voy\s+a|vamos\s+a|van\s+a|ojal[aá]|merece\w*|alguien|hay\s+que|deber[ií]an",
    "official": r"officers?|ofc|cops?|pigs?|sgt|sarge|sergeant|lt|lieutenant|chief|mayor|judge|dispatcher|council\w*|"
    r"deputy|detective|badge|station|oficial(?:es)?|polic[ií]as?|polis?|jefe|alcalde\w*|cerdos?|puercos?|placas|tiras|"
    r"patrulla",
    "you": r"you|your|u|ur|ya|y'?all|tu|te|ti|usted|ustedes|contigo",
    "group": r"immigrants?|illegals?|mexicans?|blacks?|muslims?|jews?|gays?|trans|homeless|women|females|"
    r"arabs?|asians?|"
    r"liberals?|democrats?|republicans?|maga|cops\s+(?:are|as)|inmigrantes|mojados|ilegales|negros|jud[ií]os|jotos|"
    r"indigentes|vagabundos|mujeres|chinos|gringos|chilangos",
    "insult": r"idiots?|morons?|stupid|clowns?|losers?|pathetic|useless|joke|dumb\w*|incompetent|disgrace|"
    r"trash|garbage|"
    r"scum\w*|pendej\w*|payas[oa]s?|in[uú]til\w*|idiotas?|est[uú]pid[oa]s?|basura|babos[oa]s?|burr[oa]s?",
    "guilt": r"did\s+it|guilty|innocent|convict\w*|behind\s+bars|justice|prison|jail|rot|slam\s+dunk|case\s+closed|"
    r"confess\w*|culpables?|inocentes?|condena\w*|lo\s+hizo|c[aá]rcel|prisi[oó]n|justicia",
    "allegedly": r"suspicion|alleged\w*|presumed|charged\s+with|pending|sospecha|presunt\w*|se\s+presume",
    "politics": r"vot\w*|elect\w*|campaign\w*|ballot|measure|candidate\w*|recall|donat\w*|endors\w*|pac|seat|"
    r"re-?elect|lobby\w*|bill|legislat\w*|campa[nñ]a|candidat[oa]s?|medida|elecci[oó]n\w*|urnas?|boleta|don(?:e|en|ar)",
    "selling": r"code|%\s*off|discount|order\w*|dm|book\w*|hire|shop|sale|promo|deal|descuento|c[oó]digo|pedidos|venta|"
    r"oferta|compr\w*",
}
_PATTERNS = {name: re.compile(rf"(?<![\w']){pattern}(?![\w'])") for name, pattern in _CUES.items()}


def cue_tokens(prepared: str) -> str:
    """The cue tokens for a prepared text (textprep.prepare): one per kind present, one per pair present."""
    present = sorted(name for name, pattern in _PATTERNS.items() if pattern.search(prepared))
    tokens = [f"zzcue{name}" for name in present]
    tokens += [f"zzcue{a}x{b}" for a, b in combinations(present, 2)]
    return " ".join(tokens)


def describe(token: str) -> str:
    """A cue token in a supervisor's words: "zzcuefamilyxyou" → "a family member and “you” together"."""
    words = {
        "harm": "a harm", "family": "a family member", "place": "a place", "time": "a time", "menace": "a menace",
        "intent": "an intention", "official": "an official", "you": "“you”", "group": "a group of people",
        "insult": "an insult", "guilt": "guilt", "allegedly": "presumption", "politics": "politics",
        "selling": "selling",
    }  # fmt: skip
    name = token.removeprefix("zzcue")
    parts = name.split("x") if "x" in name and all(p in words for p in name.split("x")) else [name]
    named = [words.get(p, p) for p in parts]
    return named[0] if len(named) == 1 else f"{named[0]} and {named[1]} together"
