"""A rule-based sentence splitter with character offsets.

It copes with what real pages do to sentences: a missing space after a full stop
("talks.The minister"), quotes that close after the full stop ('... border." The minister'),
abbreviations and initials ("U.S.", "Gen.", "J. Smith", "No. 10"), decimal numbers ("2.5") and
paragraph breaks (a paragraph break always ends a sentence). Offsets index the text given, so
``text[start:end]`` is the sentence, without surrounding whitespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words after which a full stop does not end a sentence (compared without the dot, lower-case).
ABBREVIATIONS = frozenset(
    """
    mr mrs ms mx dr prof gen col lt sgt capt cpt maj cmdr adm brig gov sen rep rev fr sr jr st
    mt ft no nos vs etc al approx dept est inc ltd co corp plc bros jan feb mar apr jun jul aug
    sep sept oct nov dec mon tue tues wed thu thurs fri sat sun pres gov't assn fig vol pp ed eds
    e.g i.e a.m p.m u.s u.k u.n e.u u.s.a d.c n.y l.a
    """.split()
)
# Abbreviations that often end a sentence too: split after them before a usual sentence opener.
SENTENCE_FINAL_ABBREVIATIONS = frozenset(
    "u.s u.k u.n e.u u.s.a d.c inc ltd co corp plc etc".split()
)
SENTENCE_OPENERS = frozenset(
    """
    the a an he she it they we i you his her its their our this that these those but and yet so
    however meanwhile in on at after before when while if as there what who why how mr mrs ms dr
    """.split()
)

_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘«(["
_BOUNDARY = re.compile(
    r"""
    (?P<end>[.!?…]+[\"'”’»)\]]*)      # terminal punctuation, then closing quotes/brackets
    (?P<gap>\s+|(?=[A-Z][a-z]))        # whitespace, or no space before a capitalised word
    """,
    re.VERBOSE,
)
_WORD_BEFORE = re.compile(r"([\w.'’-]+)$")


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


def _is_boundary(text: str, m: re.Match[str]) -> bool:
    end_start = m.start("end")
    punct = m.group("end")
    nxt_pos = m.end()
    if nxt_pos >= len(text):
        return True
    nxt = text[nxt_pos]
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
        return False
    if m.group("gap") == "":
        # "talks.The": only after a lower-case word of two letters or more.
        before = text[max(0, end_start - 2) : end_start]
        return punct == "." and len(before) == 2 and before.isalpha() and before.islower()
    if not punct.startswith("."):
        return True
    word = _WORD_BEFORE.search(text[:end_start])
    if not word:
        return True
    token = word.group(1).lower().rstrip(".")
    if token in ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):
        if token in SENTENCE_FINAL_ABBREVIATIONS:
            following = re.match(r"[\"'“‘]?([A-Za-z]+)", text[nxt_pos:])
            return bool(following and following.group(1).lower() in SENTENCE_OPENERS)
        return False
    # An initial: a single capital letter before the dot ("J. Smith").
    return not (len(word.group(1)) == 1 and word.group(1).isupper())


_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph. Text with blank lines between paragraphs (plain-text
    files, often hard-wrapped) breaks at blank lines only; otherwise every line is a paragraph
    (the parser's main text)."""
    if _BLANK_LINE.search(text):
        spans, start = [], 0
        for m in _BLANK_LINE.finditer(text):
            spans.append((start, m.start()))
            start = m.end()
        spans.append((start, len(text)))
    else:
        spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    return [(s, e) for s, e in spans if text[s:e].strip()]


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    for p_start, p_end in paragraph_spans(text):
        p_text = text[p_start:p_end]
        cut = 0
        for m in _BOUNDARY.finditer(p_text):
            if _is_boundary(p_text, m):
                _append(sentences, text, p_start + cut, p_start + m.end("end"))
                cut = m.end()
        _append(sentences, text, p_start + cut, p_start + len(p_text))
    return sentences


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(len(out), start, end, text[start:end]))
