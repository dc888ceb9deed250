"""Attribution relations from a spaCy parse: who (source) said (cue) what (content).

Rules over the dependency structure, not over wording:

1. **Direct quotes.** Quoted passages of three words or more (straight or curly quotes, across
   sentences, and across paragraphs where a paragraph opens a quote and the next continues it)
   are speech. The speaker is the subject of the nearest reporting verb outside the quote in the
   same or the adjacent sentence ('"...," Halloran said', 'said Halloran', 'Halloran said: "..."',
   '"...," he said. "..."'). A quote with no verb of its own continues the last speaker's quote in
   the same or the previous paragraph.
2. **Indirect speech.** A reporting verb with a clausal complement (ccomp): its subject is the
   source, the clause (without "that") the content. Verbs such as deny/confirm/reject also take
   a noun phrase as content ("denied any crossing"); "accused X of Y" keeps X and Y. Passive
   forms without an agent ("it was reported that", "X is accused of") have no source.
3. **"according to X"**: X is the source, the rest of the clause the content.
4. **Unattributed statements**: a sentence no rule attributed that states a number or names an
   actor with a finite verb, stated by the outlet itself.

Sources are then resolved within the article: pronouns to the last person named before them,
short names ("Halloran") to the full name introduced earlier ("Marek Halloran"); titles are
split off ("Defence Minister Marek Halloran" -> role "Defence Minister", name "Marek Halloran").
Nested attribution keeps the chain: a cue inside another mention's content makes that mention's
source its intermediary.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, replace
from pathlib import Path

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from orchestration.parse.sentences import paragraph_spans

from .docindex import doc_text, first_token_from, sent_of, sentences, token_starting_at
from .lexicon import (
    ADDRESSEE_VERBS,
    DATELINE_PREFIX,
    DENIAL_PATTERN,
    DENIAL_VERBS,
    HEDGE_PATTERN,
    NON_ASSERTIVE_VERBS,
    NON_ASSERTIVE_WITH_INFINITIVE,
    NP_CONTENT_VERBS,
    PREP_CONTENT,
    REPORTING_NOUNS,
    REPORTING_VERBS,
    UNVERIFIED_PATTERN,
    XCOMP_CONTENT_VERBS,
)
from .models import ClaimMention, SourceDescription, Span

PRONOUNS = frozenset(["he", "she", "they", "him", "her", "them", "we", "i", "it"])
PERSON_PRONOUNS = frozenset(["he", "she", "him", "her", "i"])
SHORT_QUOTE_WORDS = 3  # shorter quotes are speech only with a reporting verb of their own
_TRIM = " \t\n,.;:-–—\"'“”‘’«»()"


@dataclass
class _Quote:
    start: int  # inside the quote marks
    end: int
    open_at: int  # the opening mark
    close_at: int  # the closing mark (or end of paragraph)
    paragraph: int
    p_start: int = 0  # the paragraph's bounds
    p_end: int = 0


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _span(text: str, start: int, end: int) -> Span | None:
    start, end = _trim(text, start, end)
    m = DATELINE_PREFIX.match(text, start, end)
    if m:  # "HALVIK, March 4 (CPA) - As many as ..." -> "As many as ..."
        start, end = _trim(text, m.end(), end)
    if end <= start:
        return None
    return Span(start, end, text[start:end])


_OPEN_QUOTE = re.compile(r"“|«|''|\"|‘‘")
_CLOSERS_FOR = {"“": ("”",), "«": ("»",), "''": ("''",), '"': ('"',), "‘‘": ("’’",)}


def find_quotes(text: str, min_words: int = 1) -> list[_Quote]:
    """Quoted passages of `min_words` words or more, within a paragraph (short ones count as
    speech only when a reporting verb introduces them, see `_direct_quotes`). Quote marks: curly,
    straight, guillemets and doubled apostrophes (''...''); a quote left open at the end of a
    paragraph runs to its end (the next paragraph then opens a new quote)."""
    quotes: list[_Quote] = []
    for p_idx, (p_start, p_end) in enumerate(paragraph_spans(text)):
        i = p_start
        while i < p_end:
            m = _OPEN_QUOTE.search(text, i, p_end)
            if m is None:
                break
            mark = m.group()
            prev = text[m.start() - 1] if m.start() > p_start else " "
            if mark in ('"', "''") and prev.isalnum():
                i = m.end()  # a closing mark or inch sign, not an opening
                continue
            close_at, close_len = p_end, 0
            for closer in _CLOSERS_FOR[mark]:
                j = text.find(closer, m.end(), p_end)
                if j != -1 and j < close_at:
                    close_at, close_len = j, len(closer)
            inner_start, inner_end = m.end(), close_at
            if len(text[inner_start:inner_end].split()) >= min_words:
                quotes.append(
                    _Quote(inner_start, inner_end, m.start(), close_at, p_idx, p_start, p_end)
                )
            i = close_at + max(close_len, 1)
    return quotes


def _in_any(pos: int, quotes: list[_Quote]) -> bool:
    return any(q.open_at <= pos <= q.close_at for q in quotes)


def _is_reporting_verb(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in REPORTING_VERBS


def _subject(verb: Token, quotes: list[_Quote] | None = None) -> Token | None:
    """The speaker of a reporting verb: its subject (outside any quotation), the agent of a
    passive, the antecedent of a relative pronoun, or the subject of the verb it continues
    ("said A, adding that B"; "said A and added B")."""
    quotes = quotes or []
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass", "csubj"):
            if child.dep_ == "nsubjpass":
                return _agent(verb)
            if _in_any(child.idx, quotes):
                continue  # parsed into the quotation: look elsewhere
            if child.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
                return verb.head  # "the ministry, which said ..." -> the ministry
            return child
    # inverted: '"...," said Amira Nasser, a nurse'
    for child in verb.children:
        if (
            child.i > verb.i
            and child.dep_ in ("nsubj", "dobj", "npadvmod", "attr", "oprd", "appos")
            and child.pos_ in ("PROPN", "NOUN")
            and not _in_any(child.idx, quotes)
        ):
            return child
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _subject(verb.head, quotes)
    if _misparsed_as_modifier(verb):
        return verb.head  # "Dr. Helen Okafor, a military analyst, estimated ..."
    if verb.dep_ in ("advcl", "xcomp") and verb.tag_ == "VBG" and verb.head.pos_ in ("VERB", "AUX"):
        return _subject(verb.head, quotes)  # "..., adding that ..."
    return None


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    return None


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


_SOURCE_CUT_DEPS = ("relcl", "acl", "punct", "cc", "advcl")


def _source_span(doc: Doc, head: Token) -> Span | None:
    """The source noun phrase: the head's subtree without relative clauses or trailing
    appositive commas ("Tomas Breyer, a spokesperson, ..." keeps "Tomas Breyer, a spokesperson")."""
    tokens = [head]
    stack = list(head.children)
    while stack:
        t = stack.pop()
        if t.dep_ in ("relcl", "acl") or (
            t.dep_ == "punct" and t.i > head.i + 0 and t.text in ",;"
        ):
            continue
        tokens.append(t)
        stack.extend(t.children)
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t.text) for t in tokens)
    # Drop a trailing appositive after a comma for the source *name*; keep it when it is the name
    return _span(doc_text(doc), start, end)


def _clause_span(doc: Doc, head: Token, skip_marks: bool = True) -> tuple[int, int]:
    tokens = list(head.subtree)
    if skip_marks:
        while tokens and (
            (tokens[0].dep_ == "mark" and tokens[0].lower_ in ("that", "whether", "if"))
            or tokens[0].is_punct
        ):
            tokens = tokens[1:]
    if not tokens:
        return head.idx, head.idx + len(head.text)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _content_end(head: Token) -> int:
    """End of a content clause, without trailing comma-separated adjuncts that only add
    circumstance (", based on silo records", ", after two ships left", ", calling them ...")."""
    doc = head.doc
    end_tok = head.right_edge
    for child in head.children:
        if child.i <= head.i or child.dep_ not in ("advcl", "acl", "prep", "npadvmod"):
            continue
        if child.dep_ == "prep" and child.tag_ not in ("VBN", "VBG"):
            continue
        left = child.left_edge
        if left.i > 0 and doc[left.i - 1].text == ",":
            cut = doc[left.i - 2] if left.i >= 2 else None
            if cut is not None and cut.i >= head.left_edge.i:
                end_tok = min(end_tok, cut, key=lambda t: t.i)
    return end_tok.idx + len(end_tok.text)


def _that_clause(tok: Token) -> Token | None:
    """The 'that' clause of a reporting noun or of 'no evidence': 'reports that X' -> X."""
    for child in tok.children:
        if child.dep_ in ("acl", "ccomp", "relcl") and any(
            g.dep_ == "mark" and g.lower_ == "that" for g in child.children
        ):
            return child
    return None


def _is_np_content(tok: Token) -> bool:
    """A noun phrase that can be what was said: not a pronoun, a person or a date, and either
    three words or more or naming something ("denied the reports", not "denied it")."""
    if tok.pos_ == "PRON" or tok.ent_type_ in ("PERSON", "DATE", "TIME"):
        return False
    size = len(list(tok.subtree))
    named = any(t.ent_type_ and t.ent_type_ not in ("DATE", "TIME") for t in tok.subtree)
    return size >= 3 or (size >= 2 and named)


def _misparsed_as_modifier(verb: Token) -> bool:
    """'Dr. Helen Okafor, a military analyst at the institute, estimated from satellite images
    that X': the parser takes the name for the root and the verb for its modifier."""
    head = verb.head
    return (
        verb.dep_ == "acl"
        and verb.tag_ in ("VBD", "VBN")
        and head.dep_ == "ROOT"
        and head.pos_ == "PROPN"
        and head.i < verb.i
        and verb.doc[verb.i - 1].text == ","
    )


