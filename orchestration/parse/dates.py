"""The publication date of a news page: gather candidates from everywhere, then pick one.

The idea is news-please's: a page states its date in several places, some more trustworthy than
others, so :func:`date_candidates` collects every candidate it can find and
:func:`pick_publication` compares them with one rule (documented there).

Sources, in the order they are collected:

- ``json-ld``: ``datePublished`` of a schema.org article object (``NewsArticle``, ``Article``,
  ``ReportageNewsArticle``, ``BlogPosting``, ...), also inside ``@graph`` and lists; other typed
  objects only when no article object has one; ``dateModified`` only as a weak fallback when the
  JSON-LD gives no ``datePublished`` at all.
- ``opengraph``: ``article:published_time`` / ``og:published_time`` (``article:modified_time`` as
  a weak fallback).
- ``meta``: ``<meta name="date|pubdate|publishdate|dc.date|dc.date.issued|sailthru.date|
  parsely-pub-date|publication_date|...">`` and ``itemprop="datePublished"``.
- ``time-tag``: ``<time datetime="...">`` with a ``pubdate`` attribute or inside a byline, header
  or dateline; any other ``<time>`` only as a weak candidate.
- ``htmldate``: the day htmldate's extensive search finds (passed in: trafilatura runs it on the
  tree it parsed, see :func:`htmldate_params`; or :func:`run_htmldate`). htmldate is its own
  comparer over meta tags, JSON, abbr/time elements, the URL and the text, with date formats
  of many languages (numeric, "4. März 2026", "4 mars 2026", ...) that the sources here skip.
- ``url``: ``/2026/03/04/``, ``/2026-03-04/``, ``20260304`` in the path; a month-only
  ``/2026/03/`` is recorded as a weak candidate (``day_known=False``, value the 1st of the month).
- ``text``: "March 4, 2026", "4 March 2026", "Published Tuesday 4 March 2026 11:02 GMT", ... in the
  first ~500 characters of the article text (when the caller passes it; the HTML is not mined for
  free text). Dates preceded by "Updated"/"Modified" are skipped; numeric dates such as
  04/03/2026 are ambiguous and ignored.
- ``hint``: the date the feed or sitemap gave (passed in).

Every value is timezone-aware UTC; a naive value is taken as UTC; a date-only value is midnight
UTC with ``has_time=False``. The offset a time was written in is kept (``utc_offset``), so the
day the publisher dated the page is known as well as the instant (see :class:`Publication`).
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import unquote, urlsplit

import lxml.etree
import lxml.html

__all__ = [
    "DateCandidate",
    "Publication",
    "date_candidates",
    "htmldate_params",
    "parse_date",
    "parse_document",
    "pick_publication",
    "pick_published_at",
    "run_htmldate",
]

SOURCES = ("json-ld", "opengraph", "meta", "time-tag", "htmldate", "url", "text", "hint")

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
"""Anything before this is implausible for an online news page."""

CLOCK_SKEW = timedelta(minutes=5)
"""A candidate may be this much later than the fetch time (the publisher's clock may run fast)."""

# How far a timed value may sit from midnight UTC of a date-only candidate and still be "the same
# day" somewhere on Earth: a day starts up to 14 h earlier (UTC+14) and ends up to 12 h later
# (UTC-12) than the UTC day.
_DAY_EARLY = timedelta(hours=14)
_DAY_LATE = timedelta(hours=12)


@dataclass(frozen=True)
class DateCandidate:
    """One statement of a page's publication date.

    ``value`` is timezone-aware UTC. ``has_time`` is False for a date-only value (then ``value`` is
    midnight UTC of that date); ``day_known`` is False for a month-only URL date (then ``value``
    is midnight UTC of the 1st). ``weak`` marks a second-rate variant of its source: a
    modified date used as a fallback, or a ``<time>`` tag outside any byline or header.
    """

    value: datetime
    source: str  # one of SOURCES
    raw: str
    has_time: bool = True
    day_known: bool = True
    weak: bool = False
    # The UTC offset the page wrote the value in ("+02:00", "EST", "Z"); None when it wrote none
    # (a naive time, a date only, a Unix timestamp). Not part of equality: the same instant.
    utc_offset: timedelta | None = field(default=None, compare=False)

    @property
    def date_only(self) -> bool:
        return not self.has_time

    @property
    def written_date(self) -> date:
        """The calendar day as the page wrote it: the day in the stated offset, else the day as
        written (a naive or date-only value is kept as written, read as UTC)."""
        if self.utc_offset is None:
            return self.value.date()
        return (self.value + self.utc_offset).date()

    @property
    def rank(self) -> int:
        """Reliability, lower is better (see :func:`pick_published_at`)."""
        if not self.day_known:
            return 10
        if self.weak:
            return 6 if self.source == "time-tag" else 9
        return _RANK.get(self.source, 8)


_RANK = {
    "json-ld": 0,
    "opengraph": 1,
    "meta": 2,
    "time-tag": 3,
    "htmldate": 4,
    "url": 5,
    "text": 7,
    "hint": 8,
}


# --------------------------------------------------------------------------------------------
# Parsing one value


_TZ_ABBREVIATIONS = {
    "UTC": 0,
    "GMT": 0,
    "UT": 0,
    "Z": 0,
    "WET": 0,
    "BST": 1,
    "WEST": 1,
    "CET": 1,
    "CEST": 2,
    "EET": 2,
    "EEST": 3,
    "MSK": 3,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "AKST": -9,
    "AKDT": -8,
    "HST": -10,
    "JST": 9,
    "KST": 9,
    "AEST": 10,
    "AEDT": 11,
    "NZST": 12,
    "NZDT": 13,
}
_TZ_NAMES = "|".join(sorted(_TZ_ABBREVIATIONS, key=len, reverse=True))
_TZ_PART = rf"(?:{_TZ_NAMES})\b(?:\s*[+-]\d{{1,2}}(?::?\d{{2}})?)?|[+-]\d{{2}}(?::?\d{{2}})?"

_ISO = re.compile(
    r"(?P<y>\d{4})(?P<sep>-?)(?P<mo>\d{2})(?P=sep)(?P<d>\d{2})"
    r"(?:(?:T|t|\s+)(?P<h>\d{2}):?(?P<mi>\d{2})(?::?(?P<s>\d{2})(?:[.,]\d+)?)?"
    rf"\s*(?P<tz>{_TZ_PART})?)?"
    r"(?![\d:])"
)

_MONTHS = {
    name.lower(): i
    for i in range(1, 13)
    for name in (calendar.month_name[i], calendar.month_abbr[i])
}
_MONTHS["sept"] = 9
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))

