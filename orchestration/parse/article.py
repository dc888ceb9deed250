"""HTML or plain text -> an article: main text, title, authors, date, outlet, language, sentences.

Pure functions. The main text comes from trafilatura (boilerplate, navigation, ads and captions
removed), then short debris lines ("Advertisement", "Read more: ...", "Share this") are dropped.
Each metadata field has several candidates and one rule that picks the best (see `_pick_*`).
For a `.txt` page the article text is the body exactly as decoded, so offsets into it are offsets
into the file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

from .dates import (
    Publication,
    date_candidates,
    htmldate_params,
    parse_document,
    pick_publication,
    run_htmldate,
)
from .language import declared_language, detect_language
from .sentences import Sentence, split_sentences

# parse-1.1: htmldate as a date candidate, the publisher's local day, py3langid with the
# declared language as evidence
PARSER_VERSION = "parse-1.1"
MIN_WORDS = 25  # fewer words than this: an empty page, not an article

_DEBRIS = re.compile(
    r"""^\s*(?:
        advertisement|advert|ad|sponsored(?:\ content)?|promoted|
        read\ more\b.*|related(?:\ (?:stories|articles|coverage))?:?.*|more\ from\b.*|
        see\ also\b.*|also\ read\b.*|recommended\b.*|most\ read\b.*|
        share\ (?:this|on)\b.*|sign\ up\b.*|subscribe\b.*|follow\ us\b.*|
        click\ here\b.*|listen\ to\ this\ article.*|photo:.*|image:.*|getty\ images|
        (?:by|text:|words:)\ [A-Z][\w.'’-]*(?:\ [A-Z][\w.'’-]*){0,3}
            (?:,?\ and\ [A-Z][\w.'’-]*(?:\ [A-Z][\w.'’-]*){0,3})?|
        (?:live|breaking):\ .*|we\ use\ cookies\b.*|accept(?:\ all)?\ cookies
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_BYLINE_PREFIX = re.compile(
    r"^\s*(?:by|text|words|written by|reporting by|story by)\s*:?\s+", re.IGNORECASE
)
_BYLINE_CLASS = re.compile(r"byline|author|writer|\bby\b", re.IGNORECASE)


def _byline_candidates(doc) -> list[str]:
    """Texts of elements marked as bylines (class, itemprop or rel), before any date in them."""
    out = []
    for el in doc.iter():
        if not isinstance(el.tag, str) or el.tag in ("meta", "link", "script", "style"):
            continue
        marks = " ".join(filter(None, (el.get("class"), el.get("itemprop"), el.get("rel"))))
        if not marks or not _BYLINE_CLASS.search(marks):
            continue
        text = " ".join(el.text_content().split())
        text = re.split(r"\s[·|•]\s|\s\|\s|\b(?:updated|published)\b", text, flags=re.I)[0]
        if 0 < len(text) <= 120:
            out.append(text)
    return out


_AUTHOR_NOISE = re.compile(
    r"(?:,[^,]*)?\b(?:staff|correspondents?|reporters?|editors?|writers?|contributors?|"
    r"columnists?|in\ [A-Z][a-z]+)\b.*$|\s*\|.*$",
)


@dataclass
class PageHints:
    """What the source listing said about the page (feed, sitemap or sidecar)."""

    title: str | None = None
    published_at: datetime | None = None
    outlet: str | None = None
    language: str | None = None


@dataclass
class Article:
    url: str
    text: str
    title: str | None
    authors: list[str]
    published_at: datetime | None
    published_at_source: str | None
    outlet: str
    language: str | None
    word_count: int
    status: str  # ok | empty | non_english
    status_reason: str | None
    sentences: list[Sentence] = field(default_factory=list)
    parser_version: str = PARSER_VERSION
    published_date_local: date | None = None  # the publisher's day (see dates.Publication)
    published_utc_offset_minutes: int | None = None  # the offset the page wrote its time in
    language_reason: str | None = None

    @property
    def is_extractable(self) -> bool:
        return self.status == "ok"


def _meta(doc, *names: str) -> list[str]:
    out = []
    for el in doc.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        if key in names and (el.get("content") or "").strip():
            out.append(el.get("content").strip())
    return out


