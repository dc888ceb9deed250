"""What extraction produces. Offsets are character offsets into the article text
(``text[start:end] == span text``)."""

from __future__ import annotations

from dataclasses import dataclass, field

ATTRIBUTION_KINDS = ("direct_quote", "indirect", "according_to", "unattributed")
SOURCE_KINDS = ("person", "organization", "group", "anonymous")
SOURCE_TYPES = (
    "government", "military", "intelligence", "media", "expert", "international_org",
    "civil_society", "business", "unknown",
)  # fmt: skip


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Quantity:
    """A number in a claim. `value` is the number as stated (None for a pure range); `low` and
    `high` are the bounds it implies (None when open); `unit` is the unit or counted noun in
    plural lower case ("troops", "tonnes", "%", "USD"); `approximate` is true for "about",
    "around", "nearly", "some", "roughly", "an estimated" ... and for round numbers written with
    "more than"/"up to" style bounds only when the text says so."""

    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    approximate: bool
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class SourceDescription:
    """Who a claim is attributed to, as far as the text tells."""

    kind: str  # person | organization | group | anonymous
    type: str  # one of SOURCE_TYPES
    affiliation: str  # ISO 3166 alpha-2 code, a bloc (NATO, EU, UN, ...), or "unknown"
    role: str | None = None  # "Defence Minister", "spokesperson", ...


@dataclass
class ClaimMention:
    content: Span
    attribution_kind: str  # one of ATTRIBUTION_KINDS
    source: Span | None = None  # the source as written in this sentence ("He", "Halloran", ...)
    cue: Span | None = None  # the reporting verb or "according to"
    source_name: str | None = None  # resolved ("Marek Halloran")
    source_description: SourceDescription | None = None
    quantity: Quantity | None = None
    hedges: list[str] = field(default_factory=list)
    is_denial: bool = False
    is_explicitly_unverified: bool = False
    chain: list[str] = field(default_factory=list)  # nested attribution, outermost first
    sentence_index: int | None = None
    # Parts of one quotation interrupted by its attribution ('"A," she said. "B."') share a
    # group number; each part is its own mention.
    quote_group: int | None = None
    # lemma of the content's main word ("crossed" -> "cross"): tells apart claims about the
    # same actors that assert different things (troops crossed vs troops massed)
    predicate: str | None = None
    # the content asserts the negation of its proposition ("No warship is blockading the
    # port", "Troops have not crossed"): such a mention disputes the positive claim
    is_negated: bool = False
    # "assertion" for a claim; "directive", "commissive", "evaluative" or "withheld" for an
    # attribution that puts forward no claim ("urged residents to stay indoors", "praised the
    # troops", "declined to confirm the account")
    speech_act: str = "assertion"

    @property
    def is_claim(self) -> bool:
        return self.speech_act == "assertion"

    @property
    def is_hedged(self) -> bool:
        return bool(self.hedges)