_TIME = (
    r"(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2}))?"
    r"(?:\s*(?P<ampm>[aApP]\.?\s?[mM]\.?))?"
    rf"(?:\s*(?P<tz>{_TZ_PART}))?"
)
_MDY = re.compile(
    rf"\b(?P<mon>{_MONTH_NAMES})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{{2}})\b",
    re.IGNORECASE,
)
_DMY = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH_NAMES})\.?,?\s+"
    r"(?P<y>(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_ISO_IN_TEXT = re.compile(r"(?<![\d/.-])(?P<y>(?:19|20)\d{2})-(?P<mo>\d{2})-(?P<d>\d{2})(?![\d])")
_TIME_AFTER = re.compile(r"\s*(?:,|\bat\b|-|–|—|\||·)?\s*" + _TIME + r"(?![\d:])")
_TIME_BEFORE = re.compile(r"(?<![\d:])" + _TIME + r"\s*(?:,|\bon\b|-|–|—|\||·)?\s*$")


def _offset(tz: str | None) -> timezone | None:
    """A UTC offset from "Z", "+02:00", "+0200", "+02", "GMT", "GMT+2", "EST", ...; None = naive."""
    if not tz:
        return None
    tz = tz.strip()
    m = re.fullmatch(r"([A-Za-z]*)\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?", tz)
    if not m:
        return None
    name, sign, hh, mm = m.groups()
    hours = 0
    if name:
        if name.upper() not in _TZ_ABBREVIATIONS:
            return None
        hours = _TZ_ABBREVIATIONS[name.upper()]
    delta = timedelta(hours=hours)
    if sign:
        extra = timedelta(hours=int(hh), minutes=int(mm or 0))
        delta += extra if sign == "+" else -extra
    if abs(delta) >= timedelta(hours=24):
        return None
    return timezone(delta)


