"""The text the screening models read: the rules' normalized text with common disguises undone.

People who want a word past a filter space it out ("k i l l"), dot it ("k.i.l.l"), swap digits and symbols for
letters ("k1ll", "sh00t", "@ss", "m4tar") or stretch it ("kiiiill"). The models should see the word they mean.
Numbers that are only numbers become a shape ("760-555-0134" → "000-000-0000"), so a model learns "a phone
number here" instead of memorizing one number.

This view is for the models only; rules keep matching `normalize()` and report spans in the original text.
"""

import re

from .normalize import normalize

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})

# Three or more single letters (or digits standing for letters) split by spaces, dots, dashes, stars or
# underscores: "k i l l", "k.i.l.l", "p-u-t-a".
_SPLIT_WORD = re.compile(r"(?<![\w@$])(?:[a-z0-9@$][ .\-*_]{1,2}){2,}[a-z0-9@$](?![\w@$])")
# A token that mixes letters with leet characters: "k1ll", "sh00t", "@ss", "b!tch", "$hit".
_TOKEN = re.compile(r"[\w@$]+(?:!+[\w@$]+)*")
_HAS_LETTER = re.compile(r"[a-z]")
_HAS_LEET = re.compile(r"[013457@$!]")
# Not a disguise: numbers, ordinals, times, units, short codes ("i10", "a1"), and anything with a digit that
# never stands for a letter (plates, case numbers: "7abc123").
_REAL_NUMBER = re.compile(
    r"^(?:[\d_]+|\d+(?:st|nd|rd|th|am|pm|s|k|m|mph|ft|lb|lbs|mm|yo|x)|[a-z]{1,2}\d+|\d+[a-z]|.*[2689].*)$"
)
_HANDLE = re.compile(r"^@[a-z_][\w]{3,}$")
_STRETCH = re.compile(r"([a-z])\1{2,}")
_DIGITS = re.compile(r"\d")
_URL = re.compile(r"\b(?:https?://|www\.)\S+|\b[a-z0-9-]+\.(?:com|net|org|biz|info|shop|store|xyz|io|co|ly|me|gg)\b")
_SPACES = re.compile(r"\s+")


def _join_split(match: re.Match) -> str:
    return re.sub(r"[ .\-*_]", "", match.group(0))


def _unleet(match: re.Match) -> str:
    token = match.group(0)
    if not (_HAS_LETTER.search(token) and _HAS_LEET.search(token)) or _REAL_NUMBER.match(token) or _HANDLE.match(token):
        return token
    return token.translate(_LEET)


_PUBLIC_HOST = re.compile(r"\.(?:gov|mil|edu|us|ca\.gov)(?:/|$)|^(?:www\.)?(?:indio\.gov|rivco\.org|chp\.ca\.gov)")


def _url(match: re.Match) -> str:
    # A link to a public agency is on topic; any other keeps its words (a shop or a casino says something).
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", match.group(0)).split("/")[0]
    if _PUBLIC_HOST.search(host + "/"):
        return " publiclink "
    return " urltoken " + re.sub(r"[^a-z]+", " ", match.group(0)) + " "


def prepare(text: str) -> str:
    """The normalized, de-disguised text a model reads."""
    folded = normalize(text or "").text
    folded = _URL.sub(_url, folded)
    folded = _SPLIT_WORD.sub(_join_split, folded)
    folded = _TOKEN.sub(_unleet, folded)
    folded = _STRETCH.sub(r"\1\1", folded)
    folded = _DIGITS.sub("0", folded)
    return _SPACES.sub(" ", folded).strip()
