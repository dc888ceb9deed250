"""Who is a claim attributed to? Describe a source span ("Defence Minister Marek Halloran", "the
Norlandic Intelligence Service", "officials familiar with the assessment") as a
:class:`SourceDescription`: kind, type, affiliation and role.

Pure Python over the data in ``data/gazetteer.yml`` (loaded once, lazily): no spaCy needed. A spaCy
entity label may be passed as a hint for names the rules cannot place.

How a span is read
------------------
The span is split into word tokens and matched, longest first, against the gazetteer (states and
their adjectives, capitals and seats of power, blocs, named bodies, known people) and the lexicon
(role words, institution words, words for people and for documents). The matched phrase is then
read like a noun phrase:

* parts: comma/parenthesis-separated parts describe the same source ("Lidia Marchetti, the
  Kestranian foreign ministry spokeswoman", "the port operator, Sant'Aura Container Terminals
  (SACT)"); each part has a determiner, a head segment (up to the first preposition), an owner
  (what precedes a possessive: "Kestrania's foreign ministry") and prepositional phrases;
* a personal name is a trailing run of capitalised words in the head segment that the lexicon
  and gazetteer do not explain (or a known person); what precedes it is the title;
* the head is the last word of the head segment. Its class decides the kind (an institution word
  or a named body/state: organization; a singular role or person word: person; a plural one:
  group; a document word: its author, or anonymous when none is named). An unnamed source is
  anonymous when the phrase says so ("familiar with", "who asked not to be named", "sources",
  "diplomats") or its head is an unidentifying word ("a senior official", "one of the officials",
  "the officials"); plural officials with a country attached are a group ("Maristani officials").
* type: a specific head decides ("minister" government, "analyst" expert, "firm" business); a
  generic head ("spokesperson", "director", "office") takes the type of the institution attached
  to it, by modifier ("army spokesman"), owner ("the authority's director") or preposition ("a
  spokesman for the operator"), and falls back to its default; an occupational role attached to a
  state institution takes the institution's type ("CIA analyst": intelligence).
* affiliation: the head entity's, else the nearest state/bloc/body in the modifiers, the owner,
  then "of/at/with/from/for" phrases ("in <place>" only for groups).

Context (the sentence or paragraph around the span) adds what the span leaves out: a title
written before the span ("Aurelian energy minister Clara Moretti"), an appositive after it
("Dr. Helen Okafor, a military analyst at ..."), anonymity clauses ("The official, who spoke on
condition of anonymity"), "Kestrania, whose foreign ministry", a dateline or an opening "In
Drevnik," for unqualified state institutions ("the foreign ministry"), and definite descriptions
naming a body in the context ("the committee" after "the International Committee for ...").
A pronoun ("He", "she") is a person of unknown type and affiliation: resolving it is coreference,
not description.

Conventions for ``split_role_and_name`` and ``SourceDescription.role``
--------------------------------------------------------------------
* the role is the title as written, without determiners, without a leading state marker (the
  affiliation carries it: "Valdoria's Defence Minister" -> "Defence Minister", "Kestranian foreign
  ministry spokeswoman" -> "foreign ministry spokeswoman") and without courtesy titles ("Dr.",
  "Mr", "Sheikh": neither role nor name, dropped from both);
* a military rank abbreviation is the role when it is the only title ("Gen. Anton Kessel" ->
  ("Gen.", "Anton Kessel")); after a functional title it is dropped ("Army spokesman Col. Viktor
  Lenz" -> ("Army spokesman", "Viktor Lenz"));
* an appositive is the role when it describes a person ("Sigrun Aaland, head of the NIS" ->
  ("head of the NIS", "Sigrun Aaland")); a prepositional phrase naming the employer or a place
  ("at ...", "with ...", "in ...", "from ...") is cut from it;
* ``split_role_and_name`` only splits personal names: for anything else it returns
  (None, the span stripped);
* ``SourceDescription.role`` is set for persons only (None for organizations, groups and
  anonymous sources, as in the gold files).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from orchestration.extract.models import SOURCE_TYPES, SourceDescription

GAZETTEER_PATH = Path(__file__).parent / "data" / "gazetteer.yml"
UNKNOWN = "unknown"

_STATE_TYPES = frozenset({"government", "military", "intelligence", "international_org"})
_NATIONAL_TYPES = frozenset({"government", "military", "intelligence"})
# entities that, leading a title, only say whose it is ("Valdoria's", "Ukrainian", "U.S.")
_STATE_MARKERS = ("country", "adjective", "capital", "city")

_PRONOUNS = {
    "he": "person", "she": "person", "him": "person", "her": "person", "i": "person",
    "they": "group", "them": "group", "we": "group", "it": "organization",
}  # fmt: skip

_DEF_DETERMINERS = frozenset(
    {"the", "this", "that", "these", "those", "its", "their", "his", "her", "our", "whose"}
)
_INDEF_DETERMINERS = frozenset(
    {"a", "an", "another", "some", "several", "many", "few", "other", "various", "numerous",
     "certain", "multiple", "most", "all", "any", "each", "senior-most"}
)  # fmt: skip
_NUMBER_WORDS = frozenset(
    {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
     "twelve", "dozen", "dozens", "hundreds", "thousands", "scores", "both", "couple", "pair"}
)  # fmt: skip
_PREPOSITIONS = frozenset(
    {"of", "for", "at", "in", "with", "from", "to", "on", "by", "near", "inside", "within",
     "across", "among", "under", "representing", "over", "about", "after", "during", "into",
     "around", "outside", "between", "behind", "against", "via", "than", "like", "since"}
)  # fmt: skip
# words that open a clause or participle phrase: nothing after them describes the source
_CLAUSE_WORDS = frozenset(
    {"who", "which", "that", "whose", "whom", "familiar", "involved", "briefed", "close",
     "speaking", "citing", "according", "aware", "knowledgeable", "responsible", "working",
     "said", "says", "told", "added", "reported", "and", "or", "but", "as", "while", "when",
     "where", "if", "because", "although", "though", "who'd", "quoted"}
)  # fmt: skip
# prepositions whose object tells whom the head belongs to
_BELONGING_PREPS = frozenset({"of", "at", "with", "from"})
# institutions located abroad: "in <place>" does not tell whose they are
_DIPLOMATIC_POSTS = frozenset({"embassy", "consulate", "mission", "delegation", "office", "bureau"})
# stop words when walking back from a name through the words before it in the context
_WALK_STOP = _PREPOSITIONS - {"of"} | _CLAUSE_WORDS | frozenset(
    {"is", "was", "are", "were", "be", "been", "has", "had", "have", "also", "again", "then",
     "not", "now", "later", "earlier", "yesterday", "today", "on", "last", "this", "next"}
)  # fmt: skip
_DASHED_SUFFIXES = (
    "run", "backed", "led", "based", "owned", "controlled", "linked", "aligned", "allied",
    "affiliated", "funded", "installed", "appointed", "held", "occupied", "sponsored",
)  # fmt: skip
_IRREGULAR_PLURALS = {
    "people": "person", "men": "man", "women": "woman", "children": "child",
    "analyses": "analysis", "crises": "crisis", "bases": "base", "chiefs": "chief",
    "staff": "staff", "police": "police", "media": "media", "news": "news", "data": "data",
    "series": "series", "species": "species", "headquarters": "headquarters",
    "economics": "economics", "politics": "politics", "marines": "marines", "crew": "crew",
    "forces": "force", "services": "service", "authorities": "authority",
}  # fmt: skip
# plural words that still name one organisation ("the authorities said", "security forces")
_COLLECTIVE_ORGS = frozenset({"authority", "force", "service", "police", "marines", "media"})
_SPACY_KINDS = {
    "PERSON": "person", "PER": "person", "ORG": "organization", "GPE": "organization",
    "NORP": "group", "FAC": "organization", "LOC": "organization",
}  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Text: normalisation, tokens, lemmas
# ---------------------------------------------------------------------------------------------


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return (
        text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
        .replace("\u201d", '"').replace("\u2013", "-").replace("\u2014", "-")
        .replace("\u00a0", " ")
    )  # fmt: skip


_TOKEN_RE = re.compile(r"[^\W_](?:\w|[.'&/-](?=[^\W_]))*\.?|[^\w\s]", re.UNICODE)
_INITIAL_RE = re.compile(r"^[A-Z]\.$")


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int
    end: int

    @functools.cached_property
    def low(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum() or self.text.startswith("-") and len(self.text) > 1

    @property
    def capitalized(self) -> bool:
        return self.text[0].isupper()


@functools.lru_cache(maxsize=65536)
def _singular(word: str) -> str:
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if not word.replace("-", "").replace("'", "").isalpha() or len(word) <= 3:
        return word
    if word.endswith("men") and len(word) > 5:
        return word[:-3] + "man"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")):
        return word[:-1]
    return word


def _lemma(tok: _Tok) -> str:
    return _singular(tok.low)


def _is_plural(tok: _Tok) -> bool:
    low = tok.low
    if low in ("people", "staff", "crew", "police"):
        return low != "police"
    return _singular(low) != low


def _tokenize(text: str, abbreviations: frozenset[str]) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in _TOKEN_RE.finditer(text):
        word, start, end = m.group(0), m.start(), m.end()
        if (
            len(word) > 1
            and word.endswith(".")
            and word.lower() not in abbreviations
            and not _INITIAL_RE.match(word)
            and "." not in word[:-1]
        ):
            toks.append(_Tok(word[:-1], start, end - 1))
            toks.append(_Tok(".", end - 1, end))
            continue
        if word.endswith("'s") and len(word) > 2:
            toks.append(_Tok(word[:-2], start, end - 2))
            toks.append(_Tok("'s", end - 2, end))
            continue
        dash = word.rfind("-")
        if dash > 0 and word[dash + 1 :].lower() in _DASHED_SUFFIXES:
            toks.append(_Tok(word[:dash], start, start + dash))
            toks.append(_Tok(word[dash:], start + dash, end))
            continue
        toks.append(_Tok(word, start, end))
    return toks


# ---------------------------------------------------------------------------------------------
# The gazetteer
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entity:
    kind: str  # country | capital | metonym | city | adjective | bloc | body | person
    affiliation: str
    type: str
    name: str


@dataclass(frozen=True)
class _Lex:
    # role | generic_role | institution | generic_institution | people | document | type_word
    cls: str
    type: str
    key: tuple[str, ...]


_ENTITY_RANK = {
    "person": 0, "body": 1, "bloc": 2, "metonym": 3, "country": 4, "capital": 5, "city": 6,
    "adjective": 7,
}  # fmt: skip


@dataclass
class _Gazetteer:
    abbreviations: frozenset[str]
    entities: dict[tuple[str, ...], list[tuple[tuple[str, ...], _Entity]]]
    lexicon: dict[tuple[str, ...], _Lex]
    surnames: dict[str, list[_Entity]]
    places: dict[str, _Entity]  # lower-case capital/city/metonym/country name -> entity
    honorifics: frozenset[str]
    particles: frozenset[str]
    name_suffixes: frozenset[str]
    org_suffixes: dict[str, str]
    anon_phrases: tuple[str, ...]
    anon_clauses: tuple[str, ...]
    unidentifying: frozenset[str]
    unidentifying_plural: frozenset[str]
    always_anonymous: frozenset[str]
    on_record: frozenset[str]
    max_entity_len: int = 1
    max_lex_len: int = 1

    def add_entity(self, alias: str, entity: _Entity) -> None:
        toks = tuple(t.text for t in _tokenize(_normalize(alias), self.abbreviations))
        if not toks:
            return
        key = tuple(t.lower() for t in toks)
        bucket = self.entities.setdefault(key, [])
        if all(existing[1] != entity for existing in bucket):
            bucket.append((toks, entity))
            bucket.sort(key=lambda item: _ENTITY_RANK[item[1].kind])
        self.max_entity_len = max(self.max_entity_len, len(toks))

    def add_lex(self, words: str, cls: str, type_: str) -> None:
        toks = [t for t in _tokenize(_normalize(words), self.abbreviations) if t.text != "'"]
        key = tuple(_lemma(t) for t in toks)
        if key and key not in self.lexicon:
            self.lexicon[key] = _Lex(cls, type_, key)
            self.max_lex_len = max(self.max_lex_len, len(key))

    def match_entity(self, toks: list[_Tok]) -> _Entity | None:
        key = tuple(t.low for t in toks)
        for alias, entity in self.entities.get(key, ()):
            if all(_case_ok(a, t.text) for a, t in zip(alias, toks, strict=True)):
                return entity
        if len(toks) == 1 and key[0].endswith("s"):  # "Americans" -> "American"
            for alias, entity in self.entities.get((key[0][:-1],), ()):
                if entity.kind == "adjective" and _case_ok(alias[0], toks[0].text[:-1]):
                    return entity
        return None


def _case_ok(alias: str, text: str) -> bool:
    if sum(c.isupper() for c in alias) >= 2:
        return alias == text
    if alias[:1].isupper():
        return text[:1].isupper()
    return True


@functools.cache
def _gazetteer() -> _Gazetteer:
    data = yaml.safe_load(GAZETTEER_PATH.read_text(encoding="utf-8"))
    lexicon = data["lexicon"]
    anonymous = data["anonymous"]

    raw_words: list[str] = []
    for section in ("roles", "generic_roles", "institutions"):
        for words in lexicon[section].values():
            raw_words.extend(words)
    raw_words += data["honorifics"] + data["name_suffixes"] + data["name_particles"]
    abbreviations = {w.lower() for phrase in raw_words for w in phrase.split() if w.endswith(".")}
    for entry in data["bodies"] + data["countries"] + data["blocs"]:
        for alias in entry.get("names", []) + entry.get("adjectives", []):
            abbreviations.update(w.lower() for w in str(alias).split() if w.endswith("."))

    gaz = _Gazetteer(
        abbreviations=frozenset(abbreviations),
        entities={},
        lexicon={},
        surnames={},
        places={},
        honorifics=frozenset(h.lower() for h in data["honorifics"]),
        particles=frozenset(p.lower() for p in data["name_particles"]),
        name_suffixes=frozenset(s.lower() for s in data["name_suffixes"]),
        org_suffixes={w: t for t, words in data["organisation_suffixes"].items() for w in words},
        anon_phrases=tuple(p.lower() for p in anonymous["phrases"]),
        anon_clauses=tuple(p.lower() for p in anonymous["clauses"]),
        unidentifying=frozenset(anonymous["unidentifying"]),
        unidentifying_plural=frozenset(anonymous["unidentifying_plural"]),
        always_anonymous=frozenset(anonymous["always"]),
        on_record=frozenset(anonymous["on_record"]),
    )

    for country in data["countries"]:
        code = str(country["code"])
        names = [str(n) for n in country.get("names", [])]
        for name in names:
            gaz.add_entity(name, _Entity("country", code, "government", names[0]))
        for adj in country.get("adjectives", []):
            gaz.add_entity(str(adj), _Entity("adjective", code, "government", names[0]))
        for cap in country.get("capitals", []):
            gaz.add_entity(str(cap), _Entity("capital", code, "government", str(cap)))
        for metonym, type_ in (country.get("metonyms") or {}).items():
            gaz.add_entity(str(metonym), _Entity("metonym", code, type_, str(metonym)))
        for city in country.get("cities", []):
            gaz.add_entity(str(city), _Entity("city", code, "government", str(city)))
    for bloc in data["blocs"]:
        code = str(bloc["code"])
        names = [str(n) for n in bloc["names"]]
        for name in names:
            gaz.add_entity(name, _Entity("bloc", code, "international_org", names[0]))
        for adj in bloc.get("adjectives", []):
            gaz.add_entity(str(adj), _Entity("bloc", code, "international_org", names[0]))
    for body in data["bodies"]:
        names = [str(n) for n in body["names"]]
        for name in names:
            gaz.add_entity(name, _Entity("body", str(body["affiliation"]), body["type"], name))
    for person in data["people"]:
        entity = _Entity("person", str(person["affiliation"]), person["type"], person["name"])
        for name in [person["name"], *person.get("aliases", [])]:
            gaz.add_entity(name, entity)
            gaz.surnames.setdefault(name.split()[-1], []).append(entity)
    for key, bucket in gaz.entities.items():
        for _, entity in bucket:
            if entity.kind in ("capital", "city", "metonym", "country"):
                gaz.places.setdefault(" ".join(key), entity)

    for type_, words in lexicon["roles"].items():
        for w in words:
            gaz.add_lex(w, "role", type_)
    for type_, words in lexicon["generic_roles"].items():
        for w in words:
            gaz.add_lex(w, "generic_role", type_)
    for type_, words in lexicon["institutions"].items():
        cls = "generic_institution" if type_ == UNKNOWN else "institution"
        for w in words:
            gaz.add_lex(w, cls, type_)
    for w in lexicon["documents"]:
        gaz.add_lex(w, "document", UNKNOWN)
    for w in lexicon["people"]:
        gaz.add_lex(w, "people", UNKNOWN)
    for type_, words in lexicon["type_words"].items():
        for w in words:
            gaz.add_lex(w, "type_word", type_)

    bad = {lex.type for lex in gaz.lexicon.values()} - set(SOURCE_TYPES)
    bad |= {e.type for b in gaz.entities.values() for _, e in b} - set(SOURCE_TYPES)
    if bad:
        raise ValueError(f"gazetteer.yml uses unknown source types: {sorted(bad)}")
    return gaz


# ---------------------------------------------------------------------------------------------
# Chunks and parts
# ---------------------------------------------------------------------------------------------


@dataclass
class _Chunk:
    toks: list[_Tok]
    entity: _Entity | None = None
    lex: _Lex | None = None
    punct: bool = False
    poss: bool = False

    @property
    def start(self) -> int:
        return self.toks[0].start

    @property
    def end(self) -> int:
        return self.toks[-1].end

    @property
    def low(self) -> str:
        return " ".join(t.low for t in self.toks)

    @property
    def last(self) -> _Tok:
        return self.toks[-1]

    @property
    def plural(self) -> bool:
        return _is_plural(self.last)

    @property
    def plain(self) -> bool:
        return not (self.entity or self.lex or self.punct or self.poss)

    @property
    def lex_cls(self) -> str | None:
        return self.lex.cls if self.lex else None


def _chunk(toks: list[_Tok], gaz: _Gazetteer) -> list[_Chunk]:
    out: list[_Chunk] = []
    i, n = 0, len(toks)
    while i < n:
        tok = toks[i]
        if tok.text in ("'s", "'") and out and not out[-1].punct:
            out.append(_Chunk([tok], poss=True))
            i += 1
            continue
        if not tok.is_word:
            out.append(_Chunk([tok], punct=True))
            i += 1
            continue
        best: _Chunk | None = None
        for length in range(min(gaz.max_entity_len, n - i), 0, -1):
            entity = gaz.match_entity(toks[i : i + length])
            if entity:
                best = _Chunk(toks[i : i + length], entity=entity)
                break
        span = 0
        words: list[_Tok] = []
        j = i
        while j < n and len(words) < gaz.max_lex_len:  # lexicon: skip plural possessive marks
            if toks[j].text == "'" and words:
                j += 1
                continue
            if not toks[j].is_word:
                break
            words.append(toks[j])
            j += 1
            key = tuple(_lemma(t) for t in words)
            if key in gaz.lexicon and (best is None or j - i > len(best.toks)):
                span, lex = j - i, gaz.lexicon[key]
        if span:
            best = _Chunk(toks[i : i + span], lex=lex)
        out.append(best or _Chunk([tok]))
        i += len(out[-1].toks)
    return out


@dataclass
class _Part:
    """One comma-separated part of a phrase: determiner, head segment, owner, preposition phrases
    and, when there is one, a personal name and the title before it."""

    chunks: list[_Chunk]
    det: str | None = None  # def | indef | count
    head: list[_Chunk] = field(default_factory=list)  # head segment after the owner
    owner: list[_Chunk] = field(default_factory=list)
    pps: list[tuple[str, list[_Chunk]]] = field(default_factory=list)
    name: list[_Chunk] = field(default_factory=list)
    title: list[_Chunk] = field(default_factory=list)
    clause: bool = False  # a clause was cut off the end

    def all_chunks(self) -> list[_Chunk]:
        return self.owner + self.head + [c for _, pp in self.pps for c in pp]


def _parse_part(chunks: list[_Chunk], gaz: _Gazetteer) -> _Part:
    part = _Part(chunks)
    rest = list(chunks)
    # determiners and quantifiers: "the", "a", "one of the", "two", "some of the"
    while rest and rest[0].plain:
        low = rest[0].low
        if low in _DEF_DETERMINERS:
            part.det = part.det or "def"
        elif low in _INDEF_DETERMINERS:
            part.det = "indef" if part.det != "count" else part.det
        elif low in _NUMBER_WORDS or low.replace(",", "").isdigit():
            part.det = "count"
        elif low == "of" and part.det:
            pass
        else:
            break
        rest.pop(0)
    # a clause ends the description
    for k, c in enumerate(rest):
        if k and c.plain and c.low in _CLAUSE_WORDS:
            rest, part.clause = rest[:k], True
            break
    # prepositions
    segments: list[tuple[str, list[_Chunk]]] = [("", [])]
    for c in rest:
        if c.plain and c.low in _PREPOSITIONS and segments[-1][1]:
            segments.append((c.low, []))
        else:
            segments[-1][1].append(c)
    head = segments[0][1]
    part.pps = [(p, _strip_dets(cs)) for p, cs in segments[1:] if cs]
    # owner
    poss = [k for k, c in enumerate(head) if c.poss]
    if poss:
        k = poss[-1]
        part.owner, head = _strip_dets(head[:k]), head[k + 1 :]
    part.head = head
    part.name, part.title = _find_name(head, part.det, gaz)
    return part


def _strip_dets(chunks: list[_Chunk]) -> list[_Chunk]:
    k = 0
    while k < len(chunks) and chunks[k].plain and chunks[k].low in _DEF_DETERMINERS | {"a", "an"}:
        k += 1
    return chunks[k:]


def _name_like(c: _Chunk, gaz: _Gazetteer) -> bool:
    if c.entity is not None:  # "Jordan Bardella", "Caroline Wagner"
        return len(c.toks) == 1 and c.last.capitalized and c.entity.kind != "person"
    if not c.plain:
        return False
    text = c.last.text
    low = c.low
    if low in gaz.honorifics:
        return False
    if _INITIAL_RE.match(text) or low in gaz.name_suffixes:
        return True
    if not text[0].isupper():  # "van", "bin", "al-Qidra", "el-Sisi"
        prefix, _, rest = text.partition("-")
        return low in gaz.particles or bool(rest) and prefix in gaz.particles and rest[0].isupper()
    letters = [ch for ch in text if ch.isalpha()]
    return not (len(letters) > 1 and all(ch.isupper() for ch in letters))  # not an acronym


def _find_name(head: list[_Chunk], det: str | None, gaz: _Gazetteer):
    """The trailing personal-name run of a head segment, and the title before it."""
    if head and head[-1].entity and head[-1].entity.kind == "person":
        return head[-1:], head[:-1]  # a known person is a whole name
    k = len(head)
    while k > 0 and _name_like(head[k - 1], gaz):
        k -= 1
    run = head[k:]
    while run and run[0].plain and run[0].low in gaz.particles:  # "al-" cannot open a name
        run = run[1:]
        k += 1
    if not run:
        return [], head
    has_person = any(c.entity and c.entity.kind == "person" for c in run)
    has_plain = any(c.plain and c.last.text[0].isupper() for c in run)
    if not has_person:
        if not has_plain or len(run) > 5:
            return [], head
        last_low = run[-1].low
        if last_low in gaz.org_suffixes or _lemma(run[-1].last) in gaz.org_suffixes:
            return [], head
        if det == "def" and k == 0:  # "the Herald", "the Kremlin": not how persons are written
            return [], head
    return run, head[:k]


@dataclass
class _Phrase:
    text: str
    parts: list[_Part]


def _parse(text: str, gaz: _Gazetteer) -> _Phrase:
    chunks = _chunk(_tokenize(text, gaz.abbreviations), gaz)
    groups: list[list[_Chunk]] = [[]]
    for c in chunks:
        if c.punct and c.low in {",", "(", ")", ";", ":", "-", '"', "["}:
            groups.append([])
        elif not c.punct:
            groups[-1].append(c)
    parts = [_parse_part(g, gaz) for g in groups if g]
    return _Phrase(text, parts)


# ---------------------------------------------------------------------------------------------
# Evidence: type and affiliation of a part
# ---------------------------------------------------------------------------------------------


def _specific_type(c: _Chunk) -> str | None:
    if c.entity:
        return None if c.entity.kind == "adjective" else c.entity.type
    if c.lex and c.lex.cls in ("role", "institution"):
        return c.lex.type
    return None


def _attached_type(attachments: list[_Chunk]) -> str | None:
    """The type an attached word lends a generic head, by strength: a named body, then an
    institution or role word, then a type adjective ("humanitarian"), then a state or capital
    (government)."""
    tiers: list[list[str]] = [[], [], [], []]
    for c in attachments:
        if c.entity and c.entity.kind in ("body", "bloc", "metonym", "person"):
            tiers[0].append(c.entity.type)
        elif c.lex and c.lex.cls in ("role", "institution", "generic_institution"):
            tiers[1].append(c.lex.type)
        elif c.lex and c.lex.cls == "type_word":
            tiers[2].append(c.lex.type)
        elif c.entity and c.entity.kind in ("country", "capital"):
            tiers[3].append(c.entity.type)
    return next((t for tier in tiers for t in tier if t != UNKNOWN), None)


def _head_of(part: _Part) -> tuple[_Chunk | None, list[_Chunk]]:
    segment = part.title if part.name else part.head
    if not segment:
        return None, []
    return segment[-1], segment[:-1]


@dataclass
class _Evidence:
    type: str | None = None  # from specific words or attached institutions
    default: str | None = None  # from a generic head's default
    affiliation: str | None = None
    attached: bool = False  # some institution/body/state is attached to the head


def _evidence(part: _Part, *, allow_in: bool = False) -> _Evidence:
    ev = _Evidence()
    head, modifiers = _head_of(part)
    if head is not None and head.lex and head.lex.cls in ("institution", "generic_institution"):
        # "the foreign ministry in Kyiv" (but not "the Chinese embassy in Washington")
        allow_in = allow_in or head.lex.key[-1] not in _DIPLOMATIC_POSTS
    pp_chunks = [
        c
        for prep, chunks in part.pps
        if prep in _BELONGING_PREPS or prep == "for" or (prep == "in" and allow_in)
        for c in chunks
    ]
    attachments = list(reversed(modifiers)) + list(reversed(part.owner)) + pp_chunks
    if head is None and part.owner:
        head, attachments = part.owner[-1], list(reversed(part.owner[:-1])) + pp_chunks
    attached_type = _attached_type(attachments)
    ev.attached = any(c.entity or (c.lex and c.lex.cls != "people") for c in attachments)
    if head is not None:
        spec = _specific_type(head)
        if head.entity and head.entity.kind != "adjective":
            ev.type = spec if spec != UNKNOWN else None  # a named body is what it is
        elif spec is not None and spec != UNKNOWN:
            if spec == "expert" and attached_type in _STATE_TYPES | {"civil_society"}:
                spec = attached_type
            ev.type = spec
        elif attached_type:
            ev.type = attached_type
        elif head.lex and head.lex.cls in ("generic_role", "generic_institution"):
            ev.default = head.lex.type if head.lex.type != UNKNOWN else None
        elif head.lex and head.lex.cls == "type_word":
            ev.type = head.lex.type
        elif head.plain:
            ev.type = _suffix_type(part)
    if head is not None and head.entity and head.entity.kind != "adjective":
        ev.affiliation = head.entity.affiliation
    else:
        for c in attachments:
            if c.entity:
                ev.affiliation = c.entity.affiliation
                break
    return ev


def _suffix_type(part: _Part) -> str | None:
    segment = part.title if part.name else part.head
    if not segment:
        return None
    gaz = _gazetteer()
    t = gaz.org_suffixes.get(segment[-1].low)
    return t if t and t != UNKNOWN else None


# ---------------------------------------------------------------------------------------------
# Context
# ---------------------------------------------------------------------------------------------

_DATELINE_RE = re.compile(r"^\s*([A-Z][A-Z'. -]*[A-Z])\s*(?:,|\()")
_IN_FRAME_RE = re.compile(r"^\s*In ([A-Z][\w' -]*?),")


@dataclass
class _Context:
    descriptors: list[_Part] = field(default_factory=list)  # premodifier, then appositive
    anonymity_clause: bool = False
    whose_owner: _Entity | None = None
    place: _Entity | None = None  # dateline or opening "In <place>,"
    entities: list[_Entity] = field(default_factory=list)


def _read_context(context: str, span: str, gaz: _Gazetteer, *, person: bool) -> _Context:
    ctx = _Context()
    text = _normalize(context)
    m = _DATELINE_RE.match(text) or _IN_FRAME_RE.match(text)
    if m:
        ctx.place = gaz.places.get(" ".join(m.group(1).lower().split()))
    idx = text.find(span)
    if idx < 0:
        idx = text.lower().find(span.lower())
    all_chunks = _chunk(_tokenize(text, gaz.abbreviations), gaz)
    ctx.entities = [
        c.entity
        for c in all_chunks
        if c.entity and (idx < 0 or not (idx <= c.start < idx + len(span)))
    ]
    if idx < 0:
        return ctx
    before, after = text[:idx], text[idx + len(span) :]
    window = (before[-120:] + " | " + after[:160]).lower()
    ctx.anonymity_clause = any(cl in window for cl in gaz.anon_clauses)

    chunks = _chunk(_tokenize(before, gaz.abbreviations), gaz)
    if len(chunks) >= 3 and chunks[-1].low == "whose" and chunks[-2].low == ",":
        ctx.whose_owner = chunks[-3].entity  # "Kestrania, whose foreign ministry"
    pre = _walk_back(chunks, person=person)
    if pre:
        ctx.descriptors.append(_parse_part(pre, gaz))
    post = _appositive(_chunk(_tokenize(after, gaz.abbreviations), gaz), gaz)
    if post:
        ctx.descriptors.append(_parse_part(post, gaz))
    return ctx


def _walk_back(chunks: list[_Chunk], *, person: bool) -> list[_Chunk]:
    """The title-like words right before the span: "Aurelian energy minister [Clara Moretti]",
    "Kestrania's foreign ministry spokeswoman, [Lidia Marchetti]", "the bloc's spokesperson"."""
    k = len(chunks)
    comma = k > 0 and chunks[-1].punct and chunks[-1].low == ","
    if comma:
        k -= 1
    taken: list[_Chunk] = []
    while k > 0 and len(taken) < 12:
        c = chunks[k - 1]
        if c.punct:
            break
        if c.poss or c.entity and c.entity.kind != "person" or c.lex:
            taken.insert(0, c)
            k -= 1
            continue
        low = c.low
        if low in _DEF_DETERMINERS | {"a", "an"}:
            taken.insert(0, c)
            k -= 1
            if k > 0 and chunks[k - 1].low == "of":
                continue
            break
        if low == "of" and taken:
            taken.insert(0, c)
            k -= 1
            continue
        if (
            taken
            and low not in _WALK_STOP
            and low.replace("-", "").isalpha()
            and not low.endswith(("ed", "ing"))
        ):
            taken.insert(0, c)
            k -= 1
            continue
        break
    while taken and taken[0].plain and taken[0].low == "of":
        taken.pop(0)
    if not taken or not any(c.lex or c.entity or c.poss for c in taken):
        return []
    last = next((c for c in reversed(taken) if not c.poss), None)
    if comma:
        # "X's spokeswoman, Name" / "A private Norlandic firm, GridSec Labs"
        wanted = ("role", "generic_role") if person else ("institution", "generic_institution")
        if not any(c.lex and c.lex.cls in wanted for c in taken):
            return []
        if k > 0 and not (chunks[k - 1].punct or chunks[k - 1].low in _WALK_STOP):
            return []  # the comma ends some other phrase
    elif last is not None and last.plain:
        return []
    return taken


def _appositive(chunks: list[_Chunk], gaz: _Gazetteer) -> list[_Chunk]:
    """ ", a military analyst at the Halvik Institute," right after the span."""
    if not chunks or not (chunks[0].punct and chunks[0].low == ","):
        return []
    taken: list[_Chunk] = []
    for c in chunks[1:]:
        if c.punct and c.low != "'":
            break
        if c.plain and c.low in _CLAUSE_WORDS:
            break
        taken.append(c)
    if not taken:
        return []
    first = taken[0]
    if first.plain and (
        first.low.endswith(("ed", "ing"))
        or first.low in _WALK_STOP
        or first.last.capitalized
        and first.low not in _DEF_DETERMINERS
    ):
        return []
    if not any(c.lex and c.lex.cls != "document" or c.entity for c in taken):
        return []
    return taken


# ---------------------------------------------------------------------------------------------
# Decisions
# ---------------------------------------------------------------------------------------------


def _role_text(chunks: list[_Chunk], gaz: _Gazetteer, *, cut_pps: bool) -> str | None:
    """The title as written: without determiners, a leading state marker or courtesy titles; with
    ``cut_pps``, without an "at/with/in/from ..." phrase naming the employer or a place."""
    chunks = list(chunks)
    if cut_pps:
        for k, c in enumerate(chunks):
            if k and c.plain and c.low in {"at", "with", "in", "from", "near", "based"}:
                chunks = chunks[:k]
                break
    while chunks:
        c = chunks[0]
        determiner = c.plain and c.low in _DEF_DETERMINERS | {"a", "an"} | gaz.honorifics
        state = c.entity is not None and c.entity.kind in _STATE_MARKERS
        if not (determiner or state or c.poss):
            break
        chunks.pop(0)
    while chunks and (chunks[-1].poss or chunks[-1].plain and chunks[-1].low in gaz.honorifics):
        chunks.pop()
    if len(chunks) > 1 and _is_rank_abbreviation(chunks[-1]):
        chunks.pop()
    if not chunks or not any(c.lex or c.entity for c in chunks):
        return None
    out = ""
    for tok in (t for c in chunks for t in c.toks):  # rebuilt: context offsets differ
        glued = not out or tok.text in ("'s", "'") or tok.text.startswith("-")
        out += tok.text if glued else " " + tok.text
    return out


def _is_rank_abbreviation(c: _Chunk) -> bool:
    return bool(c.lex and c.lex.type == "military" and c.last.text.endswith("."))


def _is_anonymous(phrase: _Phrase, part: _Part, ev: _Evidence, ctx: _Context | None) -> bool:
    gaz = _gazetteer()
    head, _ = _head_of(part)
    if head is not None and head.entity:  # a named body is never anonymous
        return False
    if any(p in phrase.text.lower() for p in gaz.anon_phrases):
        return True
    if head is None or head.lex is None:
        return False
    lemma = head.lex.key[-1]
    if head.lex.cls == "document":
        return not (part.owner or ev.attached or ev.type)
    if head.lex.cls not in ("role", "generic_role", "people"):
        return False  # institutions speak on the record
    if ctx is not None and ctx.anonymity_clause:
        return True
    if lemma in gaz.always_anonymous:
        return True
    if not head.plural:
        if lemma in gaz.unidentifying:
            return True
        return part.det in ("indef", "count") and " ".join(head.lex.key) not in gaz.on_record
    if lemma in gaz.unidentifying_plural:
        return part.det == "count" or not (ev.affiliation or ev.attached)
    return False


def _resolve_anaphor(part: _Part, ctx: _Context | None) -> _Entity | None:
    """ "the committee" when the context names the International Committee for ... ."""
    head, _ = _head_of(part)
    if ctx is None or head is None or head.lex is None or part.det != "def":
        return None
    word = head.lex.key[-1]
    found = {
        (e.affiliation, e.type): e
        for e in ctx.entities
        if e.kind in ("body", "bloc")
        and (word in e.name.lower().split() or word in ("bloc", "alliance") and e.kind == "bloc")
    }
    return next(iter(found.values())) if len(found) == 1 else None


def describe_source(
    name: str, *, context: str | None = None, entity_label: str | None = None
) -> SourceDescription:
    """Describe the source span ``name`` (as written) using the sentence(s) around it."""
    gaz = _gazetteer()
    text = _normalize(name).strip(" \t\n,;:\"'")
    if not text:
        return SourceDescription("anonymous", UNKNOWN, UNKNOWN)
    if text.lower() in _PRONOUNS:
        return SourceDescription(_PRONOUNS[text.lower()], UNKNOWN, UNKNOWN)
    phrase = _parse(text, gaz)
    if not phrase.parts:
        return SourceDescription("anonymous", UNKNOWN, UNKNOWN)

    person_part = next((p for p in phrase.parts if p.name), None)
    label_kind = _SPACY_KINDS.get((entity_label or "").upper())
    if person_part is not None and label_kind in ("organization", "group"):
        bare = not person_part.title and len(phrase.parts) == 1
        known = any(c.entity and c.entity.kind == "person" for c in person_part.name) or (
            len(person_part.name) == 1 and person_part.name[0].last.text in gaz.surnames
        )
        if bare and not known:
            person_part = None
    if person_part is not None:
        ctx = _read_context(context, text, gaz, person=True) if context else None
        return _describe_person(phrase, person_part, ctx)

    ctx = _read_context(context, text, gaz, person=False) if context else None
    main = phrase.parts[0]
    head, _ = _head_of(main)
    plural = bool(head is not None and head.plural and head.lex and not head.last.capitalized)
    evs = [_evidence(p, allow_in=plural) for p in phrase.parts]  # "agents in Port Celan"
    ev = evs[0]

    if _is_anonymous(phrase, main, ev, ctx):
        type_ = next((e.type for e in evs if e.type), None)
        affiliation = next((e.affiliation for e in evs if e.affiliation), None)
        if type_ is None and affiliation:
            type_ = next((e.default for e in evs if e.default), None)
        return SourceDescription("anonymous", type_ or UNKNOWN, affiliation or UNKNOWN)

    kind = _kind_of(main, head, label_kind)
    type_ = next((e.type for e in evs if e.type), None)
    affiliation = next((e.affiliation for e in evs if e.affiliation), None)
    role = None
    if kind == "person":  # an unnamed post holder: "the minister", "Maristan's transport minister"
        role = _role_text(main.head, gaz, cut_pps=True)
    if ctx is not None and (type_ is None or affiliation is None):
        more = [_evidence(d) for d in ctx.descriptors]
        type_ = type_ or next((e.type for e in more if e.type), None)
        affiliation = affiliation or next((e.affiliation for e in more if e.affiliation), None)
        if affiliation is None and ctx.whose_owner is not None:
            affiliation = ctx.whose_owner.affiliation
        if affiliation is None or type_ is None:
            anaphor = _resolve_anaphor(main, ctx)
            if anaphor is not None:
                affiliation = affiliation or anaphor.affiliation
                type_ = type_ or (anaphor.type if anaphor.type != UNKNOWN else None)
    type_ = type_ or next((e.default for e in evs if e.default), None)
    if (
        affiliation is None
        and ctx is not None
        and ctx.place is not None
        and kind in ("organization", "group")
        and type_ in _NATIONAL_TYPES
    ):
        affiliation = ctx.place.affiliation
    return SourceDescription(kind, type_ or UNKNOWN, affiliation or UNKNOWN, role)


def _kind_of(part: _Part, head: _Chunk | None, label_kind: str | None) -> str:
    if head is None:
        if part.owner:
            return "organization"
        return label_kind or "anonymous"
    if head.entity:
        return "organization"
    if head.lex:
        cls = head.lex.cls
        plural = head.plural and not head.last.capitalized
        if cls in ("institution", "generic_institution", "type_word"):
            if plural and head.lex.key[-1] not in _COLLECTIVE_ORGS:
                return "group"
            return "organization"
        if cls in ("role", "generic_role", "people"):
            return "group" if plural else "person"
        if cls == "document":
            owner_head = part.owner[-1] if part.owner else None
            if owner_head is not None and owner_head.lex and owner_head.lex.cls in (
                "role", "generic_role", "people"
            ):  # fmt: skip
                return "group" if owner_head.plural else "person"
            return "organization"
    if head.last.capitalized:
        return label_kind or "organization"
    return label_kind or ("group" if head.plural else "anonymous")


def _describe_person(phrase: _Phrase, part: _Part, ctx: _Context | None) -> SourceDescription:
    gaz = _gazetteer()
    known = next((c.entity for c in part.name if c.entity and c.entity.kind == "person"), None)
    if known is None and len(part.name) == 1 and part.name[0].plain:
        candidates = gaz.surnames.get(part.name[0].last.text, [])
        if len({(e.affiliation, e.type) for e in candidates}) == 1:
            known = candidates[0]

    # descriptors, most trusted first: the title in the span, other parts of the span, context
    descriptors: list[_Part] = []
    if part.title or part.owner or part.pps:
        descriptors.append(_Part(part.chunks, part.det, part.title, part.owner, part.pps))
    descriptors += [p for p in phrase.parts if p is not part]
    if ctx is not None:
        descriptors += ctx.descriptors

    evs = [_evidence(p) for p in descriptors]
    type_ = next((e.type for e in evs if e.type), None)
    if type_ is None and known is not None:
        type_ = known.type
    type_ = type_ or next((e.default for e in evs if e.default), None)
    affiliation = None
    if known is not None and any(c.entity is known for c in part.name):
        affiliation = known.affiliation
    affiliation = affiliation or next((e.affiliation for e in evs if e.affiliation), None)
    if affiliation is None and known is not None:
        affiliation = known.affiliation

    role = _person_role(phrase, part, ctx)
    return SourceDescription("person", type_ or UNKNOWN, affiliation or UNKNOWN, role)


def _person_role(phrase: _Phrase, part: _Part, ctx: _Context | None) -> str | None:
    gaz = _gazetteer()
    candidates = [(part.title, False)]
    candidates += [(other.chunks, True) for other in phrase.parts if other is not part]
    candidates += [(d.chunks, True) for d in (ctx.descriptors if ctx else [])]
    return next(
        (role for chunks, cut in candidates if (role := _role_text(chunks, gaz, cut_pps=cut))),
        None,
    )


def split_role_and_name(name: str) -> tuple[str | None, str]:
    """Split a title off a personal name: ("Defence Minister", "Marek Halloran") for
    "Defence Minister Marek Halloran", ("Gen.", "Anton Kessel") for "Gen. Anton Kessel",
    (None, "Helen Okafor") for "Dr. Helen Okafor", ("foreign ministry spokeswoman", "Lidia
    Marchetti") for "Lidia Marchetti, the Kestranian foreign ministry spokeswoman". Spans that
    hold no personal name come back as (None, span). See the module docstring for the
    conventions."""
    gaz = _gazetteer()
    text = _normalize(name).strip(" \t\n,;:\"'")
    phrase = _parse(text, gaz)
    part = next((p for p in phrase.parts if p.name), None)
    if part is None:
        return None, text
    person_name = text[part.name[0].start : part.name[-1].end]
    return _person_role(phrase, part, None), person_name