def _build(
    y: int, mo: int, d: int, h: int | None = None, mi: int = 0, s: int = 0, tz: str | None = None
) -> tuple[datetime, bool, timedelta | None] | None:
    """(UTC value, has_time, the offset written or None), or None for an impossible date."""
    try:
        if h is None:
            return datetime(y, mo, d, tzinfo=UTC), False, None
        zone = _offset(tz)
        value = datetime(y, mo, d, h, mi, s, tzinfo=zone or UTC)
    except ValueError:
        return None
    return value.astimezone(UTC), True, (zone.utcoffset(None) if zone else None)


def _hour(h: str, ampm: str | None) -> int:
    hour = int(h)
    if ampm:
        pm = ampm.strip()[0].lower() == "p"
        if hour == 12:
            hour = 0
        if pm:
            hour += 12
    return hour


def parse_date(raw: str | None) -> tuple[datetime, bool] | None:
    """Parse one machine- or human-written date into (UTC datetime, has_time), or None.

    Accepts ISO 8601 / W3C (offsets, "Z", basic format, date only), RFC 2822 ("Wed, 04 Mar 2026
    11:02:00 GMT"), Unix timestamps (10 or 13 digits), and English prose dates ("March 4, 2026
    11:02 GMT", "4 March 2026"). A naive value is taken as UTC; a date-only value is midnight UTC.
    """
    parsed = _parse(raw)
    return parsed[:2] if parsed else None


def _parse(raw: str | None) -> tuple[datetime, bool, timedelta | None] | None:
    """:func:`parse_date`, plus the UTC offset the value was written in (None when none was)."""
    if not raw:
        return None
    text = raw.strip()
    if not text:
        return None
    m = _ISO.match(text)
    if m and (m["h"] is not None or not text[m.end() :].strip()):
        return _build(
            int(m["y"]),
            int(m["mo"]),
            int(m["d"]),
            int(m["h"]) if m["h"] is not None else None,
            int(m["mi"] or 0),
            int(m["s"] or 0),
            m["tz"],
        )
    if re.fullmatch(r"\d{10}(?:\d{3})?(?:\.\d+)?", text):
        seconds = float(text) / (1000 if len(text.split(".")[0]) == 13 else 1)
        try:
            return datetime.fromtimestamp(seconds, tz=UTC), True, timedelta(0)  # an instant
        except (OverflowError, OSError, ValueError):
            return None
    if re.match(r"[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}", text):
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            value = None
        if value is not None:
            offset = value.utcoffset()
            if value.tzinfo is None:
                value = value.replace(tzinfo=UTC)
            return value.astimezone(UTC), True, offset
    found = _prose_dates(text, limit=len(text))
    if found:
        value, has_time, _, _, offset = found[0]
        return value, has_time, offset
    if m:  # an ISO date followed by something we could not read: keep the date
        return _build(int(m["y"]), int(m["mo"]), int(m["d"]))
    return None


