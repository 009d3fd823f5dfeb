"""The protected-class filter for background vetting (385.5.4(d)).

A searcher records what a candidate has posted in public; before any of it reaches a decision maker, this filter
marks every passage that reveals, or may reveal, a characteristic the department must not weigh in hiring: race,
color, religion, national origin, sex, pregnancy, sexual orientation, gender identity, age, disability, genetic
information, marital status, military or veteran status, and political affiliation or activity. A designated
searcher then redacts the passage, excludes the finding, or says it is not protected information.

The filter reads English and Spanish. Matching ignores accents and case ("catolica" is "católica"), and every
flag points at the passage in the text as written. It leans towards flagging: a passage missed here goes in
front of the people making the hiring decision, while a passage flagged in error costs a searcher one decision.
Bare words with an everyday meaning ("white", "mass", "march", "party", "partido") count only in the company of
words that give them their protected meaning.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CATEGORIES: dict[str, str] = {
    "race": "Race",
    "color": "Color",
    "religion": "Religion or creed",
    "national_origin": "National origin or ancestry",
    "sex": "Sex",
    "pregnancy": "Pregnancy, childbirth or breastfeeding",
    "sexual_orientation": "Sexual orientation",
    "gender_identity": "Gender identity or expression",
    "age": "Age",
    "disability": "Disability or medical condition",
    "genetic_information": "Genetic information",
    "marital_status": "Marital status",
    "military_status": "Military or veteran status",
    "political": "Political affiliation or activity",
}


@dataclass(frozen=True)
class Flag:
    """One passage of a text that reveals a protected characteristic; start and end index the text as written."""

    category: str
    label: str
    start: int
    end: int
    excerpt: str


# --- Reading the text ----------------------------------------------------------------------------------------

_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "\u0060": "'", "\u201b": "'"}
_QUOTES = {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"'}
_DASHES = {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"}


def _fold(text: str) -> tuple[str, str, list[int]]:
    """The text without accents, lowercased and as cased, with the index in the original of every character."""
    cased: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        char = _APOSTROPHES.get(char) or _QUOTES.get(char) or _DASHES.get(char) or char
        for part in unicodedata.normalize("NFKD", char):
            if unicodedata.combining(part):
                continue
            cased.append(part)
            positions.append(index)
    lowered = [c.lower() if len(c.lower()) == 1 else c for c in cased]
    return "".join(lowered), "".join(cased), positions


def _plain(term: str) -> str:
    """A lexicon entry folded the way the text is."""
    folded = unicodedata.normalize("NFKD", term)
    return "".join(c for c in folded if not unicodedata.combining(c)).lower()


# --- Building the lexicons -------------------------------------------------------------------------------------

_GAP = r"[\s\-]+"


def _phrase(term: str) -> str:
    """Escape a phrase, letting any run of spaces or hyphens match a space or a hyphen."""
    words = re.split(r"[\s\-]+", _plain(term).strip())
    return _GAP.join(re.escape(w) for w in words)


def _en(term: str) -> str:
    """An English word or phrase with its plural and possessive on the last word."""
    body = _phrase(term)
    if body.endswith("y") and len(body) > 2 and body[-2] not in "aeiou":
        return body[:-1] + r"(?:y|ies|y's)"
    if body[-1].isalpha():
        return body + r"(?:s|es|'s|s')?"
    return body


def _es(term: str) -> str:
    """A Spanish word or phrase with the gender and number inflections of its last word."""
    body = _phrase(term)
    last = body[-1]
    word = body.rsplit("+", 1)[-1]
    if last == "o" and len(word) >= 4 or last == "a" and len(word) >= 5:
        return body[:-1] + r"(?:o|a|os|as)"
    if last == "a":
        return body + r"s?"
    if last == "e":
        return body + r"s?"
    if last in "iu":
        return body + r"(?:s|es)?"
    if last.isalpha():
        return body + r"(?:es|a|as|s)?"
    return body


def _words(en: str = "", es: str = "", raw: tuple[str, ...] = ()) -> list[str]:
    """Entries are separated by commas or new lines."""
    parts = []
    for item in en.split(","):
        if item.strip():
            parts.append(_en(item))
    for item in es.split(","):
        if item.strip():
            parts.append(_es(item))
    parts.extend(raw)
    return parts


def _compile(parts: list[str], flags: int = 0) -> re.Pattern[str] | None:
    if not parts:
        return None
    # Longest first, so that a phrase wins over a word it starts with.
    ordered = sorted(set(parts), key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(ordered) + r")(?![\w])", flags)


# Illnesses that run in families, for "her mother had ...".
_ILLNESS = (
    r"(?:early|a stroke|a heart attack|heart|breast|colon|ovarian|prostate|cancer|alzheimer|dementia|diabetes"
    r"|huntington|parkinson|sickle|cystic|ms\b|multiple sclerosis|schizophrenia|bipolar|epilepsy|lupus|hemophilia"
    r"|leukemia|un infarto|un derrame|demencia|esquizofrenia|epilepsia|hemofilia|leucemia"
    r"|problemas del corazon|enfermedad)"
)

# Numbers a person's age is written with.
_NUM_EN = (
    r"(?:\d{1,3}|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s\-](?:one|two|three|four|five|six"
    r"|seven|eight|nine))?|eighteen|nineteen|sixteen|seventeen|fifteen|a hundred)"
)
_NUM_ES = (
    r"(?:\d{1,3}|veinti\w+|(?:treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa)(?: y \w+)?|veinte"
    r"|dieciocho|diecinueve|quince|cien)"
)
_YEAR = r"(?:19[2-9]\d|20[0-2]\d)"
_ORDINAL = r"\d{1,3}(?:st|nd|rd|th)"
_PEOPLE_EN = (
    r"(?:m[ae]n|wom[ae]n|persons?|people|folks?|kids?|guys?|girls?|boys?|lad(?:y|ies)|famil(?:y|ies)|communit(?:y|ies)"
    r"|neighborhoods?|americans?|males?|females?|teens?|teenagers?|youths?|child|children|students?|voters?"
    r"|mothers?|fathers?|moms?|dads?|parents?|sons?|daughters?|husbands?|wi(?:fe|ves)|grandparents?|friends?"
    r"|cops?|officers?|churche?s?|culture|history|heritage|lives|excellence|joy|pride|owned|privilege|trash"
    r"|supremac\w*|nationalis\w*|identity|neighbors?|coworkers?|co-workers?)"
)
_PEOPLE_ES = (
    r"(?:mujer(?:es)?|hombres?|personas?|gente|familias?|chic[oa]s?|ni[nñ][oa]s?|comunidad(?:es)?|muchach[oa]s?"
    r"|senor(?:a|es|as)?|padres?|madres?|hij[oa]s?|amig[oa]s?|vecin[oa]s?|joven(?:es)?)"
)
_RELATIVE_EN = (
    r"(?:mother|father|mom|dad|parents?|grandmother|grandfather|grandma|grandpa|grandparents?|sisters?|brothers?"
    r"|siblings?|aunts?|uncles?|cousins?)"
)
_RELATIVE_ES = r"(?:madre|padre|mama|papa|abuel[oa]s?|herman[oa]s?|padres|ti[oa]s?|prim[oa]s?)"

_COUNTRIES = """
Mexico, El Salvador, Guatemala, Honduras, Nicaragua, Costa Rica, Panama, Cuba, Dominican Republic, Puerto Rico,
Colombia, Venezuela, Ecuador, Peru, Bolivia, Argentina, Uruguay, Paraguay, Brazil, Haiti, Jamaica, Trinidad,
Barbados, Bahamas, Belize, Canada, Ireland, Italy, Germany, France, Spain, Portugal, Greece, Poland, Russia,
Ukraine, Armenia, Iran, Iraq, Syria, Lebanon, Palestine, Gaza, Israel, Egypt, Morocco, Algeria, Tunisia, Libya,
Nigeria, Ethiopia, Eritrea, Somalia, Kenya, Ghana, Senegal, Liberia, Sierra Leone, Cameroon, Congo, Uganda,
Rwanda, Sudan, Zimbabwe, South Africa, Pakistan, Bangladesh, Afghanistan, Japan, Korea, Vietnam, Philippines,
Thailand, Cambodia, Laos, Myanmar, Burma, Indonesia, Malaysia, Nepal, Sri Lanka, Taiwan, Hong Kong, Mongolia,
Samoa, Tonga, Fiji, Netherlands, Holland, Belgium, Sweden, Norway, Denmark, Finland, Scotland, Wales, England,
Hungary, Romania, Bulgaria, Serbia, Croatia, Bosnia, Albania, Czech Republic, Slovakia, Lithuania, Latvia,
Estonia, Saudi Arabia, Yemen, Kuwait, Qatar, Jordania, Uzbekistan, Kazakhstan, Australia, New Zealand,
Oaxaca, Jalisco, Michoacan, Guerrero, Zacatecas, Chihuahua, Sinaloa, Sonora, Puebla, Guanajuato, Yucatan,
Chiapas, Veracruz, Durango, Nayarit, Tijuana, Guadalajara, Monterrey, San Salvador, Tegucigalpa, Managua,
Havana, La Habana, Santo Domingo, Bogota, Caracas, Quito, Manila, Saigon, Seoul, Beijing, Shanghai,
Mexico City, Ciudad de Mexico, Haiti, Haiti, Espana, Italia, Alemania, Francia, Irlanda, Rusia, Ucrania, Japon,
Corea, Filipinas, Brasil, Belice, Panama, Peru, Canada, Polonia, Grecia, Egipto, Marruecos, Etiopia, Somalia,
Siria, Libano, Irak, Iran, Afganistan, Pakistan, Tailandia, Camboya, Inglaterra, Escocia, Holanda, Suecia,
Noruega, Dinamarca, Hungria, Rumania, Turquia, Arabia Saudita, Republica Dominicana, Puerto Rico, Nigeria,
Sudafrica, Vietnam, Centroamerica, Sudamerica, Latinoamerica, Central America, South America, Latin America,
the Caribbean, el Caribe, Africa, Asia, Europe, Europa, Middle East, Medio Oriente
"""
_DEMONYMS_EN = """
Mexican, Salvadoran, Salvadorean, Guatemalan, Honduran, Nicaraguan, Costa Rican, Panamanian, Cuban, Dominican,
Puerto Rican, Colombian, Venezuelan, Ecuadorian, Ecuadorean, Peruvian, Bolivian, Chilean, Argentine, Argentinian,
Uruguayan, Paraguayan, Brazilian, Haitian, Jamaican, Trinidadian, Bahamian, Belizean, Canadian, Irish, Italian,
German, French, Spanish, Portuguese, Greek, Russian, Ukrainian, Armenian, Turkish, Iranian, Persian,
Iraqi, Syrian, Lebanese, Palestinian, Israeli, Egyptian, Moroccan, Algerian, Nigerian, Ethiopian, Eritrean,
Somali, Kenyan, Ghanaian, Senegalese, Liberian, Congolese, Ugandan, Sudanese, Pakistani, Bangladeshi, Afghan,
Indian, Chinese, Japanese, Korean, Vietnamese, Filipino, Filipina, Thai, Cambodian, Khmer, Laotian, Hmong,
Burmese, Indonesian, Malaysian, Nepali, Nepalese, Sri Lankan, Taiwanese, Samoan, Tongan, Fijian, Hawaiian,
Dutch, Belgian, Swedish, Norwegian, Finnish, Scottish, Scots, Welsh, British, Hungarian, Romanian,
Bulgarian, Serbian, Croatian, Bosnian, Albanian, Czech, Slovak, Lithuanian, Latvian, Estonian, Saudi, Yemeni,
Kuwaiti, Jordanian, Uzbek, Kazakh, Australian, Arab, Arabic, Slavic, Scandinavian, Nordic, Balkan,
Caribbean, Central American, South American, Latin American, Middle Eastern, European, African, Chicano,
Chicana, Tejano, Tejana, Nuyorican, Boricua, Creole, Cajun, Gaelic, Sicilian, Tagalog, Mandarin,
Cantonese, Punjabi, Hindi, Urdu, Farsi, Pashto, Gujarati, Tamil, Bengali, Swahili, Amharic, Yoruba, Igbo, Somali,
Tigrinya, Kurdish, Kurd, Yiddish, Hebrew, Haitian Creole, Patois, Quechua, Aymara, Nahuatl, Zapotec, Mixtec,
Mayan, Purepecha, Triqui, Guarani
"""
_DEMONYMS_ES = """
mexicano, salvadoreño, guatemalteco, chapín, hondureño, catracho, nicaragüense, pinolero, costarricense, tico,
panameño, cubano, dominicano, puertorriqueño, colombiano, venezolano, ecuatoriano, peruano, boliviano, chileno,
argentino, uruguayo, paraguayo, brasileño, haitiano, jamaiquino, beliceño, canadiense, irlandés, italiano, alemán,
francés, portugués, griego, polaco, ruso, ucraniano, armenio, turco, iraní, persa, iraquí, sirio, libanés,
palestino, israelí, egipcio, marroquí, argelino, nigeriano, etíope, somalí, keniano, ghanés, senegalés, congoleño,
sudafricano, paquistaní, pakistaní, bangladesí, afgano, chino, japonés, coreano, vietnamita, filipino, tailandés,
camboyano, laosiano, birmano, indonesio, nepalí, taiwanés, samoano, holandés, neerlandés, belga, sueco, noruego,
finlandés, escocés, galés, británico, húngaro, rumano, búlgaro, serbio, croata, bosnio, albanés,
eslovaco, lituano, saudí, yemení, jordano, australiano, árabe, eslavo, escandinavo, europeo, africano,
centroamericano, sudamericano, suramericano, latinoamericano, caribeño, antillano, chicano, criollo, oaxaqueño,
jalisciense, tapatío, michoacano, poblano, zacatecano, guerrerense, sinaloense, sonorense, chihuahuense,
yucateco, veracruzano, jarocho, regiomontano, chilango, duranguense, guanajuatense, nayarita, tijuanense
"""

# Things named after a country that say nothing about a person's origin ("French fries", "Greek yogurt").
_THINGS_EN = (
    r"(?:food|restaurants?|place|spot|joint|takeout|take-out|cuisine|fries|toast|bread|press|doors?|horn|kiss|braid"
    r"|manicure|oven|shepherds?|sausages?|yogurt|coffee|tea|salad|dressing|rice|beers?|lager|whiske?y|cars?|bbq"
    r"|barbecue|buffet|dish|dishes|dinner|lunch|breakfast|recipes?|sandwich(?:es)?|cheese|wines?|pastr(?:y|ies)"
    r"|cookies?|chocolate|dip|onions?|vanilla|bulldogs?|cream|setters?|terriers?|movies?|films?|soap|pizza|beef"
    r"|pubs?|bars?|grill|market|trucks?|style|tacos?|fried|noodles|curry|class|classes|lessons?|course|teacher"
    r"|club|team|league|soccer|grand prix|open|cup|drama|dramas|shows?|series|roulette|bacon|ice|seasoning|shrimp"
    r"|chicken|spices?|sauce|gumbo|jerk|cigars?|link|chain|waffles?|malinois|wax|steakhouse|jiu[\s\-]?jitsu|bjj"
    r"|rugs?|cats?|hound|blanket|cotton|fold|massage|meatballs|fish|delight|bath|life|row|week|letters|gods?"
    r"|mythology|shirts?|potato(?:es)?|pho|candy|coke|oranges?|bros|brothers|baby|treat|courage|man o' war"
    r"|water dog|restaurant|casino|motorcycles?|skincare|anime|cartoons?|opera|music|songs?|band|guitar|poker"
    r"|stew|car bomb|food truck|bakery|market|grocery|store|tile|tiles|silk|vase|lanterns?|checkers|chess)\b"
)

_LEXICON: dict[str, list[str]] = {
    "race": _words(
        en="""African American, Afro-American, Afro-Latino, Afro-Latina, Afro-Latinx, Afro-Caribbean, Afrocentric,
        Latino, Latina, Latinx, Latine, Hispanic, Asian, Asian American, Asian-American, AAPI, Pacific Islander,
        Native American, American Indian, Alaska Native, Native Hawaiian, First Nations, indigenous, tribe, tribal
        member, tribal, Navajo, Cherokee, Apache, Lakota, Sioux, Hopi, Zuni, Ojibwe, Chippewa, Choctaw, Chickasaw,
        Seminole, Pueblo Indian, Comanche, Blackfeet, Iroquois, Shoshone, Paiute, Yaqui, Tohono O'odham, Chumash,
        Ohlone, Inuit, powwow, pow wow, reservation life, biracial, multiracial, mixed race, mixed-race, half-white,
        half-black, half-asian, Caucasian, person of color, people of color, POC, BIPOC, racial, racially, racism,
        racist, racial profiling, ethnic, ethnicity, ethnically, race relations, Black History Month, Black Lives
        Matter, Juneteenth, Kwanzaa, Lunar New Year, melanin, brown people, mestizo, mestiza, mulatto, Creole
        heritage, Gullah, Romani, gypsy, anti-Asian, anti-Black, heritage night, heritage month""",
        es="""afrodescendiente, afroamericano, afrolatino, afromexicano, afrocaribeño, afrocolombiano, indígena,
        indio, nativo americano, pueblo originario, pueblos originarios, zapoteca, mixteco, mixteca, maya, nahua,
        náhuatl, purépecha, tarasco, otomí, mazateco, mixe, triqui, tzotzil, tzeltal, totonaco, huichol, wixárika,
        rarámuri, tarahumara, yaqui, mapuche, aymara, quechua, guaraní, garífuna, taíno, mestizo, mulato, latino,
        hispano, latinoamericano, asiático, asiaticoamericano, caucásico, raza, racial, racismo, racista, étnico,
        etnia, herencia hispana, birracial, multirracial, persona de color, gente de color""",
        raw=(
            r"(?:black|white|brown)(?:[\s\-]+(?:american|latin[oa]|and proud|and [a-z]+ (?:" + _PEOPLE_EN + r")))?"
            r"[\s\-]+" + _PEOPLE_EN,
            r"(?:half|being|i'm|im|i am|proud(?:ly)?|mixed|part|am)[\s\-]+(?:black|white|asian|native|indian)",
            r"(?:black|white|asian|native)(?:[\s\-]+and[\s\-]+(?:proud|black|white|asian|latin[oa]|mexican))",
            r"(?:his|her|their|my|your|our|of (?:his|her|their|my)|because of (?:his|her|their|my)) race",
            r"the (?:black|white|latino|hispanic|asian|native) community",
            _PEOPLE_ES + r"\s+(?:negr|blanc|afro|morena?s?\b)[a-z]*",
            r"(?:soy|ser|eres|somos|como|por ser|siendo) (?:negr|afro)[a-z]*",
            r"(?:soy|ser|por ser|siendo) (?:blanc|indi|latin|asiatic)[a-z]*",
            r"mes de la (?:herencia|historia) (?:hispana|afroamericana|negra|latina|asiatica|indigena)",
        ),
    ),
    "color": _words(
        en="""skin tone, skin color, skin colour, complexion, colorism, colourism, dark-skinned, light-skinned,
        fair-skinned, olive-skinned, brown-skinned, black-skinned, white-skinned, pale-skinned, tan-skinned,
        darker-skinned, lighter-skinned, dark skin, darker skin, light skin, lighter skin, brown skin, fair skin,
        pale skin, olive skin, deep skin, tan skin, black skin, white skin, skin shade, high yellow, paper bag test,
        shade of brown, shades of brown, light-skinned privilege, melanated""",
        es="""tez, tono de piel, color de piel, color de su piel, color de mi piel, colorismo, piel morena, piel
        oscura, piel clara, piel blanca, piel negra, piel canela, piel trigueña, piel aceitunada, piel apiñonada,
        piel prieta, moreno, morenito, prieto, prietito, güero, güerito, trigueño, apiñonado, blanquito""",
        raw=(
            r"(?:so|very|too|really|i'm|im|he's|she's|was|am|is|are|being|pretty) pale(?!\s+ale)",
            r"(?:dark|darker|light|lighter|brown|fair|pale|olive|deep|tan|tanned|black|white)(?:est|er)?[\s\-]+"
            r"(?:skin(?:ned)?|complexion(?:ed)?)",
            r"skin (?:tones?|colou?rs?|shades?)",
            r"the (?:dark|darker|light|lighter|light-skinned|dark-skinned) one",
            r"piel (?:muy |tan |bien |mas )?(?:blanca|morena|oscura|clara|negra|prieta|canela|palida|tostada)",
        ),
    ),
    "religion": _words(
        en="""church, churchgoer, church-goer, chapel, cathedral, basilica, parish, parishioner, mosque, masjid,
        synagogue, shul, temple, gurdwara, mandir, kingdom hall, tabernacle, ministry, congregation, worship,
        worshiper, worshipper, pray, prayer, prayed, praying, prays, bible, biblical, scripture, gospel, sermon,
        homily, priest, deacon, bishop, archbishop, rabbi, imam, nun, monk, reverend, minister of the church, youth
        minister, youth pastor, pope, vatican, Jesus, Christ, Allah, Prophet Muhammad, Christian, Christianity,
        Catholic, Catholicism, Roman Catholic, Protestant, Evangelical, Baptist, Southern Baptist, Methodist,
        Lutheran, Presbyterian, Episcopal, Episcopalian, Anglican, Pentecostal, Adventist, Seventh-day Adventist,
        Mormon, LDS, Latter-day Saint, Jehovah's Witness, Jehovah, Orthodox, Greek Orthodox, Coptic, Quaker, Amish,
        Mennonite, Unitarian, Calvinist, Nazarene, Assemblies of God, born-again, born again, Muslim, Moslem, Islam,
        Islamic, Sunni, Shia, Shiite, Jewish, Jew, Judaism, Hasidic, Kosher, Halal, Hindu, Hinduism, Buddhist,
        Buddhism, Sikh, Sikhism, Jain, Bahai, Baha'i, Shinto, Taoist, Pagan, Wiccan, Wicca, Santeria, Rastafarian,
        Scientology, Scientologist, atheist, atheism, agnostic, nonbeliever, secular humanist, religion, religious,
        spiritual, faith, faith-based, believer, devout, choir, hymn, psalm, gospel choir, bible verse, scripture
        verse, rosary, first communion, holy communion, communion, confirmation class, baptism, baptized, baptised,
        christening, bar mitzvah, bat mitzvah, b'nai mitzvah, Ramadan, Eid, iftar, Diwali, Holi, Hanukkah, Chanukah,
        Passover, seder, Yom Kippur, Rosh Hashanah, Sukkot, Purim, Ash Wednesday, Good Friday, Holy Week, Easter,
        Easter service, Advent, Pentecost, hijab, niqab, burqa, yarmulke, kippah, turban, Sabbath, Shabbat,
        missionary, mission trip, seminary, seminarian, Sunday school, Bible study, Bible camp, vacation Bible
        school, youth group at church, tithe, tithing, revival, sacrament, Our Lady, Virgin Mary, Blessed Mother,
        Holy Spirit, Holy Ghost, Lord and Savior, the Lord, salvation, praise and worship, grace church, pilgrimage,
        hajj, mecca, Torah, Quran, Koran, Talmud, Book of Mormon, gospel music, church choir, altar server, altar
        boy, lay minister, ordained, ordination, vicar, chaplain, evangelist, televangelist, rabbinical, mullah,
        swami, Dalai Lama, godparent, godfather at the baptism, patron saint, novena, crucifix, Holy Father,
        catechism, Sunday Mass, midnight Mass, Catholic Mass, Easter Mass, Christmas Mass, daily Mass, Latin Mass,
        church service, Sunday service, worship service, religious service, Christmas Eve service, God""",
        es="""iglesia, templo, parroquia, catedral, basílica, capilla, mezquita, sinagoga, salón del reino, misa,
        culto dominical, al culto, oración, orar, rezar, rezo, reza, rezó, rezamos, rezando, biblia, bíblico,
        versículo, evangelio, sermón, homilía, sacerdote, cura párroco, párroco, monja, monje, diácono, obispo,
        arzobispo, rabino, imán de la mezquita, papa francisco, el papa, vaticano, Jesús, Jesucristo, Cristo, Alá,
        católico, catolicismo, cristiano, cristianismo, evangélico, protestante, bautista, metodista, luterano,
        presbiteriano, anglicano, episcopal, pentecostal, adventista, mormón, testigo de Jehová, testigos de Jehová,
        ortodoxo, menonita, musulmán, islam, islámico, judío, judaísmo, hindú, budista, budismo, sij, ateo,
        agnóstico, religión, religioso, espiritual, creyente, devoto, coro de la iglesia, el rosario, un rosario,
        primera comunión, comunión, catequista, catequesis, catecismo, bautizo, bautismo, bautizado, confirmación en
        la iglesia, Cuaresma, Semana Santa, Pascua, Domingo de Ramos, Miércoles de Ceniza, Viernes Santo, Ramadán,
        Janucá, Pésaj, velo islámico, hiyab, sábado de reposo, misionero, seminarista, escuela dominical, estudio
        bíblico, diezmo, sacramento, la Virgen, Virgen de Guadalupe, Virgen María, guadalupano, apostólica,
        apostólico, Espíritu Santo, Dios, santo patrono, santa patrona, peregrinación, Corán, Torá, congregación,
        feligrés, pastor de la iglesia, grupo de oración, retiro espiritual, alabanza, fe católica, fe cristiana,
        santería, santero, cofradía, mayordomía, procesión, padrino de bautizo, ángel de la guarda, hermanos en
        Cristo, aleluya, amén, bendiciones de Dios""",
        raw=(
            r"(?:sunday|midnight|catholic|easter|christmas|daily|morning|evening|latin|funeral|vigil|ash wednesday)"
            r" mass(?:es)?",
            r"(?:to|at|attend(?:s|ed|ing)?|after|before|from|for|go(?:es|ing)? to|went to) mass\b",
            r"mass (?:on sundays?|every (?:sunday|week|day|morning))",
            r"(?:his|her|their|my|our|the|a) faith",
            r"(?:su|mi|la|nuestra) fe\b",
            r"pastor(?:a|es|as)?(?![\s\-]+alem)",
            r"ministro (?:de la iglesia|religioso|evangelico)",
            r"st\.? [a-z]+'?s? (?:church|parish|cathedral|chapel|catholic)",
            r"san [a-z]+ (?:parroquia|iglesia|templo)",
            r"(?:thank|praise|trust in|pray to|faith in|love of|word of|glory to|bless) (?:god|jesus|the lord)",
            r"god bless",
        ),
    ),
    "national_origin": _words(
        en="""immigrant, immigrated, immigrating, immigration, emigrated, emigrant, migrated, migrant, refugee,
        asylum, asylum seeker, naturalization, naturalized, naturalised, citizenship, green card, permanent
        resident, undocumented, illegal immigrant, illegal alien, DACA, Dreamer, work visa, visa status, H-1B,
        deported, deportation, ancestry, ancestor, ancestral, heritage, roots, old country, homeland, motherland,
        fatherland, native country, home country, country of origin, diaspora, first-generation, second-generation,
        third-generation, first generation, second generation, third generation, mother tongue, native language,
        first language, second language, native speaker, accent, expat, expatriate, foreigner, foreign-born, foreign
        born, ESL, English learner, English as a second language, bilingual, trilingual, Ellis Island, Little
        Saigon, Little Italy, Chinatown, Koreatown, Little Armenia, Little Havana""",
        es="""inmigrante, inmigró, inmigraron, inmigración, emigró, emigraron, emigrante, emigrado, migrante, migró,
        migraron, migración, refugiado, asilo político, asilado, naturalización, naturalizado, ciudadanía, ciudadano
        estadounidense, tarjeta verde, residencia permanente, residente permanente, indocumentado, sin papeles,
        DACA, deportado, deportación, ascendencia, ancestros, antepasados, raíces, orígenes, herencia cultural,
        patria, tierra natal, país natal, país de origen, mi tierra, su tierra, su pueblo natal, primera generación,
        segunda generación, tercera generación, lengua materna, primera lengua, segunda lengua, idioma materno,
        acento, extranjero, nacido en el extranjero, bilingüe, orgullo latino, por fin ciudadano""",
        raw=(
            r"(?:famil(?:y|ies)|parents|people|grandparents|folks|mom|dad|mother|father|ancestors)"
            r" (?:is |are |were |was |originally )+(?:originally )?from",
            r"(?:roots|heritage|ancestry|descent) (?:are |is )?(?:in|from)",
            r"(?:of|with) [a-z]+ (?:descent|ancestry|heritage|origin|roots)",
            r"u\.?s\.? citizen(?:ship)?",
            r"(?:became|become|becoming|sworn in as) (?:an? )?(?:american |u\.?s\.? )?citizen",
            r"(?:sus|mis) (?:padres|abuelos|papas) (?:son|eran|vinieron|llegaron|emigraron|inmigraron)"
            r"(?: originalmente)? de",
            r"(?:ingles|espanol) (?:no )?es (?:su|mi) (?:primera|segunda) (?:lengua|idioma)",
            r"(?:habla|hablan|hablar|speaks?|spoke|speaking|grew up speaking|posts? in|writes? in) (?:en |in )?"
            r"(?:spanish|tagalog|vietnamese|korean|chinese|mandarin|cantonese|arabic|russian|armenian|farsi|punjabi"
            r"|hindi|portuguese|polish|italian|french|german|haitian creole|creole|zapoteco|mixteco|nahuatl"
            r"|espanol|vietnamita|coreano|chino|arabe|ruso|armenio|frances|aleman|portugues|tagalo)",
            r"ciudadan[oa]s? (?:estadounidense|americana?o?|de (?:los )?estados unidos)",
            r"(?:se hizo|hacerse|por fin|ya es|ahora es|ahora soy) ciudadan[oa]",
            r"(?:mexican|cuban|korean|chinese|japanese|filipino|vietnamese|indian|irish|italian|german|polish"
            r"|armenian|arab|african|salvadoran|guatemalan|dominican|puerto rican|haitian|jamaican|russian)"
            r"[\s\-]+american",
            r"(?:de|from|in|en|to|a|of) (?:" + "|".join(_phrase(c) for c in _COUNTRIES.split(",") if c.strip()) + r")",
        ),
    )
    + [
        r"(?:"
        + "|".join(_phrase(d) for d in _DEMONYMS_EN.split(",") if d.strip())
        + r")(?:s|es|'s)?(?![\s\-]+"
        + _THINGS_EN
        + r")"
    ]
    + [_es(d) for d in _DEMONYMS_ES.split(",") if d.strip()],
    "sex": _words(
        en="""woman, women, womanhood, female, male, lady, ladies, girl, girls' night, girls night, gal, gals,
        sorority, sorority sister, fraternity brother, feminine, masculine, manhood, women's, gender: male, gender:
        female, sex: male, sex: female, businesswoman, businessman, sportswoman, policewoman, chairwoman,
        congresswoman, spokeswoman, craftswoman, tradeswoman, firewoman, horsewoman, female officer, male nurse,
        male officer, the only woman, one of the only women, boys' club, old boys' club""",
        es="""mujer, mujeres, femenino, masculino, femenina, masculina, varón, varones, hombre, hombres, chica,
        muchacha, dama, damas, señorita, policía mujer, sexo femenino, sexo masculino, sexo: masculino, sexo:
        femenino, noche de chicas""",
        raw=(
            r"(?:as an?|being an?|the only|only|one of (?:the )?(?:few|only|two|three)|few|trans|cis|fellow|other"
            r"|grown|straight|gay|black|white|brown|asian|latino|hispanic|native|young|younger|older|middle[\s\-]aged"
            r"|family|single|married|divorced|working|real|manly|a man's|queer|bisexual)"
            r"[\s\-]+m[ae]n(?:'s)?\b",
            r"m[ae]n(?:'s)? (?:working|in (?:nursing|the field|childcare|early childhood|construction|the trades|law"
            r" enforcement|the department)|only|club)",
            r"(?:he|she) is (?:a|the only) (?:man|woman|girl|boy|guy) (?:in|on|at|who)",
        ),
    ),
    "pregnancy": _words(
        en="""pregnant, pregnancy, pregnancies, maternity, maternity leave, paternity leave, parental leave,
        prenatal, antenatal, postpartum, postnatal, post-partum, trimester, morning sickness, ultrasound, sonogram,
        gender reveal, baby shower, sprinkle shower, breastfeeding, breast-feeding, breastfeed, breastfed, breast
        milk, breast pump, pumping at work, lactation, lactating, nursing mom, nursing mother, nursing bra,
        chestfeeding, labor and delivery, gave birth, giving birth, give birth, gives birth, birth announcement,
        birth story, home birth, water birth, newborn, c-section, cesarean, caesarean, miscarriage, miscarried,
        stillbirth, IVF, in vitro, fertility treatment, fertility, infertility, midwife, doula, OB-GYN, OBGYN,
        obstetrician, baby bump, due date, expectant mother, expectant mom, mom-to-be, mother-to-be, dad-to-be, bun
        in the oven, twins on the way, baby on the way, labor pains, went into labor, epidural, NICU, Lamaze,
        pregnancy test, bump update, weeks along, months along, surrogacy, abortion""",
        es="""embarazada, embarazo, embarazos, encinta, preñada, gestación, gestante, dar a luz, dio a luz, dará a
        luz, parto, cesárea, maternidad, paternidad, licencia de maternidad, incapacidad por maternidad, permiso de
        maternidad, prenatal, posparto, postparto, puerperio, cuarentena después del parto, trimestre, ultrasonido,
        ecografía, sonograma, baby shower, revelación de género, revelación de sexo, lactancia, lactancia materna,
        amamantar, amamantando, amamanta, dar pecho, dan pecho, dando pecho, da pecho, leche materna, extractor de
        leche, bebé en camino, recién nacido, aborto espontáneo, pérdida del bebé, fertilidad, infertilidad, in
        vitro, partera, doula, ginecólogo, obstetra, panza de embarazada, semanas de embarazo, meses de embarazo,
        futura mamá, antojos del embarazo, náuseas del embarazo""",
        raw=(
            r"(?:is|are|she's|she is|we're|we are|was|were|i'm|i am|am|now) expecting(?=\s*(?:[.,;!)'\"]|$|\s+"
            r"(?:a baby|a child|a boy|a girl|our|her|their|his|my|twins|triplets|again|and|in|this|next|baby|number))"
            r")",
            r"expecting (?:a baby|a child|twins|triplets|(?:our|her|their|his|my) (?:first|second|third|fourth|next"
            r"|\w+) (?:child|baby|kid))",
            r"baby (?:number|no\.|#)\s*(?:\w+)",
            r"baby\b[^.!?\n]{0,30}\bon the way",
            r"(?:after|when|before|until|once|till) (?:the|our|her|my|their|his) (?:new )?baby (?:comes|arrives|is born"
            r"|gets here)",
            r"(?:had|has|delivered|welcomed) (?:a|her|their|our|my|his) (?:healthy |new |beautiful )?(?:baby|newborn)"
            r"(?: boy| girl)?\b(?! (?:sister|brother|cousin|shower|pictures|photos|sitter|monitor))",
            r"welcomed (?:a|her|their|our|his|my) (?:healthy |new |beautiful )?(?:son|daughter|boy|girl)",
            r"(?:\d+|eight|seven|six|five|four|three|two|nine) (?:weeks|months) (?:pregnant|along)",
            r"esper(?:a|an|amos|ando|o|aba|aban) (?:un|otro|su primer|su segundo|su tercer|su cuarto|el primer"
            r"|nuestro primer|nuestro segundo) (?:bebe|hij[oa]|nin[oa]|bebito|bebita)",
            r"esper(?:a|an|amos|ando|o|aba|aban) (?:gemelos|cuates|mellizos|trillizos)",
            r"(?:ya )?viene (?:el|un|mi|su|otro|nuestro) bebe",
            r"bebe (?:numero|n[uú]m\.?|#) ?\w+",
            r"(?:tuvo|tuvieron|nacio|nacio su|nacio el) (?:a )?(?:su )?(?:bebe|bebita|bebito)",
        ),
    ),
    "sexual_orientation": _words(
        en="""gay, lesbian, bisexual, bi-sexual, queer, homosexual, heterosexual, pansexual, asexual, demisexual,
        LGBT, LGBTQ, LGBTQ+, LGBTQIA, LGBTQIA+, LGBTI, GLBT, same-sex, same sex, same-gender loving, rainbow flag,
        pride flag, pride month, pride parade, pride march, pride festival, pride weekend, pride event, pride
        celebration, pride night, gay pride, love is love, out of the closet, National Coming Out Day, closeted, gay
        bar, lesbian bar, drag brunch, two moms, two dads, sexual orientation, sexuality, dyke, homophobia,
        homophobic, Grindr, marriage equality, Stonewall, Trevor Project, GLAAD, Human Rights Campaign""",
        es="""gay, lesbiana, lésbico, bisexual, queer, homosexual, heterosexual, pansexual, asexual, LGBT, LGBTQ,
        LGBTI, LGBTTTIQ, mismo sexo, bandera arcoíris, bandera del arcoíris, bandera de arcoiris, bandera LGBT,
        orgullo gay, orgullo LGBT, marcha del orgullo, marcha gay, mes del orgullo, desfile del orgullo, el amor es
        amor, salió del clóset, salió del closet, salir del clóset, salir del closet, sale del clóset, fuera del
        clóset, orientación sexual, homofobia, homofóbico, joto, marica, tortillera, bicurioso, diversidad sexual,
        comunidad LGBT, matrimonio igualitario""",
        raw=(
            r"(?:his|he and his|he's got a|he has a|with his) (?:boyfriend|husband|fiance)",
            r"(?:her|she and her|she's got a|she has a|with her) (?:girlfriend|wife|fiancee)",
            r"c(?:ame|omes?|oming) out (?:as|to (?:his|her|their|my) (?:family|parents|friends|mom|dad|mother"
            r"|father|coworkers))",
            r"coming out (?:story|post|video|party|letter)",
            r"\bpride\b(?= (?:month|parade|march|festival|weekend|event|flag|night|celebration|fest))",
            r"rainbow (?:flag|frame|profile|pride)",
        ),
    ),
    "gender_identity": _words(
        en="""transgender, transsexual, transwoman, transman, trans woman, trans man, trans women, trans men, trans
        person, trans people, trans kid, trans youth, trans rights, trans community, nonbinary, non-binary, enby,
        genderqueer, gender queer, genderfluid, gender fluid, gender-fluid, agender, bigender, two-spirit, intersex,
        pronouns, preferred pronouns, gender identity, gender expression, gender marker, gender-affirming, gender
        affirming care, gender dysphoria, gender nonconforming, gender non-conforming, gender transition,
        transitioned, transitioning, detransition, assigned female at birth, assigned male at birth, AFAB, AMAB,
        deadname, deadnamed, misgendered, misgendering, drag queen, drag king, drag show, drag performer, drag
        performance, in drag, top surgery, bottom surgery, hormone replacement therapy, HRT, cisgender, cis,
        Transgender Day of Visibility, Trans Day of Visibility, Transgender Day of Remembrance, crossdresser,
        cross-dresser, legal name change, gender-neutral name""",
        es="""transgénero, transexual, mujer trans, hombre trans, persona trans, no binario, no binaria, no binarie,
        no-binario, persona no binaria, género fluido, género no binario, agénero, intersexual, pronombres,
        identidad de género, expresión de género, transición de género, sexo asignado al nacer, asignaron sexo,
        cambio de sexo, reasignación de sexo, afirmación de género, disforia de género, drag queen, show de drag,
        travesti, cisgénero, Día de la Visibilidad Trans, Día de la Visibilidad Transgénero, muxe""",
        raw=(
            r"trans(?![\s\-]*(?:fat|am\b|ams\b|atlantic|pacific|union|siberian|mission|canada|european|alaska))\b",
            r"(?:she|he|they|xe|ze|ey|it|any|fae)\s*/\s*(?:her|hers|him|his|them|theirs|they|she|he|xem|xir|zir|hir"
            r"|em|it|any|faer)",
            r"(?:his|her|their|my) (?:transition|gender|pronouns)",
            r"(?:su|mi) transicion",
            r"(?:pronombres?|pronoun)s?:? (?:elle|ella|el|they|she|he|xe)",
            r"(?:como|pronombre|pronombres|usa|uso|es|soy) elle",
            r"show de drag|(?:de|del) drag\b",
            r"(?:sali[oó]|salir|salio) como (?:mujer|hombre|persona) trans",
        ),
    ),
    "age": _words(
        en="""retiree, retired, retirement, senior citizen, senior discount, seniors discount, AARP, elderly,
        pensioner, grandparent of, grandchildren, grandkids, grandson, granddaughter, great-grandchildren,
        millennial, boomer, baby boomer, Gen X, Gen Z, Generation X, Gen Xer, zoomer, over the hill, midlife crisis,
        midlife, middle-aged, menopause, senior living, retirement home, nursing home resident, Medicare, social
        security check, ageism, ageist, too old, too young, old enough, young enough, getting old, getting older, my
        age, his age, her age, their age, age gap, quinceañera, sweet sixteen, sweet 16, class reunion, high school
        reunion, college reunion""",
        es="""jubilado, jubilación, se jubiló, pensionado, pensionada, tercera edad, adulto mayor, adultos mayores,
        persona mayor, personas mayores, anciano, ancianos, abuelito, nietos, nieto, nieta, bisnietos, edad,
        cumpleaños número, quinceañera, quince años, mis quince, sus quince, menopausia, asilo de ancianos, casa de
        retiro, INAPAM, credencial del INAPAM, milenial, millennial, generación X, chavorruco, treintón, cuarentón,
        cincuentón, sesentón, setentón, reunión de exalumnos, reunión de generación""",
        raw=(
            _NUM_EN + r"[\s\-]+years?[\s\-]+(?:old|young|of age)",
            _NUM_EN + r"[\s\-]+year[\s\-]+old",
            r"\d{1,3} ?(?:yo|y/o|yrs? old)",
            r"(?:turned|turning|turns|turn|celebrated|celebrating) (?:the big )?"
            + _NUM_EN
            + r"(?![\s\-]*(?:mph|%|percent|degrees|miles|yards|points|dollars|bucks|minutes|hours|games|wins))",
            _ORDINAL + r"(?: birthday| bday| b-day|!)",
            r"happy (?:" + _ORDINAL + r"|\d{1,3}(?:th)?) ",
            r"(?:born|b\.) (?:in |on )?(?:[a-z]+ (?:\d{1,2},? )?)?" + _YEAR,
            r"class of (?:'|')?(?:" + _YEAR + r"|\d\d)",
            r"(?:graduated|graduating|grad)(?: from)?(?: high school| college| the academy)? in " + _YEAR,
            r"(?:aged?|at age|at the age of|age of) \d{1,3}\b",
            r"at \d{2},? (?=(?:she|he|i|they|you|we|i'm|he's|she's)\b)",
            r"in (?:his|her|their|my|our) (?:early |mid |late |mid-)?(?:teens|twenties|thirties|forties|fifties|sixties"
            r"|seventies|eighties|nineties|20s|30s|40s|50s|60s|70s|80s|90s)",
            r"(?:a|an) (?:twenty|thirty|forty|fifty|sixty|seventy|eighty)-?something",
            r"(?:he|she|they|i) (?:is|was|are|am|'s|'m) (?:" + _NUM_EN + r")(?=[\s,.;!])(?! (?:minutes|hours|miles|"
            r"days|feet|percent|points|dollars|mph|of|in|out|for|and|to|or))",
            r"(?:cumple|cumplio|cumpli|cumplira|cumplir|cumpliendo|a sus|a mis|con sus|con mis|de sus|celebro|celebra"
            r"|festejo|festeja) " + _NUM_ES + r"\b(?: anos| anitos| primaveras)?",
            r"(?:tiene|tenia|tengo|tenemos|tienes|a los|hizo|con) " + _NUM_ES + r" (?:anos|anitos|primaveras)",
            r"(?<!hace )(?<!durante )(?<!por )(?<!tras )(?<!de )(?<!los )(?<!unos )"
            + _NUM_ES
            + r" (?:anos|anitos|primaveras)(?! (?:de (?:casad|matrimonio|servicio|experiencia|trabajo|carrera|prision"
            r"|carcel|garantia)|atras|en (?:la|el) (?:empresa|trabajo|puesto)))",
            r"(?:naci[oó]|nacio|naci|nacida|nacido|nacimos|nacieron)(?: el \d{1,2} de [a-z]+)?(?: en| de)? " + _YEAR,
            r"generaci[oó]n[^.\n]{0,30}" + _YEAR,
            r"(?:clase|promocion|egresad[oa]s?|graduad[oa]s?)(?: de la prepa| de la secundaria| del)?(?: de| en)? "
            + _YEAR,
            r"(?:muy|demasiado|tan) viej[oa]s? para",
            r"(?:estoy|ya estoy|soy|me siento|me estoy haciendo|ya soy) (?:muy |bien |tan )?viej[oa]",
            r"(?:mi|su|tu) edad",
        ),
    ),
    "disability": _words(
        en="""disability, disabilities, disabled, handicap, handicapped, wheelchair, wheelchair user, crutches,
        prosthetic, prosthesis, amputee, amputated, amputation, blind, blindness, legally blind, visually impaired,
        low vision, deaf, deafness, hard of hearing, hearing aid, hearing loss, hearing impaired, sign language,
        ASL, cochlear implant, autism, autistic, on the spectrum, Asperger's, ADHD, attention deficit, dyslexia,
        dyslexic, learning disability, intellectual disability, developmental disability, Down syndrome, cerebral
        palsy, spina bifida, PTSD, post-traumatic stress, posttraumatic stress, depression, depressed, anxiety,
        anxiety disorder, panic attack, panic attacks, panic disorder, bipolar, schizophrenia, schizophrenic, OCD,
        eating disorder, anorexia, bulimia, mental health, mental illness, psychiatric, psychiatrist, psychologist,
        therapist, therapy, counseling, counselling, medication, medications, meds, prescription, antidepressant,
        antidepressants, Prozac, Zoloft, Xanax, Adderall, Ritalin, insulin, diabetes, diabetic, type 1 diabetes,
        type 2 diabetes, cancer, tumor, tumour, chemo, chemotherapy, radiation treatment, leukemia, lymphoma,
        melanoma, mastectomy, remission, oncologist, HIV, HIV-positive, hepatitis, epilepsy, epileptic, seizure,
        seizures, stroke survivor, heart attack, heart disease, heart condition, heart surgery, bypass surgery,
        pacemaker, surgery, surgeries, operation on his, operation on her, knee replacement, hip replacement, in the
        hospital, from the hospital, hospital bed, hospital stay, hospitalized, hospitalised, ICU, intensive care,
        rehab, rehabilitation, physical therapy, occupational therapy, in recovery, recovering alcoholic, sobriety,
        alcoholics anonymous, narcotics anonymous, addiction, addict, relapse, detox, multiple sclerosis, MS
        diagnosis, Parkinson's, Alzheimer's, dementia, arthritis, asthma, lupus, fibromyalgia, Crohn's, celiac,
        migraine, migraines, chronic pain, chronic illness, chronic fatigue, long COVID, concussion, traumatic brain
        injury, TBI, brain injury, spinal cord injury, paralyzed, paralysed, paraplegic, quadriplegic, service dog,
        emotional support animal, medical leave, FMLA, disability benefits, disability leave, SSDI, SSI, workers'
        comp, reasonable accommodation, accommodations for, transplant, dialysis, kidney disease, liver disease,
        obese, obesity, morbidly obese, gastric bypass, suicidal, suicide attempt, self-harm, diagnosed, diagnosis,
        diagnoses, misdiagnosed, illness, disease, disorder, syndrome, medical condition, health condition,
        terminally ill, hospice, stutter, stuttering, Tourette's, speech impediment, chronic, sick leave for, on
        disability, support group, neurodivergent, neurodiverse, mobility scooter, the VA hospital, sleep apnea,
        CPAP, COPD, emphysema, hypertension, high blood pressure, cholesterol, kidney stones""",
        es="""discapacidad, discapacitado, minusválido, minusvalía, silla de ruedas, muletas, andadera, bastón,
        prótesis, amputado, amputación, ciego, ceguera, débil visual, sordo, sordera, aparato auditivo, auxiliar
        auditivo, lengua de señas, lenguaje de señas, autismo, autista, espectro autista, Asperger, TDAH, déficit de
        atención, hiperactividad, dislexia, disléxico, síndrome de Down, parálisis cerebral, estrés postraumático,
        TEPT, depresión, deprimido, ansiedad, ataque de pánico, ataques de pánico, trastorno bipolar, bipolar,
        esquizofrenia, esquizofrénico, TOC, trastorno obsesivo, trastorno alimenticio, anorexia, bulimia, salud
        mental, enfermedad mental, psiquiatra, psiquiátrico, psicólogo, terapeuta, terapia, medicamento,
        medicamentos, medicina para, pastillas para, antidepresivo, antidepresivos, insulina, diabetes, diabético,
        cáncer, tumor, quimio, quimioterapia, radioterapia, leucemia, linfoma, mastectomía, remisión, oncólogo, VIH,
        sida, seropositivo, hepatitis, epilepsia, epiléptico, convulsiones, derrame cerebral, embolia, infarto,
        ataque al corazón, enfermedad del corazón, marcapasos, cirugía, cirugías, operado, operada de, en el
        hospital, desde el hospital, del hospital, hospitalizado, internado en el hospital, terapia intensiva,
        cuidados intensivos, rehabilitación, rehab, alcohólicos anónimos, adicción, adicto, recaída, esclerosis
        múltiple, Parkinson, Alzheimer, alzhéimer, demencia, artritis, asma, asmático, lupus, fibromialgia, migraña,
        migrañas, dolor crónico, enfermedad crónica, conmoción cerebral, lesión cerebral, lesión de columna,
        parálisis, paralizado, parapléjico, cuadripléjico, perro de servicio, perro guía, incapacidad médica,
        incapacidad por enfermedad, diálisis, trasplante, obesidad, obeso, bypass gástrico, suicida, intento de
        suicidio, autolesión, diagnosticado, diagnóstico, diagnosticaron, enfermedad, padecimiento, padece,
        trastorno, síndrome, enfermo terminal, cuidados paliativos, tartamudeo, tartamudo, grupo de apoyo,
        neurodivergente, hipertensión, presión alta, colesterol, apnea del sueño, covid largo""",
        raw=(
            r"(?:had|suffered|suffers|after|from) (?:a |his |her |my )?(?:stroke|breakdown|nervous breakdown)",
            r"(?:in|on) a wheelchair",
            r"(?:sick|ill) with",
            r"(?:battle|battling|fight|fighting|beat|survived|survivor of|living with) (?:[a-z]+ )?(?:cancer|"
            r"leukemia|lymphoma|depression|addiction|hiv|ms|illness|disease)",
            r"(?:round|rounds|session|sessions) of (?:chemo|chemotherapy|radiation)",
        ),
    ),
    "genetic_information": _words(
        en="""DNA, DNA test, DNA kit, DNA results, 23andMe, 23 and me, AncestryDNA, Ancestry DNA, ancestry test,
        ancestry kit, MyHeritage DNA, genetic, genetics, genetically, genetic test, genetic testing, genetic
        counselor, genetic counseling, genetic screening, genetic disorder, genetic condition, genetic marker,
        genetic risk, gene, genes, gene mutation, mutation, BRCA, BRCA1, BRCA2, Lynch syndrome, hereditary,
        inherited, inherit, heritable, runs in the family, runs in my family, runs in his family, runs in her
        family, runs in their family, family history, family medical history, family history of, carrier of, carrier
        for, carrier status, sickle cell, sickle cell trait, sickle cell disease, Huntington's, Huntington's
        disease, cystic fibrosis, Tay-Sachs, hemophilia, muscular dystrophy, fragile X, genome, genomic, genome
        sequencing, chromosome, chromosomal, predisposition, predisposed, genetic predisposition, early-onset, early
        onset, newborn screening, paternity test, ancestry results, family tree DNA""",
        es="""ADN, prueba de ADN, prueba genética, pruebas genéticas, estudio genético, estudios genéticos, análisis
        genético, genético, genética, genéticamente, asesor genético, asesora genética, consejo genético, gen del,
        gen de, genes, mutación, mutaciones, BRCA, BRCA1, BRCA2, hereditario, hereditaria, hereditarios,
        hereditarias, heredado, heredada, heredó, heredar, heredarlo, herencia genética, antecedentes familiares,
        historial familiar, historia familiar de, portador, portadora, portador del, células falciformes, anemia
        falciforme, rasgo falciforme, enfermedad de Huntington, Huntington, fibrosis quística, hemofilia, distrofia
        muscular, genoma, cromosoma, cromosómico, predisposición, predispuesto, de inicio temprano, precoz, prueba
        de paternidad""",
        raw=(
            r"(?:his|her|their|my|our) "
            + _RELATIVE_EN
            + r"(?: and (?:his|her|their|my )?"
            + _RELATIVE_EN
            + r")? (?:both )?(?:died of|died from|was diagnosed|were diagnosed|passed from|battled|suffered from"
            r"|(?:had|has|have) (?:early|the same|" + _ILLNESS + r"))",
            r"(?:su|mi|sus|mis) " + _RELATIVE_ES + r" (?:murio de|murieron de|fue diagnosticad[oa]|fallecio de"
            r"|(?:tuvo|tiene|tuvieron|tienen|padece|padecio|padecen|sufrio de|sufre de) (?:el mismo|la misma|lo mismo|"
            + _ILLNESS
            + r"))",
            r"runs? in (?:the|his|her|my|their|our) famil(?:y|ies)",
            r"(?:es|son|viene|vienen|corre|corren) de familia",
            r"(?:comun|comunes|frecuente|frecuentes|hereditari[oa]s?) en (?:la|su|mi|nuestra) familia",
        ),
    ),
    "marital_status": _words(
        en="""married, marriage, marry, marrying, remarried, wife, wives, husband, hubby, wifey, spouse, spousal,
        divorce, divorced, divorcing, divorcee, ex-wife, ex-husband, legally separated, trial separation, separated
        from, widow, widower, widowed, fiance, fiancee, fiancé, fiancée, engagement ring, engagement party,
        engagement photos, got engaged, wedding, wedding ring, wedding photos, wedding anniversary, anniversary
        dinner, anniversary trip, honeymoon, bride, the groom, groomsmen, bridal, bridesmaid, newlywed, newlyweds,
        just married, bachelor party, bachelorette, bachelorette party, stag party, hen party, single mom, single
        mother, single dad, single father, single parent, relationship status, in-laws, mother-in-law,
        father-in-law, sister-in-law, brother-in-law, son-in-law, daughter-in-law, domestic partner, domestic
        partnership, civil union, common-law, common law wife, common law husband, eloped, elope, wedding vows, vow
        renewal, marriage counseling, custody battle, alimony, child support, prenup, Mrs., maiden name, married
        name, wedding day, wedding band, better half, soulmate, my hubby, wedded, matrimony, late wife, late husband""",
        es="""casado, casados, casada, casadas, casarse, se casó, se casaron, nos casamos, me casé, casamiento,
        matrimonio, esposo, esposa, marido, cónyuge, divorcio, divorciado, divorciada, se divorció, separación,
        viudo, viuda, enviudó, su prometido, mi prometido, su prometida, mi prometida, compromiso matrimonial,
        anillo de compromiso, pedida de mano, le pidió matrimonio, boda, bodas de oro, bodas de plata, luna de miel,
        cada aniversario, su aniversario, nuestro aniversario, aniversario de bodas, novia de blanco, recién
        casados, despedida de soltero, despedida de soltera, madre soltera, padre soltero, mamá soltera, papá
        soltero, soltero, soltera, solterona, estado civil, unión libre, concubino, concubina, suegro, suegra,
        suegros, cuñado, cuñada, yerno, nuera, pensión alimenticia, custodia de sus hijos, votos matrimoniales,
        nupcias, mi media naranja""",
        raw=(
            r"comprometid[oa]s?(?!\s+(?:con|a|en|por)\b)",
            r"(?:is|i'm|im|am|she's|he's|was|now|finally|still|happily|again|newly|recently) single\b",
            r"single (?:again|and ready|life|and loving)",
            r"(?:the|our|their|his|her|my) separation",
            r"proposed to (?:her|him|me|his|my)",
            r"(?:said|she said|he said) yes!",
            r"(?:anos|years) de (?:casad[oa]s|matrimonio)",
            r"(?:his|her|my|their) (?:ex|former) (?:wife|husband|spouse)",
            r"(?:engaged|married) to",
            r"(?:is|are|just|now|recently|newly|we're|she's|he's|i'm|they're|got|getting) engaged(?! in)",
            r"(?:our|their|his|her|my) (?:engagement|anniversary)",
            r"(?:esta|estoy|estan|se|nos|viven|vive) separad[oa]s?",
            r"(?:estado|estatus)(?: civil)?(?: a| de)? '?(?:soltero|soltera|casad[oa]|divorciad[oa]|viud[oa]"
            r"|comprometid[oa])",
        ),
    ),
    "military_status": _words(
        en="""veteran, veterans, vet status, military, military service, armed forces, army, US Army, U.S. Army,
        Marine Corps, marines, USMC, air force, USAF, coast guard, USCG, national guard, Army National Guard, Air
        National Guard, in the reserves, reservist, Army Reserve, Navy Reserve, space force, deployed, deployment,
        redeployed, tours of duty, tour of duty, combat zone, in combat, saw combat, combat veteran, combat tours,
        infantry, infantryman, platoon, battalion, brigade, regiment, paratrooper, airborne division, Green Beret,
        Navy SEAL, SEAL team, special forces, Army Ranger, basic training, boot camp at Parris Island, Parris
        Island, Fort Benning, Fort Bragg, Fort Hood, Camp Pendleton, Camp Lejeune, Fort Leonard Wood, Fort Jackson,
        Fort Sill, West Point, Naval Academy, Air Force Academy, ROTC, JROTC, DD-214, DD214, honorably discharged,
        honorable discharge, dishonorable discharge, dishonorably discharged, medical discharge, general discharge,
        other than honorable, VA benefits, VA disability, VA hospital, VA clinic, GI Bill, Purple Heart, Bronze
        Star, Silver Star, Medal of Honor, active duty, active-duty, enlisted in, enlisted at, enlisted after,
        enlisted right, enlistment, reenlisted, re-enlisted, served in the military, served overseas, soldier,
        soldiers, sailor, sailors, airman, airmen, servicemember, service member, servicemen, servicewoman, military
        spouse, military wife, military family, military brat, Veterans Day, VFW, American Legion, Wounded Warrior,
        Semper Fi, Oorah, Hooah, Iraq, Afghanistan, Desert Storm, Operation Iraqi Freedom, Enduring Freedom, Kuwait
        deployment, Gold Star family, Gold Star mother, drill sergeant, dress blues, military police, MP in the
        army, Army MP, corpsman, medic in the army, combat medic, navy corpsman, gunnery sergeant, staff sergeant,
        first sergeant, lance corporal, private first class, warrant officer, petty officer, commissioned officer in
        the army""",
        es="""veterano, veteranos, veterana, militar, militares, servicio militar, fuerzas armadas, ejército,
        ejército de los Estados Unidos, infantería de marina, infante de marina, marines, fuerza aérea, fuerza aérea
        de los estados unidos, guardia costera, guardia nacional, reservista, reserva del ejército, despliegue
        militar, misión en Irak, misiones en Irak, Afganistán, en combate, veterano de combate, infantería,
        batallón, paracaidista, boina verde, fuerzas especiales, entrenamiento básico, campo de entrenamiento
        militar, baja honrosa, baja deshonrosa, baja militar, baja honorable, beneficios del VA, beneficios de
        veterano, hospital de veteranos, soldado, soldados, marinero, marineros, tropas, en servicio activo,
        servicio activo, se enlistó, enlistado, enlistarse, sargento del ejército, cabo del ejército, Corazón
        Púrpura, Día de los Veteranos, la armada, en la armada, armada de los estados unidos, la marina, base
        militar, uniforme militar""",
        raw=(
            r"navy(?![\s\-]+blue)",
            r"(?:a|the|former|ex|us|u\.s\.|proud|retired) marine\b",
            r"(?:served|serving|serves|enlisted|was stationed|stationed) (?:\w+ ){0,4}(?:in|with) the (?:army|navy|"
            r"marines|air force|coast guard|national guard|military|reserves|guard)",
            r"(?:served|serving|sirvio|sirvi[oó]) (?:\w+ ){0,3}(?:years?|anos) (?:in|en) (?:the |el |la )?(?:army|navy|"
            r"marine|air force|coast guard|military|ejercito|marina|armada|fuerza aerea|infanteria)",
            r"(?:discharged|retired|separated) from the (?:army|navy|marines|marine corps|air force|coast guard"
            r"|military|service|guard)",
            r"tours? (?:in|to|of) (?:iraq|afghanistan|vietnam|kuwait|korea|syria|somalia|bosnia|kosovo)",
            r"desplegad[oa]s? (?:con|en) (?:el|la|los) (?:ejercito|marina|armada|fuerza|guardia|tropas|extranjero"
            r"|irak|afganistan|medio oriente)",
            r"(?:fue|esta|estuvo|estar) desplegad[oa]",
            r"se alist[oó] en|alistarse en",
        ),
    ),
    "political": _words(
        en="""Democrat, Democrats, Democratic Party, Democratic candidate, Democratic primary, Republican,
        Republicans, Republican Party, GOP, Libertarian, Libertarian Party, Green Party, Tea Party, Socialist,
        Democratic Socialist, DSA, Communist, Communist Party, Independent voter, independent candidate, MAGA, Make
        America Great Again, Trump, Biden, Obama, Kamala Harris, Hillary Clinton, Bernie Sanders, Bernie, DeSantis,
        Pelosi, Newsom, Reagan, AOC, campaign, campaigning, campaigned, campaign sign, yard sign, bumper sticker
        for, political, politics, politically, politician, political rally, political party, partisan, bipartisan,
        protest, protests, protested, protesting, protester, protesters, protestor, counter-protest, demonstrators,
        picketing, picket line, walkout, sit-in, activist, activism, voted, voting for, vote for, votes for, i
        voted, election, elections, electoral, ballot, ballots, ballot measure, ballot initiative, proposition,
        primary election, midterms, caucus, caucuses, precinct captain, precinct committee, precinct delegate,
        voting precinct, delegate to the convention, party convention, national convention, petition, petitions,
        signed a petition, referendum, endorsement, endorsements, endorse, endorsed, endorsing, canvass, canvassing,
        canvasser, phone bank, phone banking, door knocking, get out the vote, voter registration, registered voter,
        registered Democrat, registered Republican, registered independent, super PAC, political action committee,
        donated to the campaign, conservatives, liberals, progressives, leftist, left-wing, right-wing, far-left,
        far-right, alt-right, antifa, Proud Boys, Oath Keepers, Black Lives Matter, BLM, Blue Lives Matter,
        pro-life, pro-choice, Roe v. Wade, abortion rights, gun rights, gun control, Second Amendment, 2A, NRA, Moms
        Demand Action, March for Our Lives, Women's March, March for Life, impeach, impeachment, recall election,
        recall petition, Congressman, Congresswoman, Congress, senator, state senator, assemblyman, assemblywoman,
        city council candidate, council candidate, mayoral candidate, presidential candidate, congressional
        candidate, school board candidate, run for office, running for office, ran for office, Capitol riot, January
        6, Jan. 6, stop the steal, union rally, labor rally, climate strike, climate march, Democratic Socialists,
        feminist, feminism, Federalist Society, Young Republicans, College Democrats, Young Democrats, Teamsters
        rally""",
        es="""demócrata, demócratas, partido demócrata, republicano, republicana, republicanos, partido republicano,
        partido verde, partido libertario, partido político, partido de izquierda, partido de derecha, libertario,
        socialista, comunista, progresista, izquierdista, derechista, activista, activismo, campaña, campaña
        electoral, campaña política, política electoral, votó, votaron, voté, votamos, votar por, voto por, vota
        por, votando por, elecciones, electoral, boleta electoral, urnas, casilla electoral, caucus, mitin, mitín,
        manifestación, manifestaciones, manifestante, manifestantes, protesta, protestas, protestó, protestaron,
        protestando, plantón, huelga, marcha de protesta, petición, peticiones, firmó una petición, referéndum,
        respaldo del partido, respaldos del partido, afiliado al partido, afiliada al partido, militante del
        partido, concejo municipal, concejal, concejala, congresista, senador, senadora, diputado, diputada,
        candidato al congreso, candidata al congreso, candidato del partido, candidato republicano, candidato
        demócrata, Trump, Biden, Obama, MAGA, aborto legal, provida, pro vida, derecho a decidir, control de armas,
        derecho a portar armas, feminista, feminismo, Frente Amplio, sindicalista, colecta para la campaña""",
        raw=(
            r"(?:democratic|republican|green|libertarian|communist|socialist|labor|labour|tea|reform|political|third|"
            r"opposing|opposition|ruling|major|constitution|peace and freedom|working families) part(?:y|ies)",
            r"part(?:y|ies)(?:'s)? (?:endorsement|endorsements|platform|line|leader|leadership|convention|primary|"
            r"nominee|ticket|affiliation|registration|member|members|membership|politics|caucus|chair|delegate)",
            r"(?:political|campaign|protest|trump|biden|gop|democratic|republican|election|pro-\w+|anti-\w+|maga"
            r"|union|labor|climate|abortion|gun|immigration|gop) rall(?:y|ies)",
            r"rall(?:y|ies|ied) (?:for|against|in support|at the (?:state )?capitol|at city hall|outside|to (?:support"
            r"|protest|demand|defend|stop))",
            r"(?:attended|attends|attending|went to|at|joined|organized|spoke at) (?:a|the) (?:\w+ )?rally",
            r"marched\b",
            r"march(?:es|ing)? (?:for|against|on washington|in protest|to protest|to demand|with protesters)",
            r"(?:women's|protest|peace|climate|immigration|civil rights|anti-war|antiwar) march(?:es)?",
            r"(?:he|she|they|we|i) voted\b(?! (?:best|most|the best|mvp|employee|top|number|#))",
            r"(?:candidate|candidates|running|ran|runs) (?:for|to) (?:city|county|state|mayor|governor|congress|senate"
            r"|president|council|school board|sheriff|district attorney|assembly|supervisor|the legislature)",
            r"(?:supports?|supported|backs|backed|support for) (?:a |the )?(?:\w+ )?(?:candidate|campaign|party"
            r"|senator|congressman|congresswoman|councilmember|council member|measure|initiative|proposition)",
            r"(?:partido|partidos) (?:democrata|republicano|verde|libertario|politico|comunista|socialista|de izquierda"
            r"|de derecha|conservador|liberal|progresista)",
            r"(?:apoya|apoyo|apoyan|apoyaba|en apoyo) (?:a |al |del |de )?(?:un |una |la |el )?(?:candidat|partido"
            r"|senador|congresista|concejal|campana|alcalde|gobernador|president)\w*",
            r"(?<!se )march[oó] (?:en|por|contra|a favor|para)",
            r"marcha (?:por|contra|a favor|para exigir|de protesta|feminista|del 8m|por el clima)",
            r"march(?:aron|amos|ando) (?:en|por|contra|a favor|para)",
            r"(?:firm[oó]|firmaron|firme|firmar|compartio) (?:una |la |el )?(?:peticion|petitorio)",
            r"peticion (?:para|contra|en linea|en change)",
            r"(?:es|soy|son|ser) de (?:izquierda|derecha)",
            r"(?:a|as a|proud|staunch|lifelong|die-hard|diehard|i'm|im|is|am|being|very|fiscal|social|true)"
            r" (?:conservative|liberal|progressive|leftist|socialist)\b(?! (?:amount|amounts|use|estimate|estimates"
            r"|portion|portions|serving|helping|dose))",
            r"(?:es|soy|muy|como|ser) (?:liberal|conservador[a]?)",
            r"candidat[oa]s? (?:a|al|para) (?:la |el )?(?:alcald|gobern|senad|diputad|president|concej|congreso"
            r"|regidor|supervisor del condado|consejo)\w*",
            r"pol[ií]tic[oa]s?(?!\s+de\s)",
        ),
    ),
}

# Words that count only as written: a capital letter tells the country from the pepper or the bird.
_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr"
    r"|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|The|A|An|My|His|Her|Their|Our|This|That)\b"
)

# Words that count only as written: a capital letter tells a place from a dish, a month or a common word.
_CASED: dict[str, list[str]] = {
    "national_origin": [
        r"(?:in|from|to|of|de|en|a) (?:Chile|Turkey|Jordan|Georgia|Guinea|Niger|Mali|Chad)",
        r"China",
        r"India(?! Pale)",
        r"Polish(?! (?:sausage|food|remover))",
        r"(?i:born|raised|grew up|born and raised|was born) in (?:the )?(?!" + _MONTHS + r")[A-Z][a-z]+",
        r"[A-Z][a-z]+(?:[\s\-]+)born and raised",
        r"(?i:came|moved|fled|arrived|migrated|immigrated|emigrated)(?: here| to the (?:U\.?S\.?A?|States|United"
        r" States)| to America| to this country)? from (?:the )?(?!" + _MONTHS + r")[A-Z][a-z]+",
        r"(?i:naci[oó]|naci|nacieron|nacida|nacido|se cri[oó]|creci[oó]|crecio) en (?:el |la )?[A-Z][a-z]+",
        r"(?i:es|soy|son|somos|viene|vienen|vino|vinieron|llego|llegaron|emigro|emigraron|inmigro|inmigraron)"
        r" (?i:originari[oa]s? )?de (?!Dios|Los Angeles)[A-Z][a-z]+",
        r"(?i:flag|bandera)(?: de| of)? (?:la |el |the )?(?!" + _MONTHS + r")[A-Z][a-z]+",
    ],
    "race": [
        r"Black(?! Friday| Sabbath| Panthers| Mirror| Widow| Ops| Eyed| Hawks| Label| Forest| Sea| Hills| Rifle)"
        r"(?= [A-Z]?[a-z]+)",
    ],
    "religion": [r"Lent(?!\w)", r"Saint(?!s)", r"Saints(?= (?:of|and))"],
    "sexual_orientation": [r"Pride(?! and Prejudice| Rock)"],
    "political": [r"Dems", r"PRI", r"PAN", r"Morena(?= party| \()", r"Harris(?= campaign| rally)", r"Clinton"],
    "military_status": [r"Marines?(?! (?:layer|biology|biologist|life|World))", r"Army", r"Navy(?! blue)"],
}

_PATTERNS: dict[str, re.Pattern[str] | None] = {
    code: _compile(parts, re.IGNORECASE) for code, parts in _LEXICON.items()
}
_CASED_PATTERNS: dict[str, re.Pattern[str] | None] = {code: _compile(parts) for code, parts in _CASED.items()}

# Everyday phrases in which a protected word names something other than a person: a match inside one of these
# passages is no flag.
_EVERYDAY: dict[str, str] = {
    "race": r"raza (?:de perro|canina|pura)|(?:de|perro de|cachorro de|gato de) raza|jeep cherokee|race car|drag race",
    "color": r"chamarra de piel|chaqueta de piel|de piel sintetica",
    "religion": (
        r"oh my god|oh god|god forbid|my god|good faith|bad faith|in good faith|salvation army|dios mio|por dios"
        r"|ay dios|ay,? dios|sabe dios|vaya con dios|adios|temple university|church'?s chicken|holy (?:cow|moly"
        r"|smokes)|mass (?:production|produce|produced|shooting|transit|effect|text)"
    ),
    "national_origin": (
        r"(?:vacation|vacationing|trip|cruise|flight|flew|visit|visited|visiting|travel\w*|tour|touring|road trip"
        r"|vacaciones|viaje|viajo|viajamos|paseo|crucero|vuelo|visita|visito|turismo)\b[^.!?\n]{0,40}"
        r"|(?:comida|restaurante|cocina|pan|ensalada|papas|tortilla|queso|cerveza|vino|pizza|salsa|arroz|carne|pollo"
        r"|cafe|pastel|musica|pelicula|telenovela|liga|seleccion|equipo|carro|auto|coche|estilo|platillo|plato"
        r"|antojitos|dulces?|tacos?|chiles?|yogur|pastor|gato|perro|pelo|cabello|futbol|tenis|marca|mole|tamales"
        r"|postre|mercado|tienda|serie|novela|cancion|canciones|bandera de mi equipo)s? (?:a la |al |estilo )?[a-z]+"
        r"|accent (?:wall|wallls|lighting|chair|pillow|color|colour)|homeland security|old country buffet"
        r"|(?:hair|gray|grey|tree|root) roots|roots (?:are showing|touch|of the tree)|grassroots|chile relleno"
        r"|in (?:spanish|english) class|ir de compras"
    ),
    "sex": r"ladies and gentlemen|lady luck|first lady|damas y caballeros|hombre arana|spider-?man",
    "age": (
        r"retired (?:his|her|the|their) (?:number|jersey)|retired number|old enough to know better"
        r"|happy \d+(?:st|nd|rd|th)? (?:anniversary|year)"
    ),
    "disability": (
        r"blind (?:spot|spots|date|curve|corner|side|sided|taste|eye|luck)|blinds|fell on deaf ears|deaf ears"
        r"|punto ciego|puntos ciegos|a ciegas|great depression|tropical depression|depresion tropical"
        r"|retail therapy|(?:drug|gun|asset|property|cash|vehicle|weapons?|firearms?|evidence) seizures?"
        r"|seizures? of|(?:coffee|caffeine|gym|shopping|sugar|chocolate|adrenaline|netflix|tv|game|gaming|news"
        r"|social media|fitness|workout) addict(?:ion|s)?|adict[oa]s? (?:al|a la|a los|a las) (?:cafe|chocolate|gym"
        r"|gimnasio|compras|series|trabajo|ejercicio|futbol|redes)|rehab (?:the|a|our|my|his|her) (?:house|home"
        r"|kitchen|property|bathroom)|(?:house|home|kitchen) rehab|handicap (?:is|of) \d+|golf handicap"
        r"|hair transplant|imposter syndrome|impostor syndrome|(?:road|weather|traffic|market) conditions?"
        r"|(?:put|sent|landed) (?:him|her|them|someone|a guy|the guy) in the hospital"
    ),
    "genetic_information": (
        r"(?:dna|adn) (?:evidence|sample|samples|swab|match|analysis|lab|database|evidencia|muestra)|"
        r"(?:evidencia|muestra|prueba) de adn (?:en la escena|del sospechoso)|in (?:our|my|his|her|their|its|the) dna"
        r"|(?:en|es parte de) (?:el |nuestro |su |mi )?adn|inherited (?:a|the|his|her|my|their) (?:house|car|truck"
        r"|money|land|business|ranch|farm|estate|watch|guns?|collection)|mail carrier|cable carrier"
    ),
    "marital_status": (
        r"(?:puso|pusieron|ponerle|le puso|quitaron|quitar|quito|con las|en) (?:las |unas )?esposas|esposas"
        r" (?:de metal|policiales)|married to (?:my|his|her|the) (?:job|work|team)"
    ),
    "military_status": (
        r"army of|salvation army|army surplus|army knife|army green|navy blue|airbags? deployed|deployed (?:the )?"
        r"airbags?|deployed (?:code|software|an update|the app|to production)|(?:software|code|app) deployment"
        r"|combat sports?|combat boots"
    ),
    "political": (
        r"office politics|trump card|trumps (?:all|everything)|trumped|(?:comeback|late|ninth[\s\-]inning|fourth"
        r"[\s\-]quarter) rally|politica (?:de|del) (?:la )?(?:empresa|devoluciones|privacidad|la tienda)"
        r"|sin conservadores|conservadores? artificiales|campana de (?:vacunacion|limpieza)"
    ),
}
_EVERYDAY_PATTERNS = {
    code: re.compile(r"(?<![\w])(?:" + pattern + r")(?![\w])", re.IGNORECASE) for code, pattern in _EVERYDAY.items()
}


def _spans(code: str, folded: str, cased: str) -> list[tuple[int, int]]:
    spans = []
    pattern = _PATTERNS.get(code)
    if pattern is not None:
        spans.extend(m.span() for m in pattern.finditer(folded) if m.end() > m.start())
    cased_pattern = _CASED_PATTERNS.get(code)
    if cased_pattern is not None:
        spans.extend(m.span() for m in cased_pattern.finditer(cased) if m.end() > m.start())
    everyday = _EVERYDAY_PATTERNS.get(code)
    if everyday is not None and spans:
        excluded = [m.span() for m in everyday.finditer(folded)]
        spans = [(s, e) for s, e in spans if not any(xs <= s and e <= xe for xs, xe in excluded)]
    return spans


def flag_protected(text: str) -> list[Flag]:
    """Every passage of the text that reveals a protected characteristic, in the order they appear.

    Passages of one category that overlap, or touch with nothing but spaces and punctuation between them, are
    one flag. Offsets index the text as given; excerpt is text[start:end].
    """
    if not text:
        return []
    folded, cased, positions = _fold(text)
    flags: list[Flag] = []
    for code, label in CATEGORIES.items():
        found = [(positions[start], positions[end - 1] + 1) for start, end in _spans(code, folded, cased)]
        for start, end in _merge(text, found):
            flags.append(Flag(category=code, label=label, start=start, end=end, excerpt=text[start:end]))
    flags.sort(key=lambda f: (f.start, f.end, f.category))
    return flags


def _merge(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or not any(c.isalnum() for c in text[merged[-1][1] : start])):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def categories_in(text: str) -> set[str]:
    """The protected categories the text touches on."""
    return {flag.category for flag in flag_protected(text)}
