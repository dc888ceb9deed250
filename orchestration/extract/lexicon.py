"""Word lists the extractor's rules use: reporting verbs, hedges, denials, verification notes.

Kept apart from the rules so they can be reviewed (and extended) as data."""

from __future__ import annotations

import re

# Lemmas of verbs that report speech, writing, thought or a stance towards a proposition.
REPORTING_VERBS = frozenset(
    """
    say tell warn claim state accuse confirm deny estimate describe add announce report insist
    argue note explain write suggest believe think acknowledge admit allege assert caution contend
    declare emphasize emphasise indicate maintain predict promise reply respond reiterate stress
    testify vow dismiss reject concede complain conclude disclose reveal recall remark observe
    find expect fear know agree charge boast counter forecast guarantee hint imply inform mention
    object pledge propose protest reckon recommend repeat speculate swear threaten tweet post
    assure brief calculate cite comment convince decide demand detail doubt feel figure guess
    hear hope imagine learn assume consider contest question rule show signal suspect understand
    urge want worry insinuate lament joke quip acknowledge affirm announce allow caution clarify
    concur confide credit disagree dispute echo grant highlight lie muse notify plead presume
    proclaim prove read recount rebut refute relate remind reassure recognize recognise rebuff
    retort scoff shout stipulate summarize summarise surmise theorize theorise wonder admit
    ask support oppose praise criticize criticise endorse condemn blame welcome defend applaud
    slam tout decline refuse plan intend seek vow call see back express answer deem point speak
    talk discuss portray challenge bash raise share
    """.split()
)
# Reporting verbs whose direct object is the addressee, never the content.
ADDRESSEE_VERBS = frozenset("tell ask inform brief remind notify urge assure reassure".split())
# Verbs whose content can follow a preposition: "warned of X", "spoke about X".
PREP_CONTENT = {"about", "of", "against", "for"}
# Verbs whose content can be an infinitive complement: "wanted to attend", "urged Congress to
# act", "declined to comment on ...".
XCOMP_CONTENT_VERBS = frozenset(
    """
    want decline refuse promise vow pledge threaten plan hope urge call ask expect intend seek
    agree offer demand vow
    """.split()
)
# Reporting verbs whose direct object (not only a clause) can be the content:
# "denied any crossing", "confirmed the figure", "rejected the reports".
NP_CONTENT_VERBS = frozenset(
    """
    deny confirm reject dismiss announce report estimate describe acknowledge admit allege
    dispute rebut refute predict forecast promise pledge vow threaten reveal disclose rule
    question doubt contest claim propose recommend demand support oppose praise criticize
    criticise endorse condemn blame welcome defend applaud slam tout
    """.split()
)
# Speech acts that put forward no claim: requests ("urged residents to stay indoors"),
# commitments ("pledged their support"), evaluations ("praised the troops"). An attribution
# with one of these cues is kept (it is an attribution) but is not a claim mention; the
# sentence itself may still be the outlet's own claim that the request was made.
NON_ASSERTIVE_VERBS = {
    **dict.fromkeys(
        "ask urge demand appeal plead request invite instruct order".split(), "directive"
    ),
    **dict.fromkeys(
        "pledge promise vow plan intend seek want hope offer refuse decline threaten".split(),
        "commissive",
    ),
    **dict.fromkeys(
        """praise criticize criticise condemn blame welcome applaud slam tout support oppose
        endorse defend back""".split(),
        "evaluative",
    ),
}
# Verbs that commit or request when their content is an infinitive ("agreed to open a
# corridor", "called for peace") and assert otherwise ("agreed that the talks had failed").
NON_ASSERTIVE_WITH_INFINITIVE = {"agree": "commissive", "decide": "commissive", "call": "directive"}
SPEECH_ACTS = ("assertion", "directive", "commissive", "evaluative", "withheld")
DENIAL_VERBS = frozenset(
    "deny reject dismiss refute rebut rebuff dispute contradict disown".split()
)
# Nouns that report when they govern a clause: "the ministry's claim that ...".
REPORTING_NOUNS = frozenset(
    "claim statement assertion allegation accusation assessment estimate report warning "
    "announcement denial insistence belief argument view suggestion".split()
)
SPEECH_PREPOSITIONS = ("according to",)

HEDGE_WORDS = (
    "reportedly", "allegedly", "apparently", "purportedly", "supposedly", "possibly", "perhaps",
    "probably", "likely", "unlikely", "may", "might", "could", "unconfirmed", "unverified",
    "suspected", "believed to", "thought to", "said to be", "appears to", "appeared to",
    "seems to", "seemed to", "it is possible", "rumoured", "rumored",
)  # fmt: skip
HEDGE_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(w) for w in sorted(HEDGE_WORDS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
DENIAL_PATTERN = re.compile(
    r"""\b(
        no\ evidence | not\ a\ single | never\ happened | did\ not\ happen | baseless |
        groundless | unfounded | fabricat\w* | fake(?:\ news)? | false(?:hood)? | lies? |
        nonsense | propaganda | disinformation | misinformation | categorically |
        there\ (?:is|was|were|are)\ no | no\ such |
        exaggerat\w* | overstat\w* | inflat(?:ed|ing)\ (?:the\ )?(?:figures?|numbers?|toll|count)
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
UNVERIFIED_PATTERN = re.compile(
    r"""\b(
        (?:could|can|cannot|can't|could\ not|was\ unable\ to|were\ unable\ to|is\ unable\ to|
           are\ unable\ to|has\ been\ unable\ to|have\ been\ unable\ to|unable\ to)
           \s+(?:be\s+)?(?:independently\s+)?(?:verif\w*|confirm\w*|corroborat\w*) |
        not\ (?:been\ )?(?:independently\ )?(?:verified|confirmed|corroborated) |
        (?:no|without)\ independent\ (?:verification|confirmation|corroboration) |
        without\ (?:providing|offering|giving|citing|presenting)\ (?:any\ )?evidence |
        (?:offered|provided|gave|presented|cited)\ no\ evidence |
        not\ possible\ to\ (?:independently\ )?(?:verify|confirm|corroborate) |
        unverified | unconfirmed | not\ independently\ verifiable |
        could\ not\ independently\ (?:verify|confirm|corroborate)
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
# Determiners and words that mark an unnamed source ("officials familiar with ...").
ANONYMOUS_HEADS = frozenset(
    """
    official officials source sources diplomat diplomats person people insider insiders aide
    aides officer officers analyst analysts observer observers resident residents witness
    witnesses expert experts
    """.split()
)

# A dateline opening wire copy: "BRUSSELS (Reuters) -", "HALVIK, March 4 (CPA) -",
# "KYIV, Ukraine (AP) —". It is not part of any sentence's grammar.
DATELINE_PREFIX = re.compile(
    r"[A-Z][A-Z'’.-]+(?:[ ][A-Z][A-Z'’.-]+)*"  # BRUSSELS, PORT CELAN, KYIV
    r"(?:,[ ][A-Z][A-Za-z.]+(?:[ ][A-Za-z.]+)?(?:[ ]\d{1,2})?)?"  # , Ukraine / , March 4
    r"[ ]*(?:\([^)\n]{1,40}\))?[ ]*[-–—]+[ ]*"  # (Reuters) -
)