def _prose_dates(
    text: str, limit: int = 500
) -> list[tuple[datetime, bool, str, bool, timedelta | None]]:
    """Dates written in prose that start within the first `limit` characters, in text order.

    Each is (value, has_time, raw, introduced by "published"/"posted", the offset written). A
    date preceded by "updated"/"modified"/"edited" (nearer than any "published"/"posted") is
    skipped. A time of day right after (or right before) the date is attached to it.
    """
    window = text[: limit + 80]
    spans: list[tuple[int, int, int, int, int]] = []  # start, end, y, mo, d
    for rx in (_MDY, _DMY):
        for m in rx.finditer(window):
            mo = _MONTHS[m["mon"].lower().rstrip(".")]
            spans.append((m.start(), m.end(), int(m["y"]), mo, int(m["d"])))
    for m in _ISO_IN_TEXT.finditer(window):
        spans.append((m.start(), m.end(), int(m["y"]), int(m["mo"]), int(m["d"])))
    spans.sort()
    out: list[tuple[datetime, bool, str, bool, timedelta | None]] = []
    last_end = -1
    for start, end, y, mo, d in spans:
        if start >= limit or start < last_end:
            continue
        last_end = end
        before = window[max(0, start - 40) : start]
        marks = re.findall(
            r"\b(updated|modified|edited|published|posted|first\s+published)\b",
            before,
            re.IGNORECASE,
        )
        if marks and marks[-1].lower() in {"updated", "modified", "edited"}:
            continue
        h = None
        mi = s = 0
        tz = None
        t = _TIME_AFTER.match(window, end)
        if t is None:
            t = _TIME_BEFORE.search(window[max(0, start - 30) : start])
        if t is not None and int(t["h"]) <= (12 if t["ampm"] else 23) and int(t["mi"]) < 60:
            h = _hour(t["h"], t["ampm"])
            mi = int(t["mi"])
            s = int(t["s"] or 0)
            tz = t["tz"]
            span_end = max(end, t.end()) if t.re is _TIME_AFTER else end
        else:
            span_end = end
        built = _build(y, mo, d, h, mi, s, tz)
        if built is not None:
            published = bool(marks) and marks[-1].lower() not in {"updated", "modified", "edited"}
            raw = window[start:span_end].strip()
            out.append((built[0], built[1], raw, published, built[2]))
    return out


# --------------------------------------------------------------------------------------------
# Sources


_ARTICLE_TYPES = re.compile(r"(?:article|posting)$|^report$", re.IGNORECASE)


def parse_document(html: str) -> lxml.html.HtmlElement | None:
    """The page as an lxml document (decoded text re-encoded, so an XML encoding declaration
    in it does no harm), or None when lxml cannot make one."""
    try:
        parser = lxml.html.HTMLParser(encoding="utf-8")
        return lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (lxml.etree.ParserError, ValueError, TypeError):
        return None


def _json_ld_objects(doc: lxml.html.HtmlElement) -> Iterator[tuple[dict, int]]:
    """Every JSON object inside JSON-LD scripts, with its nesting depth, in document order."""
    for script in doc.iter("script"):
        kind = (script.get("type") or "").split(";")[0].strip().lower()
        if kind != "application/ld+json":
            continue
        body = (script.text or "").strip()
        body = re.sub(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)", "", body)
        body = re.sub(r"(?:-->|//\s*\]\]>|\]\]>)\s*$", "", body)
        try:
            data = json.loads(body, strict=False)
        except ValueError:
            try:  # a trailing comma is the commonest hand-written slip
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", body), strict=False)
            except ValueError:
                continue
        yield from _walk(data, 0)


def _walk(node: object, depth: int) -> Iterator[tuple[dict, int]]:
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, depth)
    elif isinstance(node, dict):
        yield node, depth
        for key, child in node.items():
            if isinstance(child, dict | list):
                yield from _walk(child, depth if key == "@graph" else depth + 1)


def _types(obj: dict) -> list[str]:
    t = obj.get("@type") or []
    return [str(x) for x in (t if isinstance(t, list) else [t])]


def _first_string(value: object) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str | int | float)), None)
    if isinstance(value, dict):
        value = value.get("@value")
    if isinstance(value, int | float):
        return str(value)
    return value if isinstance(value, str) and value.strip() else None


def _candidate(raw: str | None, source: str, **flags: bool) -> DateCandidate | None:
    parsed = _parse(raw)
    if parsed is None or raw is None:
        return None
    value, has_time, offset = parsed
    return DateCandidate(value, source, raw.strip(), has_time=has_time, utc_offset=offset, **flags)