def _that_clause_below(verb: Token) -> tuple[int, int] | None:
    """The 'that' clause a misparsed reporting verb governs, attached lower down as a relative
    clause ('estimated from images that the build-up could amount to 8,000 troops')."""
    for tok in verb.subtree:
        if tok.dep_ == "relcl" and tok.left_edge.lower_ == "that" and tok.left_edge.i > verb.i:
            first = verb.doc[tok.left_edge.i + 1]
            return first.idx, _content_end(tok)
    return None


def _inverted_clause(verb: Token) -> tuple[int, int] | None:
    """'A and B have agreed to X, the minister said.' parsed with "said" as a conjunct of the
    content's verb: the content is everything before the comma."""
    if verb.dep_ not in ("conj", "parataxis") or verb.head.i >= verb.i:
        return None
    if any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in verb.children):
        return None
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.left_edge.i < 1:
        return None
    comma = verb.doc[subj.left_edge.i - 1]
    if comma.text != "," or comma.i - 1 <= verb.head.left_edge.i:
        return None
    start = verb.head.left_edge
    while start.is_punct or (start.dep_ == "mark" and start.lower_ == "that"):
        start = verb.doc[start.i + 1]
    last = verb.doc[comma.i - 1]
    return start.idx, last.idx + len(last.text)