def _json_ld(doc) -> list[dict]:
    items: list[dict] = []
    for script in doc.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            node = stack.pop(0)
            if isinstance(node, dict):
                items.append(node)
                stack.extend(node.get("@graph", []) if isinstance(node.get("@graph"), list) else [])
            elif isinstance(node, list):
                stack.extend(node)
    return items


def _names(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def clean_authors(raw: list[str], outlet: str | None = None) -> list[str]:
    """'By Nadia Perel, Herald defence correspondent' -> ['Nadia Perel']; 'A and B' -> both;
    outlet names and '<outlet> staff' bylines are not people."""
    out: list[str] = []
    for item in raw:
        for part in re.split(r";|\s+and\s+|\s*&\s*|,(?=\s*(?:by\s+)?[A-Z][a-z]+\s+[A-Z])", item):
            name = _BYLINE_PREFIX.sub("", part).strip()
            name = _AUTHOR_NOISE.sub("", name).strip(" ,.-–—")
            # "Erik Solberg, CPA", "Jane Doe, Reuters", "John Roe, Kyiv": a full name, then its
            # agency or place
            m = re.match(r"^((?:[A-Z][\w'’.-]+\s+){1,3}[A-Z][\w'’-]+)\s*,\s*[^,]{1,40}$", name)
            if m:
                name = m.group(1)
            if not name or len(name) > 60 or not re.search(r"[A-Za-z]", name):
                continue
            if outlet and name.lower().startswith(outlet.lower()):
                continue
            if re.search(r"(?i)\bstaff\b|\bnewsroom\b|\bdesk\b", part):
                continue  # "Aurelia Today staff": the outlet, not a person
            if re.fullmatch(r"(?i)(?:the\s+)?(?:staff|newsroom|editors?|agencies|wires?)", name):
                continue
            if name not in out:
                out.append(name)
    return out


def _clean_title(title: str, outlet: str | None) -> str:
    title = re.sub(r"\s+", " ", title).strip()
    if outlet:
        o = re.escape(outlet)
        title = re.sub(rf"\s*(?:\||-|–|—|::|·)\s*{o}\s*$", "", title, flags=re.IGNORECASE)
        title = re.sub(rf"^{o}\s*(?::|\||-|–|—)\s*", "", title, flags=re.IGNORECASE)
    return title.strip()


def _status(text: str, language: str | None) -> tuple[str, str | None]:
    words = len(text.split())
    if words < MIN_WORDS:
        return "empty", f"only {words} words of main text (fewer than {MIN_WORDS})"
    if language and language != "en":
        return "non_english", f"language is {language!r}, not English"
    return "ok", None


def _main_text(html: str, url: str | None, fetched_at: datetime | None) -> tuple[str, dict]:
    """The main text and trafilatura's metadata, whose ``date`` is htmldate's extensive search
    on the tree trafilatura parsed (run with our parameters: one parse, one htmldate run)."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        include_comments=False,
        include_tables=False,
        include_images=False,
        with_metadata=True,
        favor_precision=True,
        deduplicate=False,
        date_extraction_params=htmldate_params(url, fetched_at),
    )
    if doc is None:
        return "", {}
    meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    lines = [ln.strip() for ln in (meta.get("text") or "").splitlines()]
    text = "\n".join(ln for ln in lines if ln and not _DEBRIS.match(ln))
    return text, meta


def parse_html(
    html: str,
    *,
    url: str,
    fetched_at: datetime | None = None,
    hints: PageHints | None = None,
    source_outlet: str | None = None,
) -> Article:
    import lxml.html

    hints = hints or PageHints()
    text, meta = _main_text(html, url, fetched_at)
    doc = parse_document(html)  # one lxml parse for metadata, dates and language
    if doc is None:
        doc = lxml.html.document_fromstring("<html></html>")
    ld = [n for n in _json_ld(doc) if isinstance(n, dict)]

    site_names = _meta(doc, "og:site_name", "application-name") + [
        name for n in ld for name in _names(n.get("publisher"))
    ]
    domain = (urlsplit(url).hostname or "").removeprefix("www.") or None
    outlet = next(
        (o for o in [*site_names, hints.outlet, source_outlet, domain] if o and o.strip()),
        "unknown",
    ).strip()

    headlines = [n["headline"] for n in ld if isinstance(n.get("headline"), str)]
    h1 = [h.text_content().strip() for h in doc.iter("h1") if h.text_content().strip()]
    titles = [
        *headlines,
        *_meta(doc, "og:title", "twitter:title"),
        *h1,
        meta.get("title"),
        hints.title,
        doc.findtext(".//title"),
    ]
    title = next((_clean_title(t, outlet) for t in titles if t and t.strip()), None)
    # The headline is metadata, not body text: drop it from the top of the text.
    if title and text.split("\n", 1)[0].strip() == title:
        text = text.split("\n", 1)[1] if "\n" in text else ""

    raw_authors = [name for n in ld for name in _names(n.get("author"))]
    if not raw_authors:
        raw_authors = _meta(doc, "author", "article:author", "dc.creator", "parsely-author")
    if not raw_authors:
        raw_authors = _byline_candidates(doc)[:1]
    if not raw_authors and meta.get("author"):
        raw_authors = [meta["author"]]
    authors = clean_authors(raw_authors, outlet)

    # trafilatura ran htmldate when it extracted anything; otherwise run it on our tree
    found = meta["date"] if "date" in meta else run_htmldate(doc, url, fetched_at)
    candidates = date_candidates(html, url, text, hints.published_at, doc=doc, htmldate=found)
    declared, declared_from = declared_language(doc, hints.language)
    return _article(
        url, text, title, authors, outlet, pick_publication(candidates, fetched_at),
        declared, declared_from,
    )  # fmt: skip


def _article(
    url: str,
    text: str,
    title: str | None,
    authors: list[str],
    outlet: str,
    picked: Publication | None,
    declared: str | None,
    declared_from: str | None = None,
) -> Article:
    """The fields every page type derives the same way: language, status, counts, sentences."""
    guess = detect_language(text, declared, declared_from)
    status, reason = _status(text, guess.language)
    if status == "non_english":
        reason = f"{reason} ({guess.reason})"
    offset = picked.utc_offset if picked else None
    return Article(
        url=url,
        text=text,
        title=title,
        authors=authors,
        published_at=picked.published_at if picked else None,
        published_at_source=picked.source if picked else None,
        outlet=outlet,
        language=guess.language,
        word_count=len(text.split()),
        status=status,
        status_reason=reason,
        sentences=split_sentences(text),
        published_date_local=picked.date_local if picked else None,
        published_utc_offset_minutes=(
            int(offset.total_seconds() // 60) if offset is not None else None
        ),
        language_reason=guess.reason,
    )


def parse_text(
    text: str,
    *,
    url: str,
    fetched_at: datetime | None = None,
    hints: PageHints | None = None,
    source_outlet: str | None = None,
) -> Article:
    """A plain-text page: the text is kept exactly (offsets point into the file as read)."""
    hints = hints or PageHints()
    first_line = next((ln.strip() for ln in text.splitlines() if ln.strip()), None)
    candidates = date_candidates(None, url, text, hints.published_at)
    domain = (urlsplit(url).hostname or "").removeprefix("www.") or None
    outlet = next((o for o in (hints.outlet, source_outlet, domain) if o), "unknown")
    title = hints.title or (first_line[:200] if first_line else None)
    return _article(
        url,
        text,
        title,
        [],
        outlet,
        pick_publication(candidates, fetched_at),
        hints.language,
        f"listing language {hints.language}" if hints.language else None,
    )


def parse_page(
    body: bytes,
    *,
    charset: str | None,
    content_type: str | None,
    url: str,
    fetched_at: datetime | None = None,
    hints: PageHints | None = None,
    source_outlet: str | None = None,
) -> Article:
    """Decode a raw archived body and parse it as HTML or plain text."""
    text = body.decode(charset or "utf-8", errors="replace")
    kind = (content_type or "").split(";")[0].strip().lower()
    is_text = kind == "text/plain" or (
        not kind and not re.search(r"<(?:html|body|p)\b", text, re.I)
    )
    parse = parse_text if is_text else parse_html
    return parse(text, url=url, fetched_at=fetched_at, hints=hints, source_outlet=source_outlet)