def _from_json_ld(doc: lxml.html.HtmlElement) -> list[DateCandidate]:
    objects = list(_json_ld_objects(doc))
    article: list[tuple[int, int, str]] = []
    other: list[tuple[int, int, str]] = []
    modified: list[tuple[int, int, str]] = []
    for order, (obj, depth) in enumerate(objects):
        is_article = any(_ARTICLE_TYPES.search(re.split(r"[/:#]", t)[-1]) for t in _types(obj))
        published = _first_string(obj.get("datePublished"))
        if published:
            (article if is_article else other).append((depth, order, published))
        changed = _first_string(obj.get("dateModified"))
        if changed:
            modified.append((0 if is_article else 1, depth * 10_000 + order, changed))
    chosen = sorted(article) or sorted(other)
    out = [c for _, _, raw in chosen if (c := _candidate(raw, "json-ld"))]
    if not out:
        out = [c for _, _, raw in sorted(modified) if (c := _candidate(raw, "json-ld", weak=True))]
    return out


_OG_PUBLISHED = {
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "article:published",
}
_OG_MODIFIED = {"article:modified_time", "og:updated_time", "og:modified_time"}
_META_NAMES = {
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published_date",
    "published-date",
    "publication_date",
    "publication-date",
    "dc.date",
    "dc.date.issued",
    "dc.date.created",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "article_date_original",
    "original-publish-date",
    "datepublished",
    "citation_publication_date",
    "cxenseparse:recs:publishtime",
}


def _from_meta(doc: lxml.html.HtmlElement) -> tuple[list[DateCandidate], list[DateCandidate]]:
    og: list[DateCandidate] = []
    og_modified: list[DateCandidate] = []
    meta: list[DateCandidate] = []
    for el in doc.iter("meta"):
        content = el.get("content")
        keys = {(el.get(a) or "").strip().lower() for a in ("property", "name", "itemprop")}
        keys.discard("")
        if not content or not keys:
            continue
        if keys & _OG_PUBLISHED:
            if c := _candidate(content, "opengraph"):
                og.append(c)
        elif keys & _OG_MODIFIED:
            if c := _candidate(content, "opengraph", weak=True):
                og_modified.append(c)
        elif keys & _META_NAMES and (c := _candidate(content, "meta")):
            meta.append(c)
    # microdata on other elements: <span itemprop="datePublished" content="...">, <time ...>
    for el in doc.xpath("//*[@itemprop and not(self::meta)]"):
        if "datepublished" not in (el.get("itemprop") or "").lower().split():
            continue
        raw = el.get("content") or el.get("datetime") or el.text_content()
        if c := _candidate(raw, "meta"):
            meta.append(c)
    return (og or og_modified), meta


_BYLINE = re.compile(
    r"byline|header|dateline|date|time|posted|publish|pubdate|meta|author|credit|timestamp",
    re.IGNORECASE,
)
_ELSEWHERE = re.compile(
    r"related|sidebar|comment|teaser|promo|recommend|most-?read|widget|more-|-more|footer",
    re.IGNORECASE,
)
_UPDATED = re.compile(r"updat|modif|edited|revis", re.IGNORECASE)


def _text_before(el: lxml.html.HtmlElement) -> str:
    prev = el.getprevious()
    if prev is not None:
        return prev.tail or ""
    parent = el.getparent()
    return (parent.text or "") if parent is not None else ""


def _in_byline(el: lxml.html.HtmlElement) -> bool:
    """A <time> with `pubdate`, or inside a <header>/<address> or a byline-like container."""
    own = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("itemprop"))))
    if "pubdate" in el.attrib or re.search(r"publish|pubdate", own, re.IGNORECASE):
        return True
    for anc in el.iterancestors():
        if anc.tag in ("header", "address"):
            return True
        if anc.tag in ("aside", "nav", "body"):
            return False
        label = " ".join(filter(None, (anc.get("class"), anc.get("id"), anc.get("rel"))))
        if not label:
            continue
        if _UPDATED.search(label) or _ELSEWHERE.search(label):
            return False
        if _BYLINE.search(label):
            return True
    return False