def _complement(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("ccomp",):
            return child
    return None


@dataclass
class _Raw:
    """A mention before resolution: spans and the tokens needed to resolve its source."""

    mention: ClaimMention
    source_head: Token | None
    cue_token: Token | None


def _mention_from_verb(doc: Doc, verb: Token, quotes: list[_Quote]) -> _Raw | None:
    text = doc_text(doc)
    comp = _complement(verb)
    content: tuple[int, int] | None = None
    lemma = verb.lemma_.lower()
    inverted = _inverted_clause(verb) if comp is None else None
    if comp is None and inverted is None and _misparsed_as_modifier(verb):
        inverted = _that_clause_below(verb)
    if inverted is not None:
        content = inverted
    elif comp is not None:
        # "there was no evidence that X" -> X (the denial flag reads the whole window)
        evidence = next(
            (t for t in comp.subtree if t.lemma_ == "evidence" and _that_clause(t) is not None),
            None,
        )
        if evidence is not None:
            comp = _that_clause(evidence)
        content = (_clause_span(doc, comp)[0], _content_end(comp))
    elif lemma in XCOMP_CONTENT_VERBS and any(
        c.dep_ == "xcomp" and len(list(c.subtree)) > 3 for c in verb.children
    ):  # "declined to comment" is no claim
        xcomp = next(c for c in verb.children if c.dep_ == "xcomp")
        obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i < xcomp.i), None)
        start = obj.left_edge.idx if obj is not None else xcomp.left_edge.idx
        content = (start, _content_end(xcomp))
    elif lemma == "accuse":
        prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = next(
            (c for c in (prep.children if prep else []) if c.dep_ in ("pcomp", "pobj")), None
        )
        if obj is not None:
            content = (obj.left_edge.idx, _content_end(obj))
    elif lemma in NP_CONTENT_VERBS and lemma not in ADDRESSEE_VERBS:
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        gerund = next((c for c in verb.children if c.dep_ == "xcomp" and c.tag_ == "VBG"), None)
        # "dismissed as fake the reports that X": a reporting noun with a clause, however the
        # parser attached it
        noun = next(
            (
                t
                for t in verb.subtree
                if t.lemma_.lower() in REPORTING_NOUNS
                and _that_clause(t) is not None
                and t.head.dep_ not in ("ccomp", "relcl")
                and t.i > verb.i
            ),
            None,
        )
        if noun is not None and (obj is None or obj is noun):
            clause = _that_clause(noun)
            content = (_clause_span(doc, clause)[0], _content_end(clause))
        elif gerund is not None and obj is None:  # "denied laying any mines"
            content = (gerund.left_edge.idx, _content_end(gerund))
        elif obj is not None and _is_np_content(obj):
            clause = _that_clause(obj)
            if clause is not None:  # "rejected reports that X" -> X
                content = (_clause_span(doc, clause)[0], _content_end(clause))
            else:
                end = _content_end(obj)
                # "dismissed the reports as fake": keep the "as ..." complement
                for c in verb.children:
                    if c.dep_ == "prep" and c.lower_ == "as" and c.i > obj.i:
                        end = max(end, c.right_edge.idx + len(c.right_edge.text))
                content = (obj.left_edge.idx, end)
    if content is None:
        # "warned of a humanitarian disaster", "spoke about the crisis"
        prep = next(
            (c for c in verb.children if c.dep_ == "prep" and c.lower_ in PREP_CONTENT), None
        )
        pobj = next(
            (c for c in (prep.children if prep else []) if c.dep_ in ("pobj", "pcomp")), None
        )
        if pobj is not None and _is_np_content(pobj):
            content = (pobj.left_edge.idx, _content_end(pobj))
    if content is None:
        return None
    if _negated_or_declined(verb) and re.match(
        r"(?i)(?:how|what|whether|why|when|where|who|which|if)\b", text[content[0] : content[1]]
    ):
        return None  # "declined to say how many ...", "did not say whether ...": no claim
    span = _span(text, *content)
    if span is None or len(span.text.split()) < 2:
        return None
    subj = _subject(verb, quotes)
    source = _source_span(doc, subj) if subj is not None else None
    # a content that is a quotation is handled as a direct quote
    kind = "indirect"
    for q in quotes:
        if q.start <= span.start and span.end <= q.close_at + 1:
            return None
    imperative = verb.tag_ == "VB" and verb.dep_ == "ROOT"
    if subj is None and imperative and not _is_passive(verb):
        return None  # "Say that ...": an imperative, not an attribution
    cue = _cue_span(doc, verb)
    mention = ClaimMention(content=span, attribution_kind=kind, source=source, cue=cue)
    return _Raw(mention, subj, verb)


