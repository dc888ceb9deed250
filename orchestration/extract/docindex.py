"""Offsets to tokens and tokens to sentences in O(log n), cached on the Doc.

spaCy's `Token.sent` walks the document's sentences from the start on every call, and "the
token at character c" is a scan of the whole document: done once per claim mention, both make
extraction quadratic in the article's length. One sorted array of token offsets and one of
sentence starts per Doc, searched with bisect, make them logarithmic. spaCy has no such index
of its own (`Doc.char_span` needs both ends on token boundaries).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.tokens import Doc, Span, Token

_KEY = "newsclaims_index"


def _index(doc: Doc) -> tuple[list[int], list[Span], list[int]]:
    ix = doc.user_data.get(_KEY)
    if ix is None or len(ix[0]) != len(doc):
        sents = list(doc.sents)
        ix = ([t.idx for t in doc], sents, [s.start for s in sents])
        doc.user_data[_KEY] = ix
    return ix


def first_token_from(doc: Doc, char: int) -> Token | None:
    """The first token that starts at or after character `char`."""
    starts = _index(doc)[0]
    i = bisect_left(starts, char)
    return doc[i] if i < len(doc) else None


def token_starting_at(doc: Doc, char: int) -> Token | None:
    starts = _index(doc)[0]
    i = bisect_left(starts, char)
    return doc[i] if i < len(doc) and starts[i] == char else None


def tokens_starting_in(doc: Doc, start: int, end: int) -> Span:
    """The tokens that start in [start, end), in order."""
    starts = _index(doc)[0]
    return doc[bisect_left(starts, start) : bisect_left(starts, end)]


def sentences(doc: Doc) -> list[Span]:
    return _index(doc)[1]


def sent_of(token: Token) -> Span:
    """`token.sent`, without walking the sentences from the start."""
    _, sents, sent_starts = _index(token.doc)
    return sents[bisect_right(sent_starts, token.i) - 1]


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once: spaCy joins every token's text again on each access."""
    cached = doc.user_data.get(_KEY + ".text")
    if cached is None or cached[0] != len(doc):
        cached = (len(doc), doc.text)
        doc.user_data[_KEY + ".text"] = cached
    return cached[1]


def release(doc: Doc) -> None:
    """Drop the index of a Doc that is done with. It holds Spans of the Doc, so a Doc with an
    index is in a reference cycle: freed only by the cyclic garbage collector, which counts
    objects, not bytes, and lets hundreds of finished Docs (about a megabyte each) pile up."""
    doc.user_data.pop(_KEY, None)
    doc.user_data.pop(_KEY + ".text", None)