def _from_time_tags(doc: lxml.html.HtmlElement) -> list[DateCandidate]:
    """<time> tags in a byline/header (or with `pubdate`); failing those, the first other one."""
    strong: list[DateCandidate] = []
    weak: list[DateCandidate] = []
    for el in doc.iter("time"):
        own = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("itemprop"))))
        if _UPDATED.search(own) or _UPDATED.search(_text_before(el)[-25:]):
            continue
        preferred = _in_byline(el)
        c = _candidate(el.get("datetime") or el.text_content(), "time-tag", weak=not preferred)
        if c is not None:
            (weak if c.weak else strong).append(c)
    return strong or weak[:1]


_URL_FULL = (
    re.compile(
        r"(?<![\d])(?P<y>(?:19|20)\d{2})(?P<sep>[/_.-])(?P<mo>0?[1-9]|1[0-2])(?P=sep)"
        r"(?P<d>0?[1-9]|[12]\d|3[01])(?![\d])"
    ),
    re.compile(
        r"(?<![\d])(?P<y>(?:19|20)\d{2})(?P<mo>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"
    ),
)
_URL_MONTH = re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<mo>0?[1-9]|1[0-2])(?:/|$)")


def _from_url(url: str) -> list[DateCandidate]:
    try:
        path = unquote(urlsplit(url.strip()).path)
    except ValueError:
        return []
    for rx in _URL_FULL:
        for m in rx.finditer(path):
            built = _build(int(m["y"]), int(m["mo"]), int(m["d"]))
            if built is not None:
                return [DateCandidate(built[0], "url", m.group(0), has_time=False)]
    m = _URL_MONTH.search(path)
    if m:
        built = _build(int(m["y"]), int(m["mo"]), 1)
        if built is not None:
            raw = m.group(0).strip("/")
            return [DateCandidate(built[0], "url", raw, has_time=False, day_known=False)]
    return []


def _from_text(text: str) -> list[DateCandidate]:
    found = _prose_dates(text, limit=500)
    found.sort(key=lambda f: not f[3])  # a date introduced by "Published"/"Posted" first
    return [
        DateCandidate(v, "text", raw, has_time=ht, utc_offset=off) for v, ht, raw, _, off in found
    ]


def _as_utc(value: datetime) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def htmldate_params(url: str | None, fetched_at: datetime | None) -> dict:
    """The arguments we give htmldate's ``find_date``: extensive search, the original
    (publication, not modification) date, as a day. Shared with trafilatura
    (``date_extraction_params``), which runs htmldate on the tree it parsed.

    htmldate's own upper bound is set a year past the fetch, not at the fetch: given a date
    past its bound, htmldate falls back to the first of that date's month (a day the page never
    stated). The rule that nothing is published after its fetch is applied by
    :func:`pick_publication` to htmldate's answer like to any other candidate.
    """
    bound = _as_utc(fetched_at) if fetched_at is not None else datetime.now(UTC)
    return {
        "extensive_search": True,
        "original_date": True,
        "outputformat": "%Y-%m-%d",
        "url": url,
        "max_date": (bound + timedelta(days=366)).date().isoformat(),
    }


def run_htmldate(
    doc: lxml.html.HtmlElement | str | None, url: str | None, fetched_at: datetime | None
) -> str | None:
    """htmldate's publication day of a page (``YYYY-MM-DD``) or None. Give it the lxml tree
    already parsed to spare a second parse (htmldate copies it before pruning). A string
    is parsed here first: htmldate would take a string that looks like a URL for one to fetch."""
    from htmldate import find_date

    if isinstance(doc, str):
        doc = parse_document(doc)
    if doc is None:
        return None
    try:
        return find_date(doc, **htmldate_params(url, fetched_at))
    except (ValueError, TypeError, lxml.etree.LxmlError):
        return None


