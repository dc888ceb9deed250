"""Publication dates: every candidate source, time zones, the comparer, and the demo site's gold."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from orchestration.parse.dates import (
    DateCandidate,
    date_candidates,
    htmldate_params,
    parse_date,
    parse_document,
    pick_publication,
    pick_published_at,
    run_htmldate,
)

DEMO = Path(__file__).parents[2] / "orchestration" / "demo_site"
BASE_URL = "http://demo.newsclaims.localhost"
FETCHED = datetime(2026, 11, 30, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def page(head: str = "", body: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"
    )


def ld(obj: str) -> str:
    return f'<script type="application/ld+json">{obj}</script>'


def only(candidates: list[DateCandidate], source: str) -> list[DateCandidate]:
    return [c for c in candidates if c.source == source]


# --------------------------------------------------------------------------------------------
# Parsing values and time zones


@pytest.mark.parametrize(
    ("raw", "value", "has_time"),
    [
        ("2026-03-02T09:30:00+02:00", utc(2026, 3, 2, 7, 30), True),
        ("2026-03-02T09:30:00-05:00", utc(2026, 3, 2, 14, 30), True),
        ("2026-03-02T09:30:00Z", utc(2026, 3, 2, 9, 30), True),
        ("2026-03-02T09:30:00.123+0200", utc(2026, 3, 2, 7, 30), True),
        ("2026-03-02T09:30+02", utc(2026, 3, 2, 7, 30), True),
        ("2026-03-02T09:30:00", utc(2026, 3, 2, 9, 30), True),  # naive: UTC
        ("2026-03-02 09:30:00", utc(2026, 3, 2, 9, 30), True),
        ("20260302T093000Z", utc(2026, 3, 2, 9, 30), True),
        ("2026-03-02", utc(2026, 3, 2), False),
        ("20260302", utc(2026, 3, 2), False),
        ("2026-03-04 11:02 EST", utc(2026, 3, 4, 16, 2), True),
        ("Wed, 04 Mar 2026 11:02:00 GMT", utc(2026, 3, 4, 11, 2), True),
        ("Wed, 04 Mar 2026 13:02:00 +0200", utc(2026, 3, 4, 11, 2), True),
        ("1772622120", utc(2026, 3, 4, 11, 2), True),
        ("1772622120000", utc(2026, 3, 4, 11, 2), True),
        ("March 4, 2026, 11:02 GMT", utc(2026, 3, 4, 11, 2), True),
        ("March 4, 2026", utc(2026, 3, 4), False),
        ("4 March 2026", utc(2026, 3, 4), False),
        ("Mar. 4, 2026 3:15 p.m. EST", utc(2026, 3, 4, 20, 15), True),
        ("4th of March 2026 at 12:05 am", utc(2026, 3, 4, 0, 5), True),
        ("11:02 GMT, 4 March 2026", utc(2026, 3, 4, 11, 2), True),
    ],
)
def test_parse_date(raw, value, has_time):
    assert parse_date(raw) == (value, has_time)


@pytest.mark.parametrize(
    "raw", ["", "   ", None, "yesterday", "2026-02-30", "2026-13-01T10:00:00Z", "30412", "n/a"]
)
def test_parse_date_rejects_what_is_not_a_date(raw):
    assert parse_date(raw) is None


def test_every_value_is_aware_utc():
    html = page(
        ld('{"@type": "NewsArticle", "datePublished": "2026-03-02T09:30:00+05:30"}')
        + '<meta property="article:published_time" content="2026-03-02T04:00:00">'
        + '<meta name="date" content="2026-03-02T01:00:00-03:00">',
        '<p class="byline"><time datetime="2026-03-02T04:00:00+00:00">x</time></p>',
    )
    cands = date_candidates(
        html, "https://x.org/2026/03/02/a.html", "March 2, 2026", hint=datetime(2026, 3, 2, 4)
    )
    assert {c.source for c in cands} == {
        "json-ld",
        "opengraph",
        "meta",
        "time-tag",
        "url",
        "text",
        "hint",
    }
    for c in cands:
        assert c.value.utcoffset() == timedelta(0), c
        assert c.value.tzinfo is not None
    assert only(cands, "json-ld")[0].value == utc(2026, 3, 2, 4, 0)
    assert only(cands, "meta")[0].value == utc(2026, 3, 2, 4, 0)
    assert only(cands, "opengraph")[0].value == utc(2026, 3, 2, 4, 0)  # naive taken as UTC


# --------------------------------------------------------------------------------------------
# JSON-LD


def test_json_ld_news_article():
    html = page(
        ld(
            '{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "h",'
            ' "datePublished": "2026-03-02T09:30:00+02:00",'
            ' "dateModified": "2026-03-03T10:00:00+02:00"}'
        )
    )
    (c,) = date_candidates(html, None)
    assert c == DateCandidate(utc(2026, 3, 2, 7, 30), "json-ld", "2026-03-02T09:30:00+02:00")
    assert c.has_time and not c.date_only and not c.weak


@pytest.mark.parametrize(
    "script",
    [
        '{"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": "x"},'
        ' {"@type": "ReportageNewsArticle", "datePublished": "2026-03-04T11:02:00Z"}]}',
        '[{"@type": "Organization", "name": "x"},'
        ' {"@type": "BlogPosting", "datePublished": "2026-03-04T11:02:00Z"}]',
        '{"@type": ["Article", "NewsArticle"], "datePublished": ["2026-03-04T11:02:00Z"]}',
        '{"@type": "schema:NewsArticle", "datePublished": {"@value": "2026-03-04T11:02:00Z"}}',
        '<!-- {"@type": "Article", "datePublished": "2026-03-04T11:02:00Z",} -->',
    ],
)
def test_json_ld_graph_lists_and_variants(script):
    (c,) = date_candidates(page(ld(script)), None)
    assert (c.source, c.value) == ("json-ld", utc(2026, 3, 4, 11, 2))


def test_json_ld_prefers_the_article_over_other_objects():
    html = page(
        ld('{"@type": "WebPage", "datePublished": "2020-01-01T00:00:00Z"}')
        + ld(
            '{"@type": "NewsArticle", "datePublished": "2026-03-04T11:02:00Z",'
            ' "video": {"@type": "VideoObject", "datePublished": "2025-12-01T00:00:00Z"}}'
        )
    )
    assert [c.value for c in date_candidates(html, None)] == [utc(2026, 3, 4, 11, 2)]


def test_json_ld_other_typed_object_when_no_article():
    html = page(ld('{"@type": "WebPage", "datePublished": "2026-03-04"}'))
    (c,) = date_candidates(html, None)
    assert c.value == utc(2026, 3, 4) and not c.has_time


def test_json_ld_date_modified_only_when_nothing_else():
    html = page(ld('{"@type": "NewsArticle", "dateModified": "2026-03-05T10:00:00Z"}'))
    (c,) = date_candidates(html, None)
    assert c.weak and c.source == "json-ld"
    assert pick_published_at([c], FETCHED) == c  # alone, it is better than nothing
    hint = DateCandidate(utc(2026, 3, 4, 9), "hint", "feed")
    assert pick_published_at([c, hint], FETCHED) == hint  # anything else beats it


def test_json_ld_broken_script_is_ignored():
    html = page(ld('{"@type": "NewsArticle", "datePublished": ') + ld("not json at all"))
    assert date_candidates(html, None) == []


# --------------------------------------------------------------------------------------------
# OpenGraph and meta tags


@pytest.mark.parametrize("prop", ["article:published_time", "og:published_time"])
def test_opengraph(prop):
    html = page(f'<meta property="{prop}" content="2026-03-05T06:10:00Z">')
    (c,) = date_candidates(html, None)
    assert (c.source, c.value, c.raw) == (
        "opengraph",
        utc(2026, 3, 5, 6, 10),
        "2026-03-05T06:10:00Z",
    )


def test_opengraph_modified_only_as_fallback():
    both = page(
        '<meta property="article:modified_time" content="2026-03-06T06:10:00Z">'
        '<meta property="article:published_time" content="2026-03-05T06:10:00Z">'
    )
    assert [c.value for c in date_candidates(both, None)] == [utc(2026, 3, 5, 6, 10)]
    modified = page('<meta property="article:modified_time" content="2026-03-06T06:10:00Z">')
    (c,) = date_candidates(modified, None)
    assert c.weak


@pytest.mark.parametrize(
    "name",
    [
        "date",
        "pubdate",
        "publishdate",
        "dc.date",
        "dc.date.issued",
        "DC.date.issued",
        "sailthru.date",
        "parsely-pub-date",
        "publication_date",
    ],
)
def test_meta_names(name):
    html = page(f'<meta name="{name}" content="2026-03-04T14:45:00+03:00">')
    (c,) = date_candidates(html, None)
    assert (c.source, c.value) == ("meta", utc(2026, 3, 4, 11, 45))


def test_meta_itemprop_date_published():
    on_meta = page('<meta itemprop="datePublished" content="2026-03-04">')
    (c,) = date_candidates(on_meta, None)
    assert (c.source, c.value, c.has_time) == ("meta", utc(2026, 3, 4), False)
    on_span = page(
        body='<span itemprop="datePublished" content="2026-03-04T10:00:00Z">4 Mar</span>'
    )
    (c,) = date_candidates(on_span, None)
    assert (c.source, c.value) == ("meta", utc(2026, 3, 4, 10))


def test_unrelated_meta_tags_are_ignored():
    html = page(
        '<meta name="description" content="2026-03-04 was a day">'
        '<meta name="last-modified" content="2026-03-04T10:00:00Z">'
        '<meta name="date" content="">'
    )
    assert date_candidates(html, None) == []


# --------------------------------------------------------------------------------------------
# <time> tags


def test_time_tag_in_byline():
    html = page(
        body='<div class="byline">By Erik Solberg · <time datetime="2026-03-04T11:02:00Z">'
        "March 4, 2026, 11:02 GMT</time></div>"
    )
    (c,) = date_candidates(html, None)
    assert (c.source, c.value, c.weak) == ("time-tag", utc(2026, 3, 4, 11, 2), False)


def test_time_tag_prefers_pubdate_or_header_over_others():
    html = page(
        body='<aside class="related"><time datetime="2026-01-01T08:00:00Z">Jan 1</time></aside>'
        '<article><header><h1>t</h1><time datetime="2026-03-04T11:02:00Z">x</time></header>'
        "<p>b</p></article>"
        '<div><time pubdate datetime="2026-03-04T11:03:00Z">x</time></div>'
    )
    cands = date_candidates(html, None)
    assert [c.value for c in cands] == [utc(2026, 3, 4, 11, 2), utc(2026, 3, 4, 11, 3)]
    assert pick_published_at(cands, FETCHED).value == utc(2026, 3, 4, 11, 2)


def test_time_tag_elsewhere_is_a_weak_last_resort():
    html = page(body='<div class="story"><p>x</p><time datetime="2026-03-04">4 Mar</time></div>')
    (c,) = date_candidates(html, None)
    assert c.weak and c.source == "time-tag" and not c.has_time
    # weaker than a full URL date
    url = DateCandidate(utc(2026, 3, 1), "url", "2026/03/01", has_time=False)
    assert pick_published_at([c, url], FETCHED) == url


def test_time_tag_update_is_skipped_and_text_content_is_parsed():
    html = page(
        body='<p class="byline">Updated <time datetime="2026-03-06T10:00:00Z">x</time></p>'
        '<p class="byline"><time class="updated" datetime="2026-03-06T10:00:00Z">x</time></p>'
        '<p class="byline"><time>March 4, 2026 11:02 GMT</time></p>'
    )
    (c,) = date_candidates(html, None)
    assert (c.value, c.raw) == (utc(2026, 3, 4, 11, 2), "March 4, 2026 11:02 GMT")


# --------------------------------------------------------------------------------------------
# The URL


@pytest.mark.parametrize(
    "url",
    [
        "https://x.org/herald/news/2026/03/04/troops.html",
        "https://x.org/news/2026/3/4/troops",
        "https://x.org/observer/2026-03-04/troops",
        "https://x.org/story/troops-2026-03-04.html",
        "https://x.org/a/20260304-troops.html",
        "https://x.org/a/troops_20260304",
    ],
)
def test_url_full_date(url):
    (c,) = date_candidates(None, url)
    assert (c.source, c.value, c.has_time, c.day_known) == ("url", utc(2026, 3, 4), False, True)


def test_url_month_only_is_weakest():
    (c,) = date_candidates(None, "https://x.org/blog/2026/03/troops-cross.html")
    assert (c.source, c.value, c.day_known, c.raw) == ("url", utc(2026, 3, 1), False, "2026/03")
    hint = DateCandidate(utc(2026, 2, 10, 9), "hint", "feed")  # disagrees, yet wins
    assert pick_published_at([c, hint], FETCHED) == hint
    assert pick_published_at([c], FETCHED) == c  # alone, still better than nothing


@pytest.mark.parametrize(
    "url",
    [
        "https://x.org/cpa/wire/30412-norlandic-intelligence.html",
        "https://x.org/news/2026/13/30/impossible.html",
        "https://x.org/a/202603041234-troops",
        "https://2026-03-04.example.org/a",
        "https://x.org/a?date=2026-03-04",
        "https://x.org/aurelia-today/kestranian-troops-digging-in/",
    ],
)
def test_url_without_a_date(url):
    assert date_candidates(None, url) == []


def test_url_invalid_day_falls_back_to_nothing():
    assert date_candidates(None, "https://x.org/2026/02/30/a.html") == [
        DateCandidate(utc(2026, 2, 1), "url", "2026/02", has_time=False, day_known=False)
    ]


# --------------------------------------------------------------------------------------------
# Text and hint


@pytest.mark.parametrize(
    ("text", "value", "has_time"),
    [
        ("By Jane Doe. March 4, 2026. Troops crossed ...", utc(2026, 3, 4), False),
        ("4 March 2026 - Troops crossed ...", utc(2026, 3, 4), False),
        ("Published Tuesday 4 March 2026 11:02 GMT\nTroops crossed", utc(2026, 3, 4, 11, 2), True),
        ("Posted on Mar 4th, 2026 at 9:15 am EST by staff", utc(2026, 3, 4, 14, 15), True),
        ("Updated March 6, 2026. Published March 4, 2026 10:00 UTC.", utc(2026, 3, 4, 10), True),
    ],
)
def test_text_dates(text, value, has_time):
    c = date_candidates(None, None, text)[0]
    assert (c.source, c.value, c.has_time) == ("text", value, has_time)


def test_text_only_the_first_500_characters_and_only_with_a_year():
    assert date_candidates(None, None, "x" * 520 + " March 4, 2026") == []
    assert date_candidates(None, None, "HALVIK, March 4 (CPA) - troops crossed") == []
    assert date_candidates(None, None, "Updated March 6, 2026: troops crossed") == []


def test_published_text_date_comes_before_other_text_dates():
    cands = date_candidates(None, None, "Event on 1 March 2026. Published 4 March 2026 11:02 GMT")
    assert [c.value for c in cands] == [utc(2026, 3, 4, 11, 2), utc(2026, 3, 1)]


def test_hint():
    (c,) = date_candidates(None, None, hint=datetime(2026, 3, 4, 11, 2))
    assert (c.source, c.value) == ("hint", utc(2026, 3, 4, 11, 2))  # naive: UTC
    (c,) = date_candidates(
        None, None, hint=datetime(2026, 3, 4, 13, 2, tzinfo=timezone(timedelta(hours=2)))
    )
    assert c.value == utc(2026, 3, 4, 11, 2) and c.value.tzinfo == UTC


def test_nothing_at_all():
    assert date_candidates(None, None) == []
    assert date_candidates("", "") == []
    assert date_candidates("<<<>>>", "not a url") == []
    assert pick_published_at([], FETCHED) is None


# --------------------------------------------------------------------------------------------
# The comparer


def cand(source: str, *when: int, has_time: bool = True, **kw) -> DateCandidate:
    return DateCandidate(utc(*when), source, f"{source}:{when}", has_time=has_time, **kw)


def test_reliability_order():
    order = [  # days far apart, so no two of them agree
        cand("json-ld", 2026, 3, 1, 1),
        cand("opengraph", 2026, 3, 3, 1),
        cand("meta", 2026, 3, 5, 1),
        cand("time-tag", 2026, 3, 7, 1),
        cand("htmldate", 2026, 3, 8, has_time=False),
        cand("url", 2026, 3, 10, has_time=False),
        cand("time-tag", 2026, 3, 12, 1, weak=True),
        cand("text", 2026, 3, 13, 1),
        cand("hint", 2026, 3, 15, 1),
        cand("json-ld", 2026, 3, 17, 1, weak=True),
        cand("url", 2026, 2, 1, has_time=False, day_known=False),
    ]
    for i, expected in enumerate(order):
        rest = order[i:]
        for shuffled in (rest, rest[::-1]):
            assert pick_published_at(shuffled, FETCHED) == expected


def test_disagreement_the_most_reliable_wins():
    strong = cand("json-ld", 2026, 3, 2, 7, 30)
    assert pick_published_at([cand("hint", 2025, 1, 1, 9), strong], FETCHED) == strong
    assert pick_published_at([cand("text", 2026, 3, 2, 9), strong], FETCHED) == strong


def test_date_only_strong_candidate_takes_the_time_of_an_agreeing_weaker_one():
    url = cand("url", 2026, 3, 4, has_time=False)
    hint = cand("hint", 2026, 3, 4, 12, 30)
    assert pick_published_at([url, hint], FETCHED) == hint
    json_ld_day = cand("json-ld", 2026, 3, 4, has_time=False)
    time_tag = cand("time-tag", 2026, 3, 4, 11, 2)
    assert pick_published_at([json_ld_day, hint, time_tag], FETCHED) == time_tag  # best timed
    # across time zones: 22:00 EST on 4 March is 03:00 UTC on 5 March
    late = cand("hint", 2026, 3, 5, 3)
    assert pick_published_at([url, late], FETCHED) == late
    # but a time on another day does not agree: the URL date stays
    assert pick_published_at([url, cand("hint", 2026, 3, 7, 9)], FETCHED) == url


def test_month_only_url_takes_an_agreeing_day():
    month = cand("url", 2026, 3, 1, has_time=False, day_known=False)
    later = DateCandidate(utc(2026, 3, 20, 9), "json-ld", "x", weak=True)
    assert pick_published_at([month, later], FETCHED) == later


@pytest.mark.parametrize(
    ("delta", "kept"),
    [(timedelta(0), True), (timedelta(minutes=4), True), (timedelta(minutes=6), False)],
)
def test_never_later_than_fetch_time(delta, kept):
    fetched = utc(2026, 3, 4, 12)
    future = DateCandidate(fetched + delta, "json-ld", "x")
    picked = pick_published_at([future], fetched)
    assert (picked == future) is kept


def test_future_candidates_are_discarded_for_older_ones():
    fetched = utc(2026, 3, 4, 12)
    future = cand("json-ld", 2026, 3, 9, 8)  # an embargo time or a typo
    og = cand("opengraph", 2026, 3, 4, 8)
    assert pick_published_at([future, og], fetched) == og
    tomorrow_url = cand("url", 2026, 3, 5, has_time=False)  # midnight UTC is after the fetch
    assert pick_published_at([tomorrow_url], fetched) is None
    # the fetch time may be given in any zone: 09:50+02:00 is 07:50 UTC, before og's 08:00
    plus2 = timezone(timedelta(hours=2))
    assert pick_published_at([og], datetime(2026, 3, 4, 9, 50, tzinfo=plus2)) is None
    assert pick_published_at([og], datetime(2026, 3, 4, 10, 5, tzinfo=plus2)) == og
    # without a fetch time, the present is the bound
    assert (
        pick_published_at(
            [DateCandidate(datetime.now(UTC) + timedelta(days=2), "json-ld", "x")], None
        )
        is None
    )
    assert pick_published_at([og], None) == og


def test_implausibly_old_candidates_are_discarded():
    old = cand("json-ld", 1970, 1, 1)
    url = cand("url", 2026, 3, 4, has_time=False)
    assert pick_published_at([old, url], FETCHED) == url
    assert pick_published_at([old], FETCHED) is None
    assert pick_published_at([cand("meta", 1990, 1, 1)], FETCHED) is not None


def test_end_to_end_page_with_everything():
    html = page(
        ld('{"@type": "NewsArticle", "datePublished": "2026-03-04"}')
        + '<meta property="article:published_time" content="2026-03-09T00:00:00Z">',
        '<p class="byline"><time datetime="2026-03-04T11:02:00+01:00">x</time></p>',
    )
    cands = date_candidates(html, "https://x.org/2026/03/04/a", "March 4, 2026", utc(2026, 3, 4, 9))
    picked = pick_published_at(cands, utc(2026, 3, 5))
    assert (picked.source, picked.value) == ("time-tag", utc(2026, 3, 4, 10, 2))


# --------------------------------------------------------------------------------------------
# Gold: the bundled demo site


def gold_articles() -> list[dict]:
    return [
        a
        for f in sorted((DEMO / "gold").glob("*.yml"))
        for a in yaml.safe_load(f.read_text(encoding="utf-8"))["articles"]
    ]


def gold_when(article: dict) -> datetime:
    return datetime.fromisoformat(str(article["published_at"]).replace("Z", "+00:00"))


def pick_for(article: dict, hint: datetime | None = None) -> DateCandidate | None:
    html = (DEMO / article["file"]).read_text(encoding="utf-8").replace("{{BASE_URL}}", BASE_URL)
    return pick_published_at(date_candidates(html, BASE_URL + article["path"], hint=hint), FETCHED)


EXACT = {"json-ld", "opengraph", "time-tag", "meta-date"}


def gold_correct(article: dict, picked: DateCandidate | None) -> bool:
    kind = article["date_on_page"]
    if kind in EXACT:
        return picked is not None and picked.value == gold_when(article)
    if kind == "url":
        return picked is not None and picked.value.date() == gold_when(article).date()
    assert kind == "none", kind
    return picked is None


@pytest.mark.parametrize("article", gold_articles(), ids=lambda a: a["id"])
def test_gold_date(article):
    picked = pick_for(article)
    assert gold_correct(article, picked), (article["date_on_page"], article["published_at"], picked)
    if picked is not None:
        expected_source = {"meta-date": "meta"}.get(
            article["date_on_page"], article["date_on_page"]
        )
        assert picked.source == expected_source


def test_gold_accuracy_report():
    articles = gold_articles()
    totals: Counter[str] = Counter()
    right: Counter[str] = Counter()
    misses = []
    for a in articles:
        totals[a["date_on_page"]] += 1
        if gold_correct(a, pick_for(a)):
            right[a["date_on_page"]] += 1
        else:
            misses.append(a["id"])
    report = ", ".join(f"{k} {right[k]}/{n}" for k, n in sorted(totals.items()))
    accuracy = sum(right.values()) / len(articles)
    print(f"\ndate accuracy over {len(articles)} gold articles: {accuracy:.3f} ({report})")
    assert set(totals) == EXACT | {"url", "none"}
    assert accuracy == 1.0, misses


@pytest.mark.parametrize(
    "article", [a for a in gold_articles() if a["date_on_page"] == "none"], ids=lambda a: a["id"]
)
def test_gold_pages_without_a_date_take_the_feed_hint(article):
    assert article["in_feed"]
    picked = pick_for(article, hint=gold_when(article))
    assert picked is not None
    assert (picked.source, picked.value) == ("hint", gold_when(article))


@pytest.mark.parametrize("article", gold_articles(), ids=lambda a: a["id"])
def test_gold_with_the_feed_hint_every_date_is_exact(article):
    """The hint sharpens a URL date to the minute, and never overrides a date on the page."""
    picked = pick_for(article, hint=gold_when(article))
    assert picked is not None and picked.value == gold_when(article)
    if article["date_on_page"] in {"url", "none"}:
        assert picked.source == "hint"


# --------------------------------------------------------------------------------------------
# The publisher's day and the offset


@pytest.mark.parametrize(
    ("raw", "offset", "written"),
    [
        ("2026-03-04T22:30:00-05:00", timedelta(hours=-5), (2026, 3, 4)),
        ("2026-03-05T01:30:00+02:00", timedelta(hours=2), (2026, 3, 5)),
        ("2026-03-04T22:30:00Z", timedelta(0), (2026, 3, 4)),
        ("2026-03-04T22:30:00", None, (2026, 3, 4)),  # no zone written: the day as written
        ("2026-03-04", None, (2026, 3, 4)),
        ("Wed, 04 Mar 2026 22:30:00 -0500", timedelta(hours=-5), (2026, 3, 4)),
        ("March 4, 2026, 10:30 p.m. EST", timedelta(hours=-5), (2026, 3, 4)),
        ("1772622120", timedelta(0), (2026, 3, 4)),  # a timestamp is an instant in UTC
    ],
)
def test_the_offset_and_the_day_as_written(raw, offset, written):
    html = page(f'<meta property="article:published_time" content="{raw}">')
    (c,) = date_candidates(html, None)
    assert c.utc_offset == offset
    assert c.written_date == datetime(*written).date()
    assert c.value.utcoffset() == timedelta(0)


def test_a_local_evening_is_the_publishers_day_not_the_utc_day():
    html = page(ld('{"@type": "NewsArticle", "datePublished": "2026-03-04T22:30:00-05:00"}'))
    p = pick_publication(date_candidates(html, None), FETCHED)
    assert p.published_at == utc(2026, 3, 5, 3, 30)  # the instant, in UTC
    assert p.date_local == datetime(2026, 3, 4).date()  # the day, as the publisher dated it
    assert p.utc_offset == timedelta(hours=-5)


def test_a_utc_time_takes_the_day_the_page_writes_as_a_day():
    # 01:30 UTC on 5 March for a publisher whose URL (and byline) say 4 March: UTC-5 or so
    url = "https://x.org/2026/03/04/story.html"
    html = page('<meta property="article:published_time" content="2026-03-05T01:30:00Z">')
    p = pick_publication(date_candidates(html, url), FETCHED)
    assert (p.source, p.published_at) == ("opengraph", utc(2026, 3, 5, 1, 30))
    assert (p.date_local, p.day_source) == (datetime(2026, 3, 4).date(), "url")
    # a day too far from the time for any inhabited zone is not its day
    far = pick_publication(date_candidates(html, "https://x.org/2026/03/03/s.html"), FETCHED)
    assert far.date_local == datetime(2026, 3, 5).date()
    # a time written with its offset keeps its own day whatever the URL says
    own = page('<meta property="article:published_time" content="2026-03-05T01:30:00+01:00">')
    p = pick_publication(date_candidates(own, url), FETCHED)
    assert p.date_local == datetime(2026, 3, 5).date()


def test_a_date_only_base_keeps_its_day_when_a_feed_time_sharpens_it():
    url = cand("url", 2026, 3, 4, has_time=False)
    late = cand("hint", 2026, 3, 5, 3)  # 22:00 EST on the 4th, kept in UTC by the feed
    p = pick_publication([url, late], FETCHED)
    assert p.candidate == late and p.date_local == datetime(2026, 3, 4).date()


# --------------------------------------------------------------------------------------------
# htmldate


def test_htmldate_reads_what_our_sources_do_not():
    # a German byline date, and a numeric one: no source of ours reads these
    german = page(body='<div class="meta"><span class="datum">4. März 2026</span></div><p>Text</p>')
    numeric = page(body='<p class="post-date">Veröffentlicht am 04.03.2026</p><p>Text</p>')
    for html in (german, numeric):
        assert date_candidates(html, None) == []
        found = run_htmldate(parse_document(html), None, FETCHED)
        assert found == "2026-03-04"
        (c,) = date_candidates(html, None, htmldate=found)
        assert (c.source, c.value, c.has_time, c.day_known) == (
            "htmldate",
            utc(2026, 3, 4),
            False,
            True,
        )
        assert pick_publication([c], FETCHED).date_local == datetime(2026, 3, 4).date()


def test_htmldate_is_given_the_tree_and_never_a_url_to_fetch():
    # a string that looks like a URL is parsed here as a page, whose text is the date found
    # (handed to htmldate as a string, it would try to download it)
    assert run_htmldate("https://example.org/2026/03/04/a.html", None, FETCHED) == "2026-03-04"
    assert run_htmldate("https://example.org/a.html", None, FETCHED) is None
    assert run_htmldate(None, None, FETCHED) is None


def test_htmldate_on_the_first_of_a_month_is_taken_as_a_month():
    # "(c) 2026" alone: htmldate answers 2026-01-01, a day the page never stated
    html = page(body="<p>Some text here.</p><footer>© 2026 Example Ltd</footer>")
    found = run_htmldate(parse_document(html), None, FETCHED)
    assert found == "2026-01-01"
    (c,) = date_candidates(html, None, htmldate=found)
    assert not c.day_known
    hint = DateCandidate(utc(2026, 3, 2, 6), "hint", "feed")
    assert pick_published_at([c, hint], FETCHED) == hint  # anything with a day beats it
    assert pick_published_at([c], FETCHED) == c  # alone, still better than nothing


def test_htmldate_after_the_fetch_is_refused_like_any_candidate():
    html = page('<meta property="article:published_time" content="2026-03-02T09:30:00+02:00">')
    fetched = utc(2026, 3, 1)
    # htmldate is not bounded at the fetch (it would fall back to the 1st of the month)...
    assert htmldate_params(None, fetched)["max_date"] == "2027-03-02"
    found = run_htmldate(parse_document(html), None, fetched)
    assert found == "2026-03-02"
    # ... the comparer is
    assert pick_publication(date_candidates(html, None, htmldate=found), fetched) is None


def test_htmldate_ranks_below_the_page_markup_and_above_url_text_and_feed():
    h = cand("htmldate", 2026, 3, 8, has_time=False)
    for better in (cand("meta", 2026, 3, 1, 9), cand("time-tag", 2026, 3, 1, 9)):
        assert pick_published_at([h, better], FETCHED) == better
    for worse in (
        cand("url", 2026, 3, 1, has_time=False),
        cand("text", 2026, 3, 1, 9),
        cand("hint", 2026, 3, 1, 9),
    ):
        assert pick_published_at([worse, h], FETCHED) == h
    # and, a day without a time, it takes the time of an agreeing feed date
    hint = cand("hint", 2026, 3, 8, 14, 5)
    assert pick_published_at([h, hint], FETCHED) == hint
