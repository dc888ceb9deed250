"""Parsing pages into articles: main text without debris, metadata from candidates, statuses."""

from __future__ import annotations

from datetime import UTC, datetime

from orchestration.parse.article import PageHints, clean_authors, parse_html, parse_page, parse_text

BODY = " ".join(
    [
        "The defence minister said on Monday that thousands of troops had crossed the border "
        "overnight, and that the government would ask its allies for help."
    ]
    * 3
)
PAGE = f"""<!DOCTYPE html><html lang="en"><head>
<title>Troops cross border | The Example Times</title>
<meta property="og:site_name" content="The Example Times">
<meta property="article:published_time" content="2026-03-02T09:30:00+02:00">
<meta name="author" content="By Jane Roe and John Doe">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<div class="ad">Advertisement</div>
<article><h1>Troops cross border</h1>
<p class="byline">By Jane Roe and John Doe</p>
<p>{BODY}</p>
<p>Advertisement</p>
<p>Read more: Why the border matters</p>
<p>Officials in the capital said the situation was being monitored closely and that more
information would be released later in the day.</p>
</article>
<aside><h3>Related stories</h3><ul><li>Another story</li></ul></aside>
<footer>Copyright 2026</footer></body></html>"""


def test_html_page_main_text_and_metadata():
    a = parse_html(
        PAGE,
        url="https://example.org/world/troops.html",
        fetched_at=datetime(2026, 3, 3, tzinfo=UTC),
    )
    assert a.title == "Troops cross border"
    assert a.authors == ["Jane Roe", "John Doe"]
    assert a.outlet == "The Example Times"
    assert a.published_at == datetime(2026, 3, 2, 7, 30, tzinfo=UTC)
    assert a.published_at_source == "opengraph"
    assert a.language == "en" and a.status == "ok"
    assert "thousands of troops had crossed" in a.text
    for debris in ("Advertisement", "Read more", "Related stories", "Home", "Copyright"):
        assert debris not in a.text
    assert not a.text.startswith("Troops cross border")  # the headline is metadata
    assert a.word_count == len(a.text.split())
    for s in a.sentences:
        assert a.text[s.start : s.end] == s.text


def test_published_at_is_never_later_than_the_fetch():
    a = parse_html(PAGE, url="https://example.org/x", fetched_at=datetime(2026, 3, 1, tzinfo=UTC))
    assert a.published_at is None


def test_outlet_falls_back_to_source_then_domain():
    page = PAGE.replace('<meta property="og:site_name" content="The Example Times">', "")
    assert (
        parse_html(page, url="https://www.example.org/a", source_outlet="Example").outlet
        == "Example"
    )
    assert parse_html(page, url="https://www.example.org/a").outlet == "example.org"


def test_feed_hint_gives_the_date_when_the_page_has_none():
    page = PAGE.replace(
        '<meta property="article:published_time" content="2026-03-02T09:30:00+02:00">', ""
    )
    hint = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    a = parse_html(
        page,
        url="https://example.org/a",
        hints=PageHints(published_at=hint),
        fetched_at=datetime(2026, 3, 3, tzinfo=UTC),
    )
    assert (a.published_at, a.published_at_source) == (hint, "hint")


def test_plain_text_is_kept_exactly():
    text = "Line one, with  double spaces.\r\nLine two: the minister said 8,000 troops crossed.\n"
    body = (text * 4).encode("utf-8")
    a = parse_page(body, charset="utf-8", content_type="text/plain", url="file:///x.txt")
    assert a.text == text * 4


def test_empty_and_non_english_pages_are_kept_with_a_reason():
    empty = parse_html(
        "<html><body><nav>Home</nav><p>Hello.</p></body></html>", url="https://x.org/"
    )
    assert empty.status == "empty" and "words" in empty.status_reason
    german = (
        "Der Minister sagte am Montag, dass die Truppen die Grenze überschritten hätten und die Regierung ihre Verbündeten um Hilfe bitten werde. "
        * 3
    )
    de = parse_text(german, url="https://x.org/de")
    assert de.status == "non_english" and de.language == "de"
    assert "detected de" in de.status_reason and de.language_reason.startswith("detected de")
    # a template that declares English does not make a German article English
    templated = parse_html(
        f'<html lang="en"><body><article><p>{german}</p></article></body></html>',
        url="https://x.org/de2",
    )
    assert templated.status == "non_english" and templated.language == "de"
    assert "overrules html lang en" in templated.language_reason


BOX_SCORE = """<!DOCTYPE html><html lang="en-US"><head><title>Lakers 112, Celtics 108</title>
</head><body><article><h1>Lakers 112, Celtics 108</h1>
<p>LAL: James 31 pts 8 reb 9 ast; Davis 24 pts 14 reb; Reaves 17 pts; Russell 11 pts 5 ast.</p>
<p>BOS: Tatum 28 pts 7 reb; Brown 22 pts; Holiday 12 pts 6 ast; Porzingis 9 pts 6 blk.</p>
<p>FG 45-88, 3PT 12-35, FT 10-12. Q1 28-30 Q2 27-25 Q3 30-26 Q4 27-27. Att 18,997. T 2:14.</p>
</article></body></html>"""


def test_an_english_page_with_few_sentences_is_not_refused():
    """A box score declared en-US: the old share-of-function-words gate refused it."""
    a = parse_html(BOX_SCORE, url="https://x.org/sports/box")
    assert a.word_count >= 25
    assert (a.language, a.status) == ("en", "ok"), a.language_reason
    assert a.language_reason.startswith("html lang en-US; detected ")


def test_the_publishers_day_and_offset_are_kept():
    page = PAGE.replace("2026-03-02T09:30:00+02:00", "2026-03-02T23:30:00-05:00")
    a = parse_html(page, url="https://example.org/x", fetched_at=datetime(2026, 3, 4, tzinfo=UTC))
    assert a.published_at == datetime(2026, 3, 3, 4, 30, tzinfo=UTC)
    assert str(a.published_date_local) == "2026-03-02"
    assert a.published_utc_offset_minutes == -300


def test_htmldate_finds_a_date_our_own_sources_do_not_read():
    page = PAGE.replace(
        '<meta property="article:published_time" content="2026-03-02T09:30:00+02:00">', ""
    ).replace('<p class="byline">By Jane Roe and John Doe</p>',
              '<p class="byline">By Jane Roe and John Doe | 02.03.2026</p>')  # fmt: skip
    a = parse_html(page, url="https://example.org/a", fetched_at=datetime(2026, 3, 3, tzinfo=UTC))
    assert (a.published_at_source, str(a.published_date_local)) == ("htmldate", "2026-03-02")
    assert a.published_utc_offset_minutes is None


def test_clean_authors():
    assert clean_authors(["By Nadia Perel, Herald defence correspondent"]) == ["Nadia Perel"]
    assert clean_authors(["Text: Ingrid Berg"]) == ["Ingrid Berg"]
    assert clean_authors(["Aurelia Today staff"]) == []
    assert clean_authors(["Jane Roe; John Doe", "Jane Roe"]) == ["Jane Roe", "John Doe"]