def _from_htmldate(found: str | None) -> list[DateCandidate]:
    """htmldate's day as a candidate. A day that is the 1st of a month may be htmldate's
    stand-in for a month or a year it found without a day ("March 2026", "(c) 2026" become the
    1st): it is taken as a month (``day_known=False``), which any agreeing day sharpens and
    which is still the answer when nothing else is found."""
    if not found:
        return []
    parsed = _parse(found)
    if parsed is None:
        return []
    value, has_time, offset = parsed
    return [
        DateCandidate(
            value, "htmldate", found, has_time=has_time, day_known=value.day != 1, utc_offset=offset
        )
    ]


def date_candidates(
    html: str | None,
    url: str | None,
    text: str | None = None,
    hint: datetime | None = None,
    *,
    doc: lxml.html.HtmlElement | None = None,
    htmldate: str | None = None,
) -> list[DateCandidate]:
    """Every publication date the page, its URL, its text and the feed hint state.

    `doc` is the page already parsed by lxml (else `html` is parsed here); `htmldate` is what
    :func:`run_htmldate` (or trafilatura, with :func:`htmldate_params`) found on the page.
    Returned in source order (json-ld, opengraph, meta, time-tag, htmldate, url, text, hint),
    duplicates removed; any argument may be None. Nothing is discarded here: that is
    :func:`pick_publication`'s job.
    """
    out: list[DateCandidate] = []
    if doc is None and html:
        doc = parse_document(html)
    if doc is not None:
        out += _from_json_ld(doc)
        og, meta = _from_meta(doc)
        out += og + meta
        out += _from_time_tags(doc)
    out += _from_htmldate(htmldate)
    if url:
        out += _from_url(url)
    if text:
        out += _from_text(text)
    if hint is not None:
        out.append(DateCandidate(_as_utc(hint), "hint", hint.isoformat()))
    seen: set[tuple] = set()
    unique = []
    for c in out:
        key = (c.source, c.value, c.has_time, c.day_known, c.weak)
        if key not in seen:
            seen.add(key)
            unique.append(c)
    return unique


# --------------------------------------------------------------------------------------------
# The comparer


def _agrees(base: DateCandidate, other: DateCandidate) -> bool:
    """Whether `other` falls within `base`'s day (or month), allowing for the publisher's zone."""
    start = base.value
    if not base.day_known:
        y, m = start.year, start.month
        end = datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=UTC)
    elif not base.has_time:
        end = start + timedelta(days=1)
    else:
        return other.value == base.value
    return start - _DAY_EARLY <= other.value < end + _DAY_LATE


def _precision(c: DateCandidate) -> int:
    return 0 if not c.day_known else (2 if c.has_time else 1)


@dataclass(frozen=True)
class Publication:
    """The publication date picked for a page: the instant in UTC, and the publisher's day.

    ``published_at`` is the picked candidate's value (UTC; midnight UTC for a date only).
    ``date_local`` is the day the publisher dated the page in its own calendar: a page dated
    "2026-03-04T22:30:00-05:00" was published on 4 March locally although it is 5 March in UTC.
    ``utc_offset`` is the offset the page wrote its time in, when it wrote one.
    """

    candidate: DateCandidate
    date_local: date
    day_source: str

    @property
    def published_at(self) -> datetime:
        return self.candidate.value

    @property
    def source(self) -> str:
        return self.candidate.source

    @property
    def utc_offset(self) -> timedelta | None:
        return self.candidate.utc_offset if self.candidate.has_time else None


def pick_published_at(
    candidates: list[DateCandidate], fetched_at: datetime | None
) -> DateCandidate | None:
    """The candidate picked by :func:`pick_publication` (its UTC instant), or None."""
    picked = pick_publication(candidates, fetched_at)
    return picked.candidate if picked else None


