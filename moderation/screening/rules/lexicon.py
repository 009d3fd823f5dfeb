"""Word lists shared by the post and comment rules, written as regular expressions over normalized text
(lowercase, accents and look-alike letters folded). Common disguises are part of each pattern: "f*ck",
"sh!t", "a$$". Every entry has a word boundary, so "Scunthorpe", "cocktail" and "Dickens" pass.
"""

import re

# Obscenities and profanity.
PROFANITY = (
    r"f+[u*@#v]+c*k+(?:ing|in|ed|er|ers|s|off|face|wit|tard)?|f[*#@]+k(?:ing|in|ed|er|s)?|f[*#@]{3}|fck(?:ing|in|ed|er|s)?|"
    r"fuk(?:ing|in|ed|er|s)?|phuck\w*|motherf\w*|mf(?:er|ers)|wtf|stfu|gtfo|"
    r"sh[i1!*]+t(?:s|ty|ter|head|heads|hole|holes|show|bag|bags)?|bullsh[i1!*]t|horsesh[i1!*]t|"
    r"b[i1!*]tch(?:es|y|ing)?|sonofab[i1!*]tch|a[s$]{2}(?:hole|holes|hat|wipe)|a[s$]{2}|dumba[s$]{2}|jacka[s$]{2}|"
    r"bastards?|c[u*]nts?|d[i1!]ck(?:head|heads|s)?|cock(?:sucker|suckers|s)?|puss(?:y|ies)|"
    r"wh[o0]re(?:s)?|sluts?|piss(?:ed|ing)?|twat(?:s)?|wank(?:er|ers)?|prick(?:s)?|douche(?:bag|bags)?|"
    r"goddamn(?:ed|it)?|damn(?:ed|it)?|crap(?:py)?"
)

# Slurs and demeaning names for groups of people (kept short: the common ones and their disguises).
SLURS = (
    r"n[i1!]gg(?:er|a|az|ers|as)|sp[i1!]c(?:s)?|wetbacks?|beaners?|ch[i1!]nks?|g[o0]{2}ks?|k[i1!]kes?|"
    r"f[a@]gg?(?:ot|ots|s)?|dykes?|trann(?:y|ies)|retard(?:s|ed)?|towelheads?|raghead(?:s)?|"
    r"illegals|illegal\s+aliens|savages|subhumans?|vermin|mongrels?"
)

# Sexually explicit content.
SEXUAL = (
    r"porn\w*|xxx|nudes?|naked\s+pics?|sex\s+(?:tape|video|pics?)|blow\s?jobs?|hand\s?jobs?|orgasm\w*|"
    r"horny|dildos?|cum(?:shot|ming)?|boobs|tits|titties|erotic\w*|onlyfans|hookups?|escort\s+service\w*"
)

# Inflammatory: dehumanizing, incitement, hatred of a group or of the police.
INFLAMMATORY = (
    r"a\s?c\s?a\s?b|1312|all\s+cops\s+are\s+(?:bastards|pigs|b[a-z]*)|(?:f[u*]ck|fck|eff)\s+(?:the\s+)?(?:police|cops|pigs|12)|"
    r"oink(?:\s+oink)?|(?:you|u|ya|those|these|the)\s+pigs(?!\s+(?:in\s+a\s+blanket|roast))|(?:dirty|filthy|racist|corrupt|fascist|murdering)\s+pigs|pigs\s+(?:in\s+blue|with\s+badges)|"
    r"(?:the\s+)?pigs\s+(?:are|did|killed|shot|beat|should)|"
    r"gestapo|jack\s?boot(?:ed|s)?|storm\s?troopers?|kkk|nazis?|"
    r"(?:police|cops|officers)\s+are\s+(?:all\s+)?(?:murderers|killers|terrorists|racists?|fascists?|thugs|criminals|gangsters)|"
    r"(?:start|starting)\s+a\s+riot|riot\s+(?:now|tonight|in\s+the\s+streets)|let'?s\s+riot|"
    r"burn\s+(?:it\s+all|this\s+(?:city|town|place)|the\s+(?:city|station))\s+down|race\s+war|"
    r"go\s+back\s+to\s+(?:your|where\s+(?:you|they))\s+(?:country|came\s+from)|"
    r"(?:deport|send)\s+(?:them|all\s+of\s+them|these\s+people)\s+back|"
    r"(?:these|those)\s+(?:people|animals|savages|thugs|illegals|scum|degenerates|lowlifes|parasites)\s+"
    r"(?:should|need|deserve|are|always|never|ruin|ruined|destroy|destroyed|belong)|"
    r"(?:scum|lowlifes?|degenerates?|dirtbags?|parasites?|thugs)\b(?:\s+(?:like\s+(?:this|that|him|her)|of\s+the\s+earth))?"
)


def compile_words(*patterns: str) -> re.Pattern:
    return re.compile(r"(?<![\w$@*!])(?:" + "|".join(patterns) + r")(?![\w$@*!])")


# Spanish obscenities and profanity (Mexican and Californian usage), with their common disguises. Words that are
# also innocent ("huevos", "concha", "coger el autobús") are left to the models, which read the context.
PROFANITY_ES = (
    r"put[ao]s?|putazos?|hij[oa]s?\s+de\s+(?:su\s+)?(?:puta|perra|la\s+chingada)|hdp|ptm|"
    r"pinch(?:e|es)|chinga(?:r|da|do|dera|deras|o|s)?|chingues|chingaderas?|ching[oó]n(?:a|es)?|"
    r"pendej(?:o|a|os|as|ada|adas)|cabr[oó]n(?:a|es|azo)?|verga(?:s|zo|zos)?|culer(?:o|a|os|as)|"
    r"mierda(?:s)?|no\s+mames|qu[eé]\s+poca\s+madre|mam[oó]n(?:a|es)?|ojete|culo|pija|co[nñ]o|joder|jodid[oa]s?|"
    r"cag(?:ar|ada|adas|ó|o|aste)|me\s+caga|mamad(?:a|as)"
)

# Spanish slurs and demeaning names for groups of people.
SLURS_ES = (
    r"mojados?|maric[oó]n(?:es)?|jot(?:o|os)|put[oa]s?\s+del\s+orto|sudacas?|indios?\s+pat[ae]\s+rajada|"
    r"naco(?:s)?\s+de\s+mierda"
)

# Spanish contempt for the police as a group, and incitement.
INFLAMMATORY_ES = (
    r"cerdos?\s+(?:de\s+)?(?:policías?|polis|azules)|(?:pinches|malditos|putos)\s+(?:polis|policías|cerdos|puercos|tiras|"
    r"placas|mojados|inmigrantes|gringos|negros|chinos|jotos)|"
    r"(?:que\s+se\s+regresen|regr[eé]sense)\s+a\s+su\s+pa[ií]s|"
    r"(?:esos|estos)\s+(?:animales|salvajes|ilegales|mojados|parásitos|parasitos)\s+(?:deberían|no\s+merecen|son|siempre)"
)