def _split_coordinated_clauses(doc: Doc, raw: _Raw) -> list[_Raw]:
    """'X said A, and that B': two claims by the same source, A and B."""
    verb, m = raw.cue_token, raw.mention
    comp = _complement(verb) if verb is not None else None
    second = next(
        (
            c
            for c in (comp.children if comp is not None else [])
            if c.dep_ == "conj" and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
        ),
        None,
    )
    if second is None or not (m.content.start < second.idx < m.content.end):
        return [raw]
    last = doc[second.left_edge.i - 1]
    # back over ", and" (not over a closing quotation mark: 'was "under control" and that')
    while last.i > 0 and (last.text in (",", ";") or last.dep_ == "cc"):
        last = doc[last.i - 1]
    first = _span(doc_text(doc), m.content.start, last.idx + len(last.text))
    rest = _span(
        doc_text(doc), _clause_span(doc, second)[0], min(_content_end(second), m.content.end)
    )
    if first is None or rest is None or len(first.text.split()) < 2 or len(rest.text.split()) < 2:
        return [raw]
    return [
        _Raw(replace(m, content=first), raw.source_head, verb),
        _Raw(replace(m, content=rest), raw.source_head, verb),
    ]


def _negated_or_declined(verb: Token) -> bool:
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    head = verb.head if verb.dep_ == "xcomp" else None
    return head is not None and head.lemma_.lower() in ("decline", "refuse")


def _cue_span(doc: Doc, verb: Token) -> Span:
    """The reporting verb with its particle ("pointed out") and negation left as content."""
    start, end = verb.idx, verb.idx + len(verb.text)
    for c in verb.children:
        if c.dep_ == "prt" and c.i == verb.i + 1:
            end = c.idx + len(c.text)
    return Span(start, end, doc_text(doc)[start:end])


def _according_to(doc: Doc) -> list[_Raw]:
    out = []
    for tok in doc:
        if tok.lower_ != "according":
            continue
        to = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if to is None or to.lower_ != "to":
            continue
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            continue
        src_tokens = list(pobj.subtree)
        phrase_start = tok.idx
        phrase_end = src_tokens[-1].idx + len(src_tokens[-1].text)
        sent = sent_of(tok)
        # content: the sentence without the "according to X" phrase
        before = _span(doc_text(doc), sent.start_char, phrase_start)
        after = _span(doc_text(doc), phrase_end, sent.end_char)
        # "X, according to Y, ..." -> X; "According to Y, X" -> X
        if before is not None and len(before.text.split()) >= 3:
            content = before
        elif after is not None and len(after.text.split()) >= 3:
            content = after
        else:
            continue
        source = _span(doc_text(doc), src_tokens[0].idx, phrase_end)
        cue = Span(tok.idx, to.idx + len(to.text), doc_text(doc)[tok.idx : to.idx + len(to.text)])
        out.append(_Raw(ClaimMention(content, "according_to", source, cue), pobj, None))
    return out


def _qualifies_for_quote(verb: Token, q: _Quote, quotes: list[_Quote]) -> bool:
    """A verb introduces a quote unless it has a clausal complement of its own elsewhere."""
    comp = _complement(verb)
    if comp is None:
        return True
    start, end = _clause_span(verb.doc, comp)
    if start <= q.close_at and q.open_at <= end:
        return True
    # '"A," X told reporters, "B."': the complement is the other part of the same quotation
    return _in_any(start, quotes) and sent_of(verb).start_char <= q.open_at


def _verb_near(doc: Doc, sents: list[SpacySpan], quotes: list[_Quote], q: _Quote) -> Token | None:
    """The reporting verb that introduces or closes quote `q`: outside every quote, in a
    sentence that overlaps the quote, or in the sentence right after it ('"...." He said.') or
    right before it when that one ends with a colon ('He said: "..."'); nearest wins."""
    text = doc_text(doc)
    best: tuple[int, Token] | None = None
    for s in sents:
        overlaps = s.start_char <= q.close_at and q.open_at < s.end_char
        in_paragraph = q.p_start <= s.start_char < q.p_end or q.p_start < s.end_char <= q.p_end
        after = in_paragraph and 0 <= s.start_char - q.close_at <= 3
        before = (
            in_paragraph
            and 0 <= q.open_at - s.end_char <= 2
            and text[s.start_char : s.end_char].rstrip().endswith(":")
        )
        if not (overlaps or after or before):
            continue
        for tok in s:
            if not _is_reporting_verb(tok) or _in_any(tok.idx, quotes):
                continue
            if not _qualifies_for_quote(tok, q, quotes):
                continue
            dist = q.open_at - tok.idx if tok.idx < q.open_at else tok.idx - q.close_at
            if _subject(tok, quotes) is None:
                dist += 10_000  # a verb with a speaker wins over one without
            if best is None or dist < best[0]:
                best = (dist, tok)
    return best[1] if best is not None else None


def _is_partial_quote(verb: Token, q: _Quote) -> bool:
    """'Feld said the malware "may have been adapted" from tools ...': the quote is a fragment
    of an indirect complement, which is the better content."""
    comp = _complement(verb)
    if comp is None:
        return False
    start, end = _clause_span(verb.doc, comp)
    return start <= q.start and q.end <= end + 1 and (end - start) > 1.5 * (q.end - q.start)