def _in_utc(c: DateCandidate) -> bool:
    """A time written in UTC (or a feed time, kept in UTC upstream): its day in UTC need not
    be the publisher's day."""
    return c.has_time and (c.utc_offset == timedelta(0) or c.source == "hint")


# A page's day is looked for among these when its time is in UTC: the day it writes as a day.
_DAY_SOURCES_MAX_RANK = _RANK["url"]
# ... in a zone from UTC-10 (Hawaii) to UTC+14, where nearly everyone lives
_LOCAL_EARLY = timedelta(hours=14)
_LOCAL_LATE = timedelta(hours=10)


def _local_day(
    picked: DateCandidate, base: DateCandidate, ranked: list[DateCandidate]
) -> tuple[date, str]:
    """The publisher's day for the `picked` candidate (sharpened from `base`), and the source
    that gave the day (rule 4 of :func:`pick_publication`)."""
    if base.day_known and not base.has_time:
        return base.written_date, base.source  # a day written as a day is the local day
    if not _in_utc(picked):
        return picked.written_date, picked.source
    for c in ranked:
        if c.has_time or not c.day_known or c.weak or c.rank > _DAY_SOURCES_MAX_RANK:
            continue
        start = c.value  # midnight UTC of the day as written
        if start - _LOCAL_EARLY <= picked.value < start + timedelta(days=1) + _LOCAL_LATE:
            return c.written_date, c.source
    return picked.written_date, picked.source


def pick_publication(
    candidates: list[DateCandidate], fetched_at: datetime | None
) -> Publication | None:
    """The best publication date among `candidates`, or None when none is plausible.

    The rule:

    1. Discard the impossible: candidates later than ``fetched_at`` plus 5 minutes of clock skew
       (a page cannot be published after it was read; a date-only value counts as midnight UTC;
       without ``fetched_at`` the current time is the bound) and candidates before 1990.
    2. Rank the rest by source reliability: json-ld, then opengraph, then meta (the three
       structured, near-equal sources, in that order), then ``<time>`` in a byline/header or with
       ``pubdate``, then htmldate's extensive search (its own comparer over the markup, the URL
       and the text, with many languages' date formats), then a full date in the URL, then any
       other ``<time>``, then a date in the text, then the feed/sitemap hint, then a modified
       date used as a fallback, last a month-only URL date. Within a rank the first found
       wins. The best-ranked candidate is the base: when candidates disagree, however wildly,
       the most reliable one wins.
    3. Sharpen the base: if it lacks a time of day (or a day), take instead the best-ranked more
       precise candidate that agrees with it, i.e. falls within the base's day (or month) in some
       time zone (from 14 h before midnight UTC to 12 h after the day's end). So a URL date
       2026-03-04 plus a feed time 2026-03-04T11:02Z gives the feed's time, while a feed time
       on another day leaves the URL date.
    4. The publisher's day (``date_local``): a day written as a day (the base, when it had no
       time) is the day; a time written with an offset gives its day in that offset, a time
       written without a zone its day as written; a time in UTC (``Z``, GMT, a timestamp, the
       feed's time) takes the day of the best date-only candidate up to the URL's rank that it
       falls within in some inhabited zone (UTC-10 to UTC+14), else its UTC day.
    """
    bound = (_as_utc(fetched_at) if fetched_at is not None else datetime.now(UTC)) + CLOCK_SKEW
    valid = [c for c in candidates if EARLIEST <= _as_utc(c.value) <= bound]
    if not valid:
        return None
    order = {id(c): i for i, c in enumerate(valid)}
    ranked = sorted(valid, key=lambda c: (c.rank, order[id(c)]))
    base = ranked[0]
    picked = base
    if _precision(base) < 2:
        sharper = [c for c in ranked[1:] if _precision(c) > _precision(base) and _agrees(base, c)]
        if sharper:
            best = max(_precision(c) for c in sharper)
            picked = next(c for c in sharper if _precision(c) == best)
    day, day_source = _local_day(picked, base, ranked)
    return Publication(picked, day, day_source)
