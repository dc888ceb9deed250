"""Quantities in news text: counts, amounts, money, percentages, ranges and bounds.

Pure Python (regular expressions and a few word lists). ``find_quantities`` returns every number in
a text that states a quantity, with character offsets into the text; ``main_quantity`` picks the
most salient one of a claim.

How a quantity is read, left to right:

1. Spans that hold numbers but no quantity are blanked out first: dates ("March 4", "4-5 March",
   "2026-03-04"), times of day ("14:00 GMT", "7am"), phone numbers, ordinals ("3rd"), decades
   ("1990s"), ratios and fractions ("3:1", "24/7").
2. A number is digits ("8,000", "7 500", "1,250.75"), words ("six thousand", "twenty-five",
   "two and a half million", "a dozen", "half a million") or both ("2.5 million", "8-thousand",
   "25-hundred", "40k", "3bn"). Numbers that belong to a name are skipped: after a capitalised word
   in mid-sentence ("Flight 17", "Windows 11") or a numbering word ("Resolution 2231",
   "article 5", "No. 10"), glued to letters ("MH17", "F-16", "5G"). A bare four-digit number from
   1800 to 2100 is a year unless a bound or approximation precedes it or a plural noun follows it.
3. Words before the number set the bounds: "about"/"some"/"an estimated" (approximate),
   "nearly"/"almost" (approximate upper bound), "more than"/"at least" (lower bound), "up to"/
   "as many as"/"under" (upper bound); "between X and Y", "from X to Y", "X to Y", "X-Y" and
   "X or Y" are ranges. Bounds are not approximate unless an approximation word says so.
4. What follows gives the unit: "%"/"percent"/"per cent", a currency ("$", "€40m", "euros"), or the
   counted noun, possibly after up to three modifiers ("8,000 Kestranian troops" -> "troops"). The
   unit is lower case and plural ("1 ship" -> "ships"); a few synonyms are merged ("soldiers" ->
   "troops").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from orchestration.extract.models import Quantity

__all__ = ["find_quantities", "main_quantity", "pluralise"]

# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {
    "thousand": Decimal(10**3),
    "million": Decimal(10**6),
    "billion": Decimal(10**9),
    "trillion": Decimal(10**12),
}
_NUMBER_WORDS = set(_UNITS) | set(_TENS) | set(_SCALES) | {"hundred", "dozen"}

# Abbreviated multipliers written after digits ("40k", "3bn", "1.2m", "$5 mn").
_SUFFIX_SCALES = {
    "k": Decimal(10**3),
    "m": Decimal(10**6),
    "mn": Decimal(10**6),
    "mln": Decimal(10**6),
    "b": Decimal(10**9),
    "bn": Decimal(10**9),
    "bln": Decimal(10**9),
    "tn": Decimal(10**12),
    "trn": Decimal(10**12),
}
# Words after "<n>m" that make the "m" metres rather than millions ("a 5m wall" stays ambiguous).
_METRE_CONTEXT = {"high", "wide", "long", "deep", "tall", "away", "above", "below", "sprint"}

# Unit abbreviations that may be glued to digits ("40km", "300MW"), matched case-sensitively so
# that codes such as "5G" or "3D" are not read as units; reported lower-cased.
_UNIT_ABBREVIATIONS = {
    "km", "m", "cm", "mm", "kg", "g", "mg", "t", "kt", "Mt", "lb", "lbs", "oz", "ft", "mi", "ha",
    "km2", "mph", "kph", "kmh", "MW", "GW", "kW", "kWh", "MWh", "GWh", "TWh", "bpd", "h", "hr",
    "hrs", "min", "mins", "sec", "ms", "l", "ml", "L", "x", "C", "F",
}  # fmt: skip

_CURRENCY_SYMBOLS = {
    "$": "USD", "US$": "USD", "A$": "AUD", "C$": "CAD", "NZ$": "NZD", "HK$": "HKD",
    "S$": "SGD", "R$": "BRL", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB",
    "₩": "KRW", "₺": "TRY", "₪": "ILS", "₴": "UAH",
}  # fmt: skip
_CURRENCY_CODES = {
    "USD", "EUR", "GBP", "JPY", "CNY", "CHF", "RUB", "INR", "AUD", "CAD", "NZD", "HKD", "SGD",
    "BRL", "KRW", "TRY", "ILS", "UAH", "PLN", "SEK", "NOK", "DKK", "ZAR", "MXN",
}  # fmt: skip
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "sterling": "GBP",
    "yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "rouble": "RUB", "roubles": "RUB",
    "ruble": "RUB", "rubles": "RUB", "rupee": "INR", "rupees": "INR", "shekel": "ILS",
    "shekels": "ILS", "hryvnia": "UAH", "hryvnias": "UAH", "zloty": "PLN",
    "zlotys": "PLN", "lira": "TRY", "liras": "TRY",
}  # fmt: skip
# A word before "dollars"/"pounds"/"francs" that names another currency.
_CURRENCY_QUALIFIERS = {
    ("australian", "dollars"): "AUD", ("canadian", "dollars"): "CAD",
    ("kong", "dollars"): "HKD", ("zealand", "dollars"): "NZD", ("singapore", "dollars"): "SGD",
    ("taiwan", "dollars"): "TWD", ("us", "dollars"): "USD", ("american", "dollars"): "USD",
    ("british", "pounds"): "GBP", ("swiss", "francs"): "CHF",
}  # fmt: skip

# Words before a number, longest first, and what they do to it.
_APPROX, _NEARLY, _LOWER, _UPPER, _RANGE = "approx", "nearly", "lower", "upper", "range"
_PREFIXES = {
    _APPROX: [
        "about", "around", "approximately", "approx.", "roughly", "some", "an estimated",
        "estimated", "circa", "close to", "in the region of", "on the order of",
        "in the order of", "more or less", "an approximate", "around about",
        # a speculative total is an estimate
        "could amount to", "may amount to", "might amount to",
    ],
    _NEARLY: [
        "nearly", "almost", "just under", "just short of", "just shy of", "not quite",
        "slightly less than", "slightly fewer than", "a little under", "a little less than",
    ],
    _LOWER: [
        "more than", "over", "above", "at least", "upwards of", "in excess of", "greater than",
        "no fewer than", "no less than", "not less than", "not fewer than", "a minimum of",
        "well over", "well above", "just over", "just above", "slightly more than",
        "well in excess of", "north of", "exceeding", "a little over", "a little more than",
    ],
    _UPPER: [
        "up to", "as many as", "as much as", "as high as", "no more than", "not more than",
        "fewer than", "less than", "under", "below", "at most", "at the most", "a maximum of",
        "well under", "well below",
    ],
    _RANGE: ["between", "from"],
}  # fmt: skip
_PREFIX_KIND = {phrase: kind for kind, phrases in _PREFIXES.items() for phrase in phrases}
_PREFIX_RE = re.compile(
    r"(?<![\w.])("
    + "|".join(
        re.escape(p).replace(r"\ ", r"\s+") for p in sorted(_PREFIX_KIND, key=len, reverse=True)
    )
    + r")\s*$",
    re.IGNORECASE,
)
# "c. 300", "ca. 300" (lower case only: "D.C. 300" is not an approximation).
_CIRCA_RE = re.compile(r"(?<![\w.])(c\.|ca\.)\s*$")

# Words that, directly before a number, make it part of a name or a reference.
_NAME_KEYWORDS = {
    "no", "no.", "nos", "nos.", "number", "resolution", "resolutions", "flight", "flights",
    "article", "articles", "art.", "route", "highway", "interstate", "chapter", "section",
    "sect.", "paragraph", "para", "para.", "clause", "page", "pages", "p.", "pp.", "vol",
    "vol.", "volume", "room", "suite", "apartment", "apt", "apt.", "floor", "gate", "terminal",
    "platform", "exit", "junction", "block", "building", "reactor", "unit", "phase", "stage",
    "level", "category", "class", "grade", "type", "model", "mark", "mk", "mk.", "version",
    "season", "episode", "series", "act", "scene", "verse", "line", "bus", "tram", "channel",
    "district", "ward", "zone", "sector", "camp", "cell", "lot", "pier", "berth", "runway",
    "amendment", "protocol", "annex", "appendix", "schedule", "table", "figure", "fig.",
    "item", "question", "proposition", "bill", "decree", "regulation", "directive", "hangar",
}  # fmt: skip

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
_MONTH_NAMES = {m.lower() for m in _MONTHS.split("|")}
_WEEKDAYS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}  # fmt: skip

# Words before a bare four-digit number that make it a year ("in 2026", "the 2026 budget").
_YEAR_CONTEXT = {
    "in", "since", "by", "until", "till", "of", "from", "during", "before", "after", "the",
    "early", "mid", "late", "circa", "year", "fiscal", "fy", "spring", "summer", "autumn",
    "fall", "winter", "to", "and", "through", "between", "end", "start", "beginning", "than",
    "for", "its", "their", "his", "her", "our", "this", "that", "next", "last", "as", "or",
    "a", "an", "every", "each", "per", "on", "at", "season", "class", "vintage", "c.", "ca.",
}  # fmt: skip

# Words before "one" that make it a pronoun or an idiom ("every one of", "no one", "at one point").
_ONE_DETERMINERS = {
    "no", "every", "any", "each", "the", "this", "that", "which", "anyone", "someone",
    "everyone", "one", "a", "at", "on", "in",
}  # fmt: skip

# Function words: a counted noun is never one of these, and looking for it stops at them.
_STOP = {
    "a", "an", "the", "this", "that", "these", "those", "its", "his", "her", "their", "our",
    "my", "your", "of", "in", "on", "at", "to", "from", "by", "for", "with", "without", "into",
    "onto", "over", "under", "about", "around", "across", "after", "before", "since", "until",
    "during", "between", "through", "against", "among", "amid", "per", "via", "than", "as",
    "like", "near", "off", "out", "up", "down", "within", "inside", "outside", "beyond",
    "and", "or", "but", "nor", "so", "yet", "if", "because", "while", "when", "where", "who",
    "whom", "whose", "which", "what", "whether", "is", "are", "was", "were", "be", "been",
    "being", "am", "have", "has", "had", "having", "do", "does", "did", "will", "would",
    "shall", "should", "can", "could", "may", "might", "must", "ought", "not", "no", "never",
    "it", "he", "she", "they", "we", "you", "i", "me", "him", "them", "us", "one", "ones",
    "each", "every", "all", "both", "either", "neither", "some", "any", "more", "most", "less",
    "least", "few", "fewer", "many", "much", "other", "another", "such", "own", "same",
    "too", "very", "just", "only", "also", "still", "already", "even", "now", "then", "there",
    "here", "ago", "again", "apiece", "respectively", "alone", "altogether", "total",
    "overall", "instead", "though", "although", "however", "yesterday", "today", "tonight",
    "tomorrow", "said", "says", "say", "told", "according", "percent", "cent", "versus",
    "vs", "plus", "minus", "odd", "whereas", "unless", "toward", "towards",
    "upon", "onward", "ahead", "away", "back", "later", "earlier", "soon", "previously",
    "including", "excluding", "despite", "except", "perhaps", "always", "sometimes",
    "besides", "afterwards", "nevertheless", "thus", "yes",
} | _WEEKDAYS  # fmt: skip

# Common verbs that can directly follow a bare number ("about 8,000 fled").
_VERBS = {
    "fled", "left", "went", "came", "ran", "fell", "rose", "took", "made", "saw", "got", "gave",
    "fought", "sought", "brought", "thought", "bought", "caught", "held", "kept", "lost", "met",
    "paid", "sent", "spent", "stood", "struck", "won", "began", "became", "drove", "flew",
    "grew", "knew", "threw", "wrote", "spoke", "broke", "chose", "froze", "rode", "sank", "sat",
    "slept", "woke", "wore", "withdrew", "led", "fed", "dug", "hid", "lay", "laid", "lit",
    "swept", "tore", "underwent", "overran", "drew", "ate", "forgot", "hung", "meant", "rang",
    "sang", "shut", "taught", "understood", "wept", "remain", "stay", "live", "die", "need",
    "want", "lack", "wait", "arrive", "cross", "flee", "return", "attend", "join", "reach",
    "become", "face", "work", "go", "come", "get", "make", "take", "see", "know", "think",
    "seem", "appear", "include", "involve", "survive", "escape",
}  # fmt: skip

# Adjectives that often sit between a number and its noun.
_ADJECTIVES = {
    "additional", "extra", "new", "fresh", "further", "armed", "unarmed", "civilian",
    "military", "foreign", "local", "regional", "national", "international", "young", "old",
    "elderly", "small", "large", "big", "huge", "heavy", "light", "metric", "short", "long",
    "cubic", "square", "nautical", "full", "empty", "active", "reserve", "regular", "senior",
    "junior", "strong", "major", "minor", "main", "key", "top", "front", "rear", "combat",
    "ground", "naval", "total", "whole", "entire", "separate", "different", "individual",
    "registered", "eligible", "potential", "possible", "likely", "alleged", "suspected",
    "confirmed", "known", "reported", "estimated", "official", "unofficial", "former",
    "current", "existing", "remaining", "surviving", "wounded", "injured", "dead", "missing",
    "displaced", "stranded", "trapped", "frontline", "front-line", "elite", "special", "crack",
    "modern", "ageing", "aging", "aged", "vulnerable", "fellow", "first",
    "last", "next", "previous", "consecutive", "straight", "successive", "more", "odd",
    "northern", "southern", "eastern", "western", "central", "rural", "urban", "public",
    "private", "state", "federal", "domestic", "overseas", "permanent", "temporary", "daily",
    "weekly", "monthly", "annual", "yearly", "hourly",
}  # fmt: skip
_ADJECTIVE_SUFFIXES = (
    "ian", "ese", "ish", "ic", "ical", "al", "ive", "ous", "ful", "less", "able", "ible", "ary",
    "ern", "ward", "i",
)  # fmt: skip
_NOT_ADJECTIVES = {  # singular nouns that look like adjectives
    "official", "individual", "rival", "professional", "criminal", "general", "hospital",
    "terminal", "capital", "arsenal", "signal", "animal", "vessel", "missile", "vehicle",
    "local", "national", "civilian", "military", "family", "ally", "assembly", "supply",
    "rally", "anomaly", "reply", "fly", "belly", "library", "boundary", "salary", "secretary",
    "dignitary", "missionary", "mercenary", "emissary", "adversary", "anniversary", "diary",
    "summary", "glossary", "seminary", "sanctuary", "dictionary", "visionary", "taxi",
    "militia", "detective", "executive", "relative", "representative", "native", "captive",
    "fugitive", "operative", "explosive", "mechanic", "medic", "critic", "cleric", "clinic",
}  # fmt: skip

# Nouns that are plural (or uncountable) as written.
_INVARIANT = {
    "aircraft", "spacecraft", "hovercraft", "watercraft", "sheep", "deer", "fish", "personnel",
    "staff", "police", "people", "cattle", "livestock", "offspring", "series", "species",
    "headquarters", "means", "news", "barracks", "swine", "bison", "moose", "salmon", "crew",
    "infantry", "cavalry", "artillery", "militia", "data", "equipment", "ammunition", "grain",
    "wheat", "corn", "maize", "rice", "oil", "gas", "water", "fuel", "cash", "aid", "debt",
    "traffic", "damage", "evidence", "information", "software", "hardware", "research",
    "furniture", "luggage", "baggage", "machinery", "footage", "mail", "clothing", "food",
    "sugar", "coal", "steel", "timber", "cargo", "freight", "rain", "snow", "electricity",
    "power", "capacity", "youth", "clergy", "poultry", "weaponry", "kit", "hp", "horsepower",
}  # fmt: skip
_IRREGULAR_PLURALS = {
    "person": "people", "man": "men", "woman": "women", "child": "children", "foot": "feet",
    "tooth": "teeth", "mouse": "mice", "goose": "geese", "ox": "oxen", "criterion": "criteria",
    "phenomenon": "phenomena", "knife": "knives", "life": "lives", "wife": "wives",
    "half": "halves", "leaf": "leaves", "wolf": "wolves", "shelf": "shelves", "thief": "thieves",
    "loaf": "loaves", "calf": "calves", "datum": "data", "medium": "media", "bacterium": "bacteria",
}  # fmt: skip
_PLURAL_OF_IRREGULAR = set(_IRREGULAR_PLURALS.values())
_O_ES = {"potato", "tomato", "hero", "echo", "veto", "torpedo", "embargo", "mosquito", "volcano"}
_MAN_NOT_MEN = {"human", "german", "roman", "shaman", "ottoman", "caiman", "talisman", "walkman"}

# Synonyms merged to one unit so that mentions of the same measure compare.
_CANONICAL_UNITS = {"soldiers": "troops", "servicemen": "troops", "servicewomen": "troops"}

# "two-thirds", "three quarters": a fraction, not a count.
_FRACTIONS = {
    "half", "halves", "third", "thirds", "quarter", "quarters", "fifth", "fifths", "sixth",
    "sixths", "eighth", "eighths", "tenth", "tenths", "hundredth", "hundredths", "thousandth",
    "thousandths",
}  # fmt: skip

# --------------------------------------------------------------------------------------------
# Spans that are not quantities
# --------------------------------------------------------------------------------------------

_SMALL_WORDS = "|".join(sorted(set(_UNITS) | set(_TENS), key=len, reverse=True))
_DAY = r"\d{1,2}(?:st|nd|rd|th)?(?!\d)"
_DATE_JOIN = r"\s*(?:-|–|—|to|and|or|through|until)\s*"
_BLANK_PATTERNS = [
    # March 4 / March 1 to 2 / March 4, 2026 / March 4-5
    re.compile(
        rf"\b(?:{_MONTHS})\.?\s+{_DAY}(?:{_DATE_JOIN}(?:(?:{_MONTHS})\.?\s+)?{_DAY})?"
        r"(?:,?\s+\d{4}\b)?"
    ),
    # 4 March / 4th of March / 4-5 March 2026
    re.compile(
        rf"\b{_DAY}(?:{_DATE_JOIN}{_DAY}(?:\s+(?:{_MONTHS})\b\.?)?)?\s+(?:of\s+)?(?:{_MONTHS})\b"
        r"\.?(?:,?\s+\d{4}\b)?"
    ),
    # March 2026
    re.compile(rf"\b(?:{_MONTHS})\.?,?\s+\d{{4}}\b"),
    # 2026-03-04, 04/03/2026, 4.3.2026
    re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"),
    # times: 14:00, 21:40 GMT, 7.30pm, 7am, 7 a.m., 0700 GMT, 7 o'clock
    re.compile(
        r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s*(?:GMT|UTC|BST|CET|CEST|EST|EDT|PST|"
        r"PDT|local time|hrs|h)\b)?"
    ),
    re.compile(r"\b\d{1,2}(?:[.:]\d{2})?\s*(?:[ap]\.m\.|[ap]m\b)", re.IGNORECASE),
    re.compile(r"\b\d{4}\s*(?:GMT|UTC|Z|hrs|hours GMT|hours local time|local time)\b"),
    re.compile(r"\b\d{1,2}\s*o['’]clock\b"),
    # phone numbers: +44 20 7946 0958, (555) 123-4567, 555-123-4567, 020 7946 0958
    re.compile(r"\+\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,}"),
    re.compile(r"\(\d{2,5}\)\s*\d{2,5}(?:[\s.-]\d{2,5})+"),
    re.compile(r"\b\d{3}[.-]\d{3}[.-]\d{4}\b"),
    re.compile(r"\b0\d{2,4}[\s-]\d{3,4}[\s-]?\d{3,4}\b"),
    # ordinals and decades: 3rd, 21st, 1990s, '90s
    re.compile(r"\b\d+(?:st|nd|rd|th)\b", re.IGNORECASE),
    re.compile(r"(?:\b\d{2}|['’])?\d0s\b"),
    # ratios, scores, verses, fractions: 3:1, 24/7, 9/11
    re.compile(r"\b\d+\s?[:/]\s?\d+\b"),
    # proportions: "one in five", "3 out of 10" (a share, not a count)
    re.compile(
        rf"\b(?:{_SMALL_WORDS}|\d{{1,2}})\s+(?:in|out\s+of)\s+(?:every\s+)?"
        rf"(?:{_SMALL_WORDS}|hundred|thousand|\d{{1,3}})\b(?![.,]?\d)",
        re.IGNORECASE,
    ),
]
_BLANK = "\x00"


def _blank_non_quantities(text: str) -> str:
    """``text`` with date, time, phone, ordinal, decade and ratio spans replaced by NUL
    characters (same length, so offsets stay valid)."""
    chars = list(text)
    for pattern in _BLANK_PATTERNS:
        for m in pattern.finditer(text):
            chars[m.start() : m.end()] = _BLANK * (m.end() - m.start())
    return "".join(chars)


# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------

_DIGITS_RE = re.compile(
    r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?!\d)|\d+)(?:\.\d+)?"
)
_DIGIT_MULTIPLIER_RE = re.compile(
    r"(?:[ \u00a0]|-)?(hundred|thousand|million|billion|trillion|dozen|mn|bn|mln|bln|tn|trn)\b",
    re.IGNORECASE,
)
_GLUED_LETTERS_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_WORD_RE = re.compile(r"[A-Za-z]+")
_WORD_SEP_RE = re.compile(r"[ \t\u00a0]+|-")
_NEXT_WORD_RE = re.compile(r"[ \u00a0]+([A-Za-z]+)")
_CANDIDATE_RE = re.compile(
    rf"(?<![\w.,])\d|\b(?:a|an|half|{_SMALL_WORDS})\b",
    re.IGNORECASE,
)
_ONE = Decimal(1)


@dataclass
class _Number:
    """A parsed number. ``value == base * factor``, where ``factor`` is its trailing multiplier
    ("2.5 million": base 2.5, factor 10**6; "300": base 300, factor 1)."""

    value: Decimal
    base: Decimal
    factor: Decimal
    start: int
    end: int
    words: bool  # written in words ("six thousand")
    plain: bool  # bare digits without separators, decimals or multiplier ("2026")
    unit: str | None = None  # a unit glued to the digits ("40km", "12pc")
    bare_one: bool = False  # the single word "one"
    m_suffix: bool = False  # "<n>m": millions, or metres when a singular noun follows


def _parse_digits(w: str, pos: int) -> _Number | None:
    """Digits with an optional multiplier ("8,000", "7 500", "2.5 million", "40k", "8-thousand")
    or glued unit ("40km"); None for a code such as "5G"."""
    m = _DIGITS_RE.match(w, pos)
    if not m:
        return None
    raw = m.group()
    base = Decimal(re.sub(r"[,\s\u00a0\u2009\u202f]", "", raw))
    end = m.end()
    factor, unit = _ONE, None
    glued = _GLUED_LETTERS_RE.match(w, end)
    if glued:
        letters = glued.group()
        low = letters.lower()
        after = _NEXT_WORD_RE.match(w, glued.end())
        if low == "m" and after and after.group(1).lower() in _METRE_CONTEXT:
            unit = "m"
        elif low in _SUFFIX_SCALES:
            factor = _SUFFIX_SCALES[low]
        elif low in ("pc", "pct"):
            unit = "%"
        elif letters in _UNIT_ABBREVIATIONS:
            unit = low
        else:
            return None
        end = glued.end()
    else:
        mm = _DIGIT_MULTIPLIER_RE.match(w, end)
        if mm:
            word = mm.group(1).lower()
            if word == "hundred":
                factor = Decimal(100)
            elif word == "dozen":
                factor = Decimal(12)
            else:
                factor = _SCALES.get(word) or _SUFFIX_SCALES[word]
            end = mm.end()
    plain = raw.isdigit() and factor == _ONE and unit is None
    m_suffix = glued is not None and glued.group() == "m" and unit is None
    return _Number(base * factor, base, factor, pos, end, False, plain, unit, m_suffix=m_suffix)


def _word_tokens(w: str, pos: int, limit: int = 14) -> list[tuple[str, int]]:
    """Lower-cased words from ``pos`` joined by spaces or hyphens, with their end offsets."""
    tokens = []
    i = pos
    while len(tokens) < limit:
        m = _WORD_RE.match(w, i)
        if not m:
            break
        tokens.append((m.group().lower(), m.end()))
        sep = _WORD_SEP_RE.match(w, m.end())
        if not sep:
            break
        i = sep.end()
    return tokens


def _parse_words(w: str, pos: int) -> _Number | None:
    """A number in words at ``pos``: "six thousand", "twenty-five", "two hundred and fifty",
    "two and a half million", "a dozen", "half a million", "a quarter of a million"."""
    tokens = _word_tokens(w, pos)
    words = [t[0] for t in tokens]

    def at(k: int) -> str:
        return words[k] if k < len(words) else ""

    multipliers = {**_SCALES, "hundred": Decimal(100), "dozen": Decimal(12)}
    if at(0) == "half" and at(1) in ("a", "an") and at(2) in multipliers and at(2) != "hundred":
        factor = multipliers[at(2)]
        return _Number(factor / 2, Decimal("0.5"), factor, pos, tokens[2][1], True, False)

    total, cur = Decimal(0), Decimal(0)
    last = None  # kind of the last word consumed
    last_scale = None  # smallest thousand/million/... consumed so far
    factor = _ONE
    end = None
    i = 0
    if at(0) in ("a", "an"):
        if at(1) in multipliers:
            cur, last, i = _ONE, "a", 1
        elif at(1) in ("half", "quarter"):
            k = 4 if at(2) == "of" and at(3) in ("a", "an") else 2
            if at(k) not in _SCALES:
                return None
            cur, last, i = Decimal("0.5") if at(1) == "half" else Decimal("0.25"), "a", k
        else:
            return None
    while i < len(words):
        t = words[i]
        if (t in _UNITS or t in _TENS) and last in (None, "hundred", "scale", "and"):
            v = _UNITS.get(t) or _TENS[t]
            if t in _TENS and _UNITS.get(at(i + 1), 10) < 10:
                i += 1
                v += _UNITS[words[i]]
            cur += v
            last, factor = "small", _ONE
        elif t in ("hundred", "dozen") and last in ("small", "a") and cur < 100:
            cur *= multipliers[t]
            last, factor = t, multipliers[t]
        elif (
            t in _SCALES
            and last in ("small", "hundred", "a", "half")
            and (last_scale is None or _SCALES[t] < last_scale)
        ):
            factor = _SCALES[t] if total == 0 else _ONE
            total += cur * _SCALES[t]
            cur, last, last_scale = Decimal(0), "scale", _SCALES[t]
        elif (
            t == "and"
            and last in ("hundred", "scale")
            and (at(i + 1) in _UNITS or at(i + 1) in _TENS)
        ):
            last = "and"
            i += 1
            continue
        elif t == "and" and last == "small" and at(i + 1) == "a" and at(i + 2) == "half":
            cur += Decimal("0.5")
            last = "half"
            i += 2
        else:
            break
        end = tokens[i][1]
        i += 1
        if last == "dozen":
            break
    if end is None:
        return None
    value = total + cur
    bare_one = words[0] == "one" and end == tokens[0][1]
    return _Number(value, value / factor, factor, pos, end, True, False, bare_one=bare_one)


def _parse_number(w: str, pos: int) -> _Number | None:
    return _parse_digits(w, pos) if w[pos].isdigit() else _parse_words(w, pos)


# --------------------------------------------------------------------------------------------
# Context before the number: names, bounds, currency
# --------------------------------------------------------------------------------------------

_PREV_TOKEN_RE = re.compile(r"(\S+)[ \u00a0]+$")
_CLAUSE_OPENERS = set(".!?:;\"“”‘'([{—–\n\x00")
_CAPITALISED_TOKEN_RE = re.compile(r"[A-Z][A-Za-z]*\.?")
# Capitalised words that commonly open a sentence before a number ("Only 40 ships ...").
_SENTENCE_OPENERS = {"exactly", "precisely", "barely", "fully", "another", "those", "these"}


def _is_sentence_initial(w: str, i: int) -> bool:
    """Whether the word at ``i`` opens a sentence, a quote or a clause."""
    j = i - 1
    while j >= 0 and w[j] in " \t\u00a0":
        j -= 1
    return j < 0 or w[j] in _CLAUSE_OPENERS


def _prev_token(w: str, start: int) -> tuple[str, int] | None:
    """The whitespace-delimited token right before ``start`` and where it starts."""
    m = _PREV_TOKEN_RE.search(w, max(0, start - 40), start)
    return (m.group(1), m.start(1)) if m else None


def _in_name(w: str, num: _Number) -> bool:
    """Whether the number belongs to a name or reference: "Flight 17", "No. 10",
    "Resolution 2231", "F-16", "#10", "Formula One"."""
    s = num.start
    before = w[s - 1] if s > 0 else ""
    if before == "#" or (before in "-/" and s > 1 and w[s - 2].isalpha()):
        return True
    if num.words and w[s].isupper() and not _is_sentence_initial(w, s):
        return True
    prev = _prev_token(w, s)
    if not prev:
        return False
    token, token_start = prev
    low = token.lower()
    if low in _NAME_KEYWORDS or low.rstrip(".") in _NAME_KEYWORDS:
        return token != "no"  # "no 10 ..." is a negation, "No. 10" / "No 10" a name
    if token in _CURRENCY_CODES or not _CAPITALISED_TOKEN_RE.fullmatch(token):
        return False
    bare = low.rstrip(".")
    if bare in _MONTH_NAMES or bare in _WEEKDAYS or bare in _PREFIX_KIND:
        return False
    if _is_sentence_initial(w, token_start):
        # "Flight 17 crashed", "Windows 11 users", but not "Only 40 ships" or "The 40 ships".
        return bare not in _STOP and bare not in _SENTENCE_OPENERS and bare not in _YEAR_CONTEXT
    return True


def _modifier_before(w: str, start: int) -> tuple[str | None, int]:
    """The bound, approximation or range word right before ``start``, and where it starts."""
    lo = max(0, start - 40)
    m = _CIRCA_RE.search(w, lo, start)
    if m:
        return _APPROX, m.start(1)
    m = _PREFIX_RE.search(w, lo, start)
    if m:
        return _PREFIX_KIND[re.sub(r"\s+", " ", m.group(1).lower())], m.start(1)
    return None, start


_CURRENCY_BEFORE_RE = re.compile(
    r"(?:(?<![A-Za-z])(US|A|C|NZ|HK|S|R)?(\$)|([€£¥₹₽₩₺₪₴])|\b("
    + "|".join(sorted(_CURRENCY_CODES))
    + r"))[ \u00a0]?$"
)


def _currency_before(w: str, start: int) -> tuple[str | None, int]:
    """A currency symbol or code right before ``start`` ("$", "US$", "€", "EUR ")."""
    m = _CURRENCY_BEFORE_RE.search(w, max(0, start - 5), start)
    if not m:
        return None, start
    if m.group(2):
        return _CURRENCY_SYMBOLS[(m.group(1) or "") + "$"], m.start()
    if m.group(3):
        return _CURRENCY_SYMBOLS[m.group(3)], m.start()
    return m.group(4), m.start()


# --------------------------------------------------------------------------------------------
# Context after the number: ranges, bounds, units
# --------------------------------------------------------------------------------------------

_PERCENT_RE = re.compile(
    r"[ \u00a0]?%(?:[ \u00a0]+points?\b)?"
    r"|(?:[ \u00a0]+|-)?(?:percent(?:age)?|per[ -]cent|pct)\b(?:[ \u00a0]+points?\b)?",
    re.IGNORECASE,
)
_CURRENCY_AFTER_RE = re.compile(
    r"[ \u00a0]+(" + "|".join(sorted(_CURRENCY_CODES)) + r"|pounds[ \u00a0]+sterling)\b"
)
_APPROX_AFTER_RE = re.compile(r"[ \u00a0]+or[ \u00a0]+so\b|[ \u00a0-]odd\b")
_LOWER_AFTER_RE = re.compile(
    r"\+|-plus\b|[ \u00a0]+(?:or|and)[ \u00a0]+(?:more|over|above|higher|up)\b"
)
_UPPER_AFTER_RE = re.compile(r"[ \u00a0]+or[ \u00a0]+(?:less|fewer|under|below|lower)\b")
_RANGE_JOIN_RE = re.compile(
    r"[ \u00a0]*[–—][ \u00a0]*|(?P<hyphen>-)(?=[$€£¥]?\d)|[ \u00a0]+(?P<word>to|and|or)[ \u00a0]+"
)
_RANGE_CURRENCY_RE = re.compile(r"US\$|[$€£¥₹₽]")
_NOUN_TOKEN_RE = re.compile(r"(?:[ \u00a0]+|-)([A-Za-z]+(?:['’][a-z]+)?)")
_ACRONYM_RE = re.compile(r"[A-Z]{2,}s?")


def _percent_after(w: str, end: int, unit: str | None) -> tuple[str | None, int]:
    """Unit "%" (or "percentage points") if a percent sign or word follows ``end``."""
    m = _PERCENT_RE.match(w, end)
    if not m or unit not in (None, "%", "percentage points"):
        return unit, end
    return ("percentage points" if "point" in m.group().lower() else "%"), m.end()


def _looks_like_year(num: _Number) -> bool:
    return num.plain and 1800 <= num.value <= 2100


@dataclass
class _RangeEnd:
    """The upper end of a range: its number, the unit written after it and where it ends."""

    number: _Number
    unit: str | None
    end: int
    tally: bool = False  # "voted 13-0": a score or vote count, not a range


def _range_end(
    w: str, num: _Number, unit: str | None, modifier: str | None, pos: int
) -> _RangeEnd | None:
    """The upper end of a range that starts with ``num`` (whose unit so far is ``unit``), as in
    "300-450", "300 to 450", "between 300 and 450", "two or three", "$2bn-$3bn", "12%-15%";
    None when no range follows."""
    m = _RANGE_JOIN_RE.match(w, pos)
    if not m:
        return None
    joiner = m.group("word")
    if joiner == "and" and modifier != _RANGE:
        return None
    if joiner is None and num.words:
        return None  # "twenty-five" is one number, not a range
    j = m.end()
    currency = None
    cm = _RANGE_CURRENCY_RE.match(w, j)
    if cm:
        currency = _CURRENCY_SYMBOLS[cm.group()]
        j = cm.end()
    if j >= len(w):
        return None
    if w[j].isdigit():
        other = _parse_digits(w, j)
    elif w[j].isalpha() and not w[j - 1].isalpha() and w[j] not in "aA":
        other = _parse_words(w, j)
    else:
        return None
    if other is None or (joiner == "or" and num.words != other.words):
        return None
    other_unit, end = _percent_after(w, other.end, other.unit or currency)
    # "12% to 15%" and "$2bn-3bn" are ranges; "rose 14% to $2.3 billion" is not.
    mismatch = other_unit is not None or unit in ("%", "percentage points")
    if unit is not None and other_unit != unit and mismatch:
        return None
    if _looks_like_year(num) and _looks_like_year(other):
        return None
    if other.value < _range_low(num, other):
        tally = joiner is None and num.plain and other.plain
        return _RangeEnd(other, other_unit, end, tally=True) if tally else None
    return _RangeEnd(other, other_unit, end)


def _range_low(low: _Number, high: _Number) -> Decimal:
    """The low end of a range, taking the high end's multiplier when only that one has it
    ("2.5 to 3 million", "two to three thousand", "$2-3bn")."""
    if low.factor == _ONE and high.factor != _ONE and low.value <= high.base:
        return low.value * high.factor
    return low.value


def _bound_after(
    w: str, end: int, approximate: bool, bound: str | None
) -> tuple[bool, str | None, int]:
    """Apply "or so", "-odd", "or more", "+", "-plus", "or fewer" after ``end``."""
    m = _APPROX_AFTER_RE.match(w, end)
    if m:
        approximate, end = True, m.end()
    m = _LOWER_AFTER_RE.match(w, end)
    if m:
        return approximate, _LOWER, m.end()
    m = _UPPER_AFTER_RE.match(w, end)
    if m:
        return approximate, _UPPER, m.end()
    return approximate, bound, end


_SINGULAR_MEN = {"specimen", "regimen", "abdomen", "omen", "acumen", "bitumen", "stamen", "lumen"}


def _is_plural(word: str) -> bool:
    if word in _INVARIANT or word in _PLURAL_OF_IRREGULAR:
        return True
    if word.endswith("men") and len(word) > 3 and word not in _SINGULAR_MEN:
        return True  # servicemen, fishermen
    return (
        len(word) > 2
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is", "ous"))
        and word not in _STOP
    )


def _is_modifier(token: str, word: str) -> bool:
    """Whether a singular word after a number reads as a modifier of the noun to come."""
    if word in _ADJECTIVES:
        return True
    if word in _NOT_ADJECTIVES:
        return False
    if token[0].isupper():
        return True  # Kestranian, Patriot
    if len(word) > 3 and word.endswith(("ed", "ing", "ly")) and not word.endswith("eed"):
        return True  # participles and adverbs: "armoured", "remaining", "newly", "died"
    return len(word) > 3 and word.endswith(_ADJECTIVE_SUFFIXES)


def pluralise(word: str) -> str:
    """The plural of a lower-case English noun (a small rule set, enough for counted nouns)."""
    if _is_plural(word):
        return word
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if word.endswith("man") and word not in _MAN_NOT_MEN:
        return word[:-3] + "men"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")) or word in _O_ES:
        return word + "es"
    return word + "s"


def _unit_of(word: str) -> str:
    unit = pluralise(word.lower())
    return _CANONICAL_UNITS.get(unit, unit)


_FRACTION = "fraction"
# First words of two-word units ("square kilometres", "basis points", "percentage points").
_COMPOUND_UNIT_HEADS = {"square", "cubic", "basis", "percentage", "nautical", "light", "man"}


def _counted_noun(w: str, pos: int) -> tuple[str | None, int, str]:
    """The unit or counted noun after ``pos`` (after up to three modifiers: "8,000 Kestranian
    troops", "40 tank shells"), where it ends and the word as written. The unit is
    ``_FRACTION`` for "two-thirds" and the like, None when no noun follows."""
    tokens: list[tuple[str, int]] = []
    i = pos
    while len(tokens) < 5:
        m = _NOUN_TOKEN_RE.match(w, i)
        if not m:
            break
        tokens.append((m.group(1), m.end(1)))
        i = m.end()
    modifiers = 0
    fallback = None
    for k, (token, end) in enumerate(tokens):
        word = token.lower()
        following = tokens[k + 1][0] if k + 1 < len(tokens) else ""
        if k == 0 and word in _FRACTIONS:
            return _FRACTION, end, word
        if token in _CURRENCY_CODES:
            return token, end, word
        acronym = _ACRONYM_RE.fullmatch(token) is not None
        if not acronym and (word in _STOP or word in _NUMBER_WORDS or word in _VERBS):
            break
        if word in _CURRENCY_WORDS or word in ("pound", "pounds", "franc", "francs"):
            plural = pluralise(word)
            qualifier = tokens[k - 1][0].lower() if k else ""
            code = _CURRENCY_QUALIFIERS.get((qualifier, plural)) or _CURRENCY_WORDS.get(word)
            return code or plural, end, word
        if acronym:
            if modifiers < 3 and following and following.lower() not in _STOP:
                modifiers += 1  # "40 US troops"
                continue
            return word, end, word  # "300 MW", "40 APCs"
        if token in _UNIT_ABBREVIATIONS and len(token) > 1:
            return word, end, word  # "120 mph", "300 km"
        if word in _COMPOUND_UNIT_HEADS and _is_plural(following.lower()):
            return f"{word} {following.lower()}", tokens[k + 1][1], following.lower()
        if _is_plural(word):
            return _unit_of(word), end, word
        if modifiers < 3 and _is_modifier(token, word):
            modifiers += 1
            if token[0].isupper() and not word.endswith(_ADJECTIVE_SUFFIXES):
                fallback = (word, end)
            continue
        if modifiers < 3 and _is_plural(following.lower()) and following.lower() not in _VERBS:
            modifiers += 1  # a noun used as a modifier: "40 tank shells"
            continue
        return _unit_of(word), end, word
    if fallback:
        return _unit_of(fallback[0]), fallback[1], fallback[0]
    return None, pos, ""


def _is_year(w: str, num: _Number, modifier: str | None, noun: str) -> bool:
    """A bare four-digit number from 1800 to 2100 is a year when a year word precedes it
    ("in", "since", "the", a month), or when neither a bound/approximation precedes it nor a
    plural counted noun follows it ("2026 elections" is still read as a count)."""
    if not _looks_like_year(num) or len(str(num.base)) != 4:
        return False
    prev = _prev_token(w, num.start)
    prev_word = prev[0].lower().rstrip(".,") if prev else ""
    if prev_word in _YEAR_CONTEXT or prev_word in _MONTH_NAMES:
        return True
    if modifier in (_APPROX, _NEARLY, _LOWER, _UPPER):
        return False
    return not _is_plural(noun)


_SECOND_YEAR_RE = re.compile(
    r"(?:\s*[-–—/]\s*|\s+(?:to|and|or|through)\s+)(?:1[89]\d\d|20\d\d|\d\d)\b"
)


def _skip_year_range(w: str, pos: int) -> int:
    """Skip a second year joined to the one ending at ``pos`` ("2020-2024", "2025-26")."""
    found = _SECOND_YEAR_RE.match(w, pos)
    return found.end() if found else pos


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def _as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _read_quantity(text: str, w: str, pos: int) -> tuple[Quantity | None, int]:
    """Read the quantity whose number starts at ``pos`` in the blanked text ``w``; return it
    (or None when the number is not a quantity) and the offset to resume scanning at."""
    num = _parse_number(w, pos)
    if num is None:
        return None, pos + 1
    if _in_name(w, num):
        return None, num.end

    currency, start = _currency_before(w, num.start)
    if num.m_suffix and currency is None:
        _, _, noun = _counted_noun(w, num.end)
        if noun and not _is_plural(noun):  # "a 5m wall" is five metres
            num = replace(num, value=num.base, factor=_ONE, unit="m")
    modifier, modifier_start = _modifier_before(w, start)
    unit = num.unit or currency
    unit, end = _percent_after(w, num.end, unit)

    value: Decimal | None = num.value
    low: Decimal | None = num.value
    high: Decimal | None = num.value
    upper = None if num.bare_one else _range_end(w, num, unit, modifier, end)
    if upper is not None and upper.tally:
        return None, upper.end
    if upper is not None:
        value, low, high = None, _range_low(num, upper.number), upper.number.value
        unit, end = unit or upper.unit, upper.end
    is_range = upper is not None

    approximate = modifier in (_APPROX, _NEARLY)
    bound = modifier if modifier in (_NEARLY, _LOWER, _UPPER) else None
    if not is_range:
        approximate, bound, end = _bound_after(w, end, approximate, bound)

    noun = ""
    if unit is None:
        m = _CURRENCY_AFTER_RE.match(w, end)
        if m:
            unit = "GBP" if m.group(1).lower().startswith("pounds") else m.group(1)
            end = m.end()
    if unit is None:
        unit, noun_end, noun = _counted_noun(w, end)
        if unit == _FRACTION:
            return None, num.end
        if unit is not None:
            end = noun_end
            if not is_range:
                approximate, bound, end = _bound_after(w, end, approximate, bound)
        if not is_range and _is_year(w, num, modifier, noun):
            return None, _skip_year_range(w, num.end)
    if num.bare_one:
        prev = _prev_token(w, num.start)
        if unit is None or (prev and prev[0].lower() in _ONE_DETERMINERS):
            return None, num.end

    if modifier is not None and (modifier != _RANGE or is_range):
        start = modifier_start
    if not is_range and bound == _LOWER:
        low, high = num.value, None
    elif not is_range and bound in (_UPPER, _NEARLY):
        low, high = None, num.value

    quantity = Quantity(
        value=_as_float(value),
        low=_as_float(low),
        high=_as_float(high),
        unit=unit,
        approximate=approximate,
        start=start,
        end=end,
        text=text[start:end],
    )
    return quantity, end


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity stated in ``text``, in order, with character offsets into ``text``.

    Dates, years, times of day, phone numbers, ordinals and numbers that belong to a name are
    left out; see the module docstring for the forms understood."""
    w = _blank_non_quantities(text)
    found: list[Quantity] = []
    pos = 0
    while (m := _CANDIDATE_RE.search(w, pos)) is not None:
        quantity, resume = _read_quantity(text, w, m.start())
        if quantity is not None:
            found.append(quantity)
        pos = max(resume, m.start() + 1)
    return found


def main_quantity(text: str) -> Quantity | None:
    """The most salient quantity of a claim: the first with a unit or counted noun, else the
    first quantity, else None."""
    quantities = find_quantities(text)
    with_unit = [q for q in quantities if q.unit is not None]
    return (with_unit or quantities or [None])[0]