def _direct_quotes(doc: Doc, quotes: list[_Quote]) -> list[_Raw]:
    out: list[_Raw] = []
    sents = sentences(doc)
    last_by_paragraph: dict[int, _Raw] = {}
    group_by_verb: dict[int, int] = {}  # quotation parts around one verb form one group
    groups = itertools.count()
    for q in quotes:
        verb = _verb_near(doc, sents, quotes, q)
        content = _span(doc_text(doc), q.start, q.end)
        if content is None:
            continue
        if len(content.text.split()) < SHORT_QUOTE_WORDS and (
            verb is None or not re.search(r"[.,!?]$", doc_text(doc)[q.start : q.end].rstrip())
        ):
            continue  # a scare-quoted phrase ('rejected as "absurd"'), not speech
        if verb is not None and _is_partial_quote(verb, q):
            continue
        if verb is not None:
            subj = _subject(verb, quotes)
            source = _source_span(doc, subj) if subj is not None else None
            raw = _Raw(
                ClaimMention(content, "direct_quote", source, _cue_span(doc, verb)), subj, verb
            )
            if verb.i not in group_by_verb:
                group_by_verb[verb.i] = next(groups)
            raw.mention.quote_group = group_by_verb[verb.i]
        else:
            prev = last_by_paragraph.get(q.paragraph) or last_by_paragraph.get(q.paragraph - 1)
            before = doc_text(doc)[max(0, q.open_at - 2) : q.open_at]
            starts_sentence = (
                q.open_at == 0 or before.endswith("\n") or bool(re.search(r"[.!?:]\s$", before))
            )
            if prev is None or not starts_sentence:
                continue  # a title, a slogan or a scare quote: not speech
            raw = _Raw(
                ClaimMention(content, "direct_quote", prev.mention.source, prev.mention.cue),
                prev.source_head,
                prev.cue_token,
            )
            # a new paragraph is a new quotation by the same speaker
            same_paragraph = prev is last_by_paragraph.get(q.paragraph)
            raw.mention.quote_group = prev.mention.quote_group if same_paragraph else next(groups)
        out.append(raw)
        last_by_paragraph[q.paragraph] = raw
    return out


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


_NO_COMMENT = re.compile(
    r"\b(?:did not|didn't|could not|couldn't|has not|hasn't|have not|haven't)\s+"
    r"(?:immediately\s+)?(?:respond|reply|answer|return|comment)|\bdeclined to comment\b|"
    r"\bno immediate comment\b|\bwas not immediately available\b|\bunable to reach\b|"
    r"\bfor comment\b|\bno reply\b|\bnot (?:publicly )?respond|"
    r"\b(?:could not|couldn't|cannot) be reached\b",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"\b(?:will|would|is due to|are due to|is expected to|are expected to|"
    r"is scheduled to|are scheduled to|plans to|is set to|are set to)\b",
    re.IGNORECASE,
)


def _main_clauses(sent: SpacySpan) -> list[tuple[Token, int, int]]:
    """The main clauses of a sentence, as (head, first token index, last token index): the root,
    and each conjunct of the root with a subject of its own ("Power has returned to most of
    Aurelia, and schools are due to reopen on Monday" -> two clauses)."""
    root = sent.root
    heads = [root] + [
        c
        for c in root.children
        if c.dep_ == "conj"
        and c.pos_ in ("VERB", "AUX")
        and any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
    ]
    bounds = [sent.start] + [h.left_edge.i for h in heads[1:]] + [sent.end]
    out = []
    for i, head in enumerate(heads):
        first, last = bounds[i], bounds[i + 1] - 1
        while last > first and (sent.doc[last].is_punct or sent.doc[last].dep_ == "cc"):
            last -= 1
        out.append((head, first, last))
    return out


def _check_worthy(sent: SpacySpan, head: Token, first: int, last: int) -> bool:
    """A factual statement the outlet makes in its own voice that someone could check: a main
    clause of a complete sentence (not a heading or a question) about the past or present,
    naming an actor and stating an event, or giving a number of something. Boilerplate ("did
    not respond to a request for comment") and announcements of the future are not
    check-worthy; a relative clause ("the council, which is due to meet again") does not make
    its sentence an announcement."""
    doc = sent.doc
    if len(sent) < 6 or not re.search(r"[.!][\"'”’)]*$", sent.text.strip()):
        return False
    clause = doc[first : last + 1]
    if len(clause) < 4:
        return False
    relative = {t.i for c in clause if c.dep_ == "relcl" for t in c.subtree}
    text = " ".join(t.text for t in clause if t.i not in relative)
    # the future is read around the clause's own verb ("is due to meet", "will reopen"), not in
    # a conjunct the parser hung on it ("crews were hauling ..., and schools are due to reopen")
    around = " ".join(t.text for t in doc[max(first, head.i - 3) : min(last, head.i + 3) + 1])
    if _NO_COMMENT.search(text) or _FUTURE.search(around):
        return False
    if UNVERIFIED_PATTERN.search(text):
        return False  # "Neither account could be verified": a note on other claims, a flag
    # "The WFP is the first body to ...", "The port is the country's main gateway": a ranking
    ranking = head.lemma_ == "be" and any(
        c.dep_ == "attr"
        and any(t.tag_ == "JJS" or t.lower_ in ("first", "only", "main", "last") for t in c.subtree)
        for c in head.children
    )
    did = any(c.dep_ == "aux" and c.lemma_ == "do" for c in head.children)
    progressive = head.tag_ == "VBG" and any(c.dep_ == "aux" for c in head.children)
    if head.pos_ not in ("VERB", "AUX") or not (
        head.tag_ in ("VBD", "VBZ", "VBP", "VBN") or progressive or (head.tag_ == "VB" and did)
    ):
        return False
    subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or (subj.pos_ == "PRON" and subj.lower_ not in ("he", "she", "they", "it")):
        return False
    ents = [e for e in sent.ents if first <= e.start and e.end <= last + 1]
    counted = any(
        t.like_num and t.ent_type_ not in ("DATE", "TIME", "ORDINAL") and t.head.pos_ == "NOUN"
        for t in clause
    ) or any(e.label_ in ("QUANTITY", "PERCENT", "MONEY") for e in ents)
    named = any(e.label_ in ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC") for e in ents)
    actor_subject = subj.pos_ in ("NOUN", "PROPN", "PRON") or named
    # a present-tense statement about a named actor: "The mission patrols the Valdorian side"
    habitual = head.pos_ == "VERB" and head.tag_ in ("VBZ", "VBP") and named
    eventive = (
        progressive
        or habitual
        or ranking
        or did
        or head.tag_ in ("VBD", "VBN")
        or any(c.dep_ == "aux" and c.lemma_ == "have" for c in head.children)
    )
    return counted or (actor_subject and eventive)


def speech_act(raw: _Raw) -> str:
    """What an indirect attribution does with its content: asserts it (a claim), or requests,
    commits to or evaluates it, or withholds it ("declined to confirm the account", "did not
    say whether"). Direct quotes and "according to" always report a claim."""
    verb = raw.cue_token
    if raw.mention.attribution_kind != "indirect" or verb is None:
        return "assertion"
    lemma = verb.lemma_.lower()
    if lemma not in DENIAL_VERBS and _negated_or_declined(verb):
        return "withheld"
    if lemma in NON_ASSERTIVE_VERBS:
        return NON_ASSERTIVE_VERBS[lemma]
    if lemma in NON_ASSERTIVE_WITH_INFINITIVE and (
        raw.mention.content.text.lower().startswith("to ")
        or any(c.dep_ == "prep" and c.lower_ in ("for", "on") for c in verb.children)
    ):
        return NON_ASSERTIVE_WITH_INFINITIVE[lemma]
    return "assertion"


def extract_doc(doc: Doc) -> list[_Raw]:
    """Every attribution relation in a parsed article, in text order, before resolution."""
    text = doc_text(doc)
    quotes = find_quotes(text)
    raws = _direct_quotes(doc, quotes)
    used_cues = {r.cue_token.i for r in raws if r.cue_token is not None}
    for tok in doc:
        if _is_reporting_verb(tok) and tok.i not in used_cues and not _in_any(tok.idx, quotes):
            raw = _mention_from_verb(doc, tok, quotes)
            if raw is not None:
                raws.extend(_split_coordinated_clauses(doc, raw))
    for raw in _according_to(doc):
        # "X, the minister said, according to a statement": the verb is the attribution and
        # the statement only its medium
        if not any(_overlaps(raw.mention.content, r.mention.content) for r in raws):
            raws.append(raw)
    for raw in raws:
        raw.mention.speech_act = speech_act(raw)
    # Unattributed statements: sentences no claim touches. A sentence reporting a request or a
    # commitment ("The federation asked the government to ...") is the outlet's own claim.
    claims = [r for r in raws if r.mention.is_claim]
    covered = [r.mention.content for r in claims] + [r.mention.cue for r in claims if r.mention.cue]
    for sent in sentences(doc):
        if _in_any(sent.start_char + 1, quotes):
            continue
        clauses = _main_clauses(sent)
        for head, first, last in clauses:
            start = sent.start_char if len(clauses) == 1 else doc[first].idx
            end = sent.end_char if len(clauses) == 1 else doc[last].idx + len(doc[last].text)
            c_span = _span(text, start, end)
            if c_span is None or any(_overlaps(c_span, c) for c in covered):
                continue
            if _check_worthy(sent, head, first, last):
                raws.append(_Raw(ClaimMention(c_span, "unattributed"), None, None))
    raws.sort(key=lambda r: (r.mention.content.start, r.mention.content.end))
    return raws


# -- flags ---------------------------------------------------------------------------------------


def flag_mention(doc: Doc, m: ClaimMention) -> None:
    text = doc_text(doc)
    lo = min(m.content.start, m.cue.start if m.cue else m.content.start)
    hi = max(m.content.end, m.cue.end if m.cue else m.content.end)
    cue_token = token_starting_at(doc, m.cue.start) if m.cue is not None else None
    for t in [cue_token] if cue_token is not None else []:
        for c in t.children:
            if c.dep_ == "advmod" and c.idx < lo:
                lo = c.idx
    window = text[lo:hi]
    m.hedges = sorted({h.lower() for h in HEDGE_PATTERN.findall(window)})
    cue_lemma = None
    if m.cue is not None:
        cue_lemma = cue_token.lemma_.lower() if cue_token is not None else None
    m.is_denial = bool((cue_lemma in DENIAL_VERBS) or DENIAL_PATTERN.search(window))
    # The verification note may sit in the mention's sentence or the one after it.
    first = first_token_from(doc, m.content.start)
    sent = sent_of(first) if first is not None else None
    scope = text[lo:hi]
    if sent is not None:
        scope = text[min(lo, sent.start_char) : max(hi, sent.end_char)]
        nxt = doc[sent.end] if sent.end < len(doc) else None
        if nxt is not None:
            scope += " " + sent_of(nxt).text
    m.is_explicitly_unverified = bool(UNVERIFIED_PATTERN.search(scope))


# -- source resolution within an article --------------------------------------------------------


@dataclass
class _Person:
    name: str
    start: int
    description: SourceDescription | None


REPORT_NOUNS = frozenset(
    [
        "analysis",
        "estimate",
        "report",
        "statement",
        "figure",
        "data",
        "assessment",
        "programme",
        "program",
        "bulletin",
        "website",
        "account",
        "finding",
        "survey",
        "poll",
        "study",
        "document",
        "release",
    ]
)
_DETERMINERS = frozenset(["the", "a", "an", "this", "that", "these", "those"])


@functools.cache
def _country_adjectives() -> dict[str, str]:
    """Country name -> adjective ("Kestrania" -> "Kestranian"), from the gazetteer."""
    import yaml

    path = Path(__file__).parent / "data" / "gazetteer.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for c in data.get("countries", []):
        adjectives = c.get("adjectives") or []
        if not adjectives:
            continue
        for name in c.get("names", []):
            out.setdefault(name.lower(), adjectives[0])
    return out


def _name_tokens(head: Token) -> list[Token]:
    """The tokens that name a source: the head's phrase without relative clauses, appositive
    descriptions, or what follows a comma; a proper-noun appositive replaces a common-noun head
    ("Kestrania's state broadcaster, KTV" -> "KTV")."""
    appos = next((c for c in head.children if c.dep_ == "appos"), None)
    if appos is not None and head.pos_ == "NOUN" and appos.pos_ == "PROPN":
        head = appos
    keep: list[Token] = []
    stack = [head]
    while stack:
        t = stack.pop()
        keep.append(t)
        for c in t.children:
            if c.dep_ in ("relcl", "acl", "appos", "punct", "advcl", "cc", "conj") and c.i > head.i:
                continue
            if c.dep_ == "prep" and c.i > head.i and head.pos_ == "PROPN":
                continue
            stack.append(c)
    keep.sort(key=lambda t: t.i)
    # stop at a comma after the head
    out = [
        t
        for t in keep
        if not (t.i > head.i and any(head.doc[k].text == "," for k in range(head.i + 1, t.i + 1)))
    ]
    while out and out[0].lower_ in _DETERMINERS:
        out = out[1:]
    return out


def canonical_source_name(head: Token) -> str:
    """A readable name for a source phrase, as it would be listed: "GridSec's analysis" ->
    "GridSec", "ICMS estimates" -> "ICMS", "the national grid operator Aurelgrid" -> "Aurelgrid",
    "Kestrania's foreign ministry" -> "Kestranian foreign ministry"."""
    toks = _name_tokens(head)
    if not toks:
        return head.text
    last = toks[-1]
    # the owner of a report: "GridSec's analysis", "ICMS estimates"
    possessive = len(toks) > 2 and toks[-2].tag_ == "POS"
    if last.lemma_.lower() in REPORT_NOUNS and len(toks) > 1 and (possessive or last.is_lower):
        owner = [t for t in toks[:-1] if t.tag_ != "POS" and t.lower_ not in _DETERMINERS]
        if (
            owner
            and all(t.pos_ in ("PROPN", "NOUN", "ADJ") for t in owner)
            and any(t.pos_ == "PROPN" or (t.is_upper and len(t) > 1) for t in owner)
        ):
            toks = owner
    # a common-noun description before a proper name: keep the name
    if toks[0].is_lower and toks[-1].pos_ == "PROPN":
        run = []
        for t in reversed(toks):
            if t.pos_ != "PROPN":
                break
            run.insert(0, t)
        if run and not (run[0].i > 0 and head.doc[run[0].i - 1].tag_ == "POS"):
            toks = run
    text = doc_text(head.doc)
    name = text[toks[0].idx : toks[-1].idx + len(toks[-1].text)]
    # "Kestrania's foreign ministry" -> "Kestranian foreign ministry"; "Kestrania" (a state
    # speaking) -> "Kestranian government"
    adjectives = _country_adjectives()
    m = re.match(r"^(.+?)['’]s\s+(.+)$", name)
    if m and m.group(1).lower() in adjectives:
        name = f"{adjectives[m.group(1).lower()]} {m.group(2)}"
    elif name.lower() in adjectives:
        name = f"{adjectives[name.lower()]} government"
    return name


def _acronym(name: str) -> str:
    return "".join(
        w[0]
        for w in name.split()
        if w[:1].isupper() and w.lower() not in ("of", "for", "the", "and")
    )


def _earlier_match(name: str, known: list[str]) -> str | None:
    """An earlier source this one refers to: "the ministry" -> "Aurelian agriculture ministry",
    "GridSec" -> "GridSec Labs", "ICMS" -> "International Committee for Maritime Safety",
    "Marchetti" -> "Lidia Marchetti"."""
    words = name.split()
    if not words:
        return None
    lower = name.lower()
    for full in reversed(known):
        f_words = full.split()
        if full == name or len(f_words) <= len(words):
            continue
        if len(words) == 1 and (
            f_words[-1] == name or f_words[0] == name or _acronym(full) == name
        ):
            return full
        if lower == f_words[-1].lower() or full.lower().endswith(" " + lower):
            return full
        # "the committee" -> "International Committee for Maritime Safety"
        if len(words) == 1 and name.islower() and lower in {w.lower() for w in f_words[1:]}:
            return full
    return None


# Institutions every state has: "the government accused ...", after "Kestrania's navy command
# said ..." in the same sentence, is the Kestranian government.
_NATIONAL_INSTITUTIONS = frozenset(
    "government ministry army navy military police parliament cabinet authorities".split()
)


def _national_institution(name: str, same_sentence: list[str]) -> str | None:
    """A bare national institution, named after the country of the latest source before it in
    its sentence that has one: "Kestrania's navy command said ..., and the government accused
    ..." -> "Kestranian government". Further away the country is too uncertain; a national
    outlet's own country is assumed later (int_claim_mentions_enriched)."""
    if name.lower() not in _NATIONAL_INSTITUTIONS:
        return None
    adjectives = set(_country_adjectives().values())
    for full in reversed(same_sentence):
        first = full.split()[0]
        if first in adjectives:
            return f"{first} {name.lower()}"
    return None


_ROLE_NOUNS = frozenset(
    "spokesman spokeswoman spokesperson minister president premier chancellor secretary "
    "ambassador envoy general commander governor mayor director chief official".split()
)


def _role_description(src: str) -> str | None:
    """'The spokesman', 'the minister', 'the former general': a definite description of one
    person by role, which refers back to someone named before."""
    m = re.fullmatch(r"(?i)the\s+(?:[a-z-]+\s+){0,2}([a-z]+)", src.strip())
    return m.group(1).lower() if m and m.group(1).lower() in _ROLE_NOUNS else None


def _last_non_person(known: list[str], described: dict[str, SourceDescription]) -> str | None:
    for name in reversed(known):
        d = described.get(name)
        if d is not None and d.kind in ("organization", "group"):
            return name
    return None


def resolve_sources(doc: Doc, raws: list[_Raw], describe, split_role) -> None:
    """Fill `source_name` and `source_description` for every mention, resolving pronouns to the
    last person named before them, and short names and definite descriptions ("Halloran",
    "the ministry", "GridSec") to the full name introduced earlier in the article."""
    persons: list[_Person] = [
        _Person(ent.text, ent.start_char, None)
        for ent in doc.ents
        if ent.label_ == "PERSON" and len(ent) >= 2
    ]
    persons.sort(key=lambda p: p.start)
    described: dict[str, SourceDescription] = {}
    known: list[str] = []  # full source names in order of appearance
    sentence_sources: dict[str, list[str]] = {}  # sentence text -> its sources so far
    # acronyms spelled out in the article: "ICMS" -> "International Committee for Maritime Safety"
    spelled = [re.sub(r"(?i)^the\s+", "", e.text) for e in doc.ents if e.label_ == "ORG"]
    expansions = {_acronym(name): name for name in spelled if len(name.split()) >= 3}
    last_person: _Person | None = None
    ordered = sorted(
        (r for r in raws if r.mention.source is not None), key=lambda r: r.mention.source.start
    )
    for raw in ordered:
        m = raw.mention
        src = m.source.text
        lower = src.lower()
        context = _sentence_text(doc, m.source.start)
        if lower in PRONOUNS:
            earlier = [p for p in persons if p.start < m.source.start]
            target = earlier[-1] if earlier else None
            if last_person is not None and (target is None or last_person.start >= target.start):
                target = last_person
            if lower in PERSON_PRONOUNS and target is not None:
                m.source_name = target.name
                m.source_description = described.get(target.name) or describe(
                    target.name, context=context, entity_label="PERSON"
                )
            elif lower in ("it", "they", "we") and (org := _last_non_person(known, described)):
                m.source_name = org
                m.source_description = described[org]
            else:
                m.source_description = describe(src, context=context)
            continue
        role_word = _role_description(src)
        if role_word and last_person is not None:
            # "The spokesman added ...": the person last quoted in that role, else the last one
            m.source_name = last_person.name
            m.source_description = described.get(last_person.name) or last_person.description
            continue
        label = _ent_label(doc, m.source)
        desc = describe(src, context=context, entity_label=label)
        if raw.source_head is not None and desc.kind != "person":
            name = canonical_source_name(raw.source_head)
        else:
            _role, name = split_role(src)
            name = re.sub(r"^(?:the)\s+", "", name or src, flags=re.IGNORECASE)
        # an acronym the article spells out is listed under its full name
        name = expansions.get(name, name) if name.isupper() else name
        full = _earlier_match(name, known + [p.name for p in persons if p.start < m.source.start])
        if full is not None:
            name = full
            desc = described.get(full, desc)
        elif desc.affiliation == "unknown" and (
            national := _national_institution(name, sentence_sources.get(context, []))
        ):
            name = national
            desc = describe(national, context=context, entity_label=label)
        m.source_name = name
        m.source_description = desc
        if name not in described or described[name].role is None:
            described[name] = desc
        if name not in known:
            known.append(name)
        sentence_sources.setdefault(context, []).append(name)
        if desc.kind == "person":
            last_person = _Person(name, m.source.start, desc)


def _sentence_text(doc: Doc, pos: int) -> str:
    tok = first_token_from(doc, pos)
    return sent_of(tok).text if tok is not None else ""


def _ent_label(doc: Doc, span: Span) -> str | None:
    for ent in doc.ents:
        if ent.start_char >= span.start and ent.end_char <= span.end:
            return ent.label_
    return None


def chain_mentions(raws: list[_Raw], outlet: str | None) -> None:
    """Nested attribution: a mention whose cue lies inside another mention's content was
    reported by that mention's source. Chains run outermost first, from the outlet."""
    mentions = [r.mention for r in raws]
    for m in mentions:
        chain: list[str] = []
        probe = m
        seen = 0
        while probe is not None and seen < 5:
            seen += 1
            outer = next(
                (
                    o
                    for o in mentions
                    if o is not probe
                    and o.attribution_kind != "unattributed"
                    and probe.cue
                    and o.content.start <= probe.cue.start < o.content.end
                ),
                None,
            )
            if outer is None:
                break
            chain.insert(0, outer.source_name or (outer.source.text if outer.source else "?"))
            probe = outer
        if chain:
            m.chain = ([outlet] if outlet else []) + chain + [m.source_name or "?"]
