"""The brief's queries on a small world written out by hand (tables with the marts' contracts):
status changes from the history's intervals, the choice of cards, nights in UTC, numbers only
from supporting mentions; and the page built from it, and from empty marts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import lxml.html
import pytest

from orchestration.brief import build_brief, queries
from tests.support.marts import make_marts

N1, N2 = date(2026, 3, 1), date(2026, 3, 2)


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


def corroboration(claim_id, status, **kw):
    row = {
        "claim_id": claim_id, "as_of_date": N2, "status": status,
        "status_reason": f"{claim_id} is {status}.", "n_supporting_mentions": 1,
        "n_supporting_sources": 1, "n_supporting_affiliations": 1, "n_disputing_sources": 0,
        "n_disputing_affiliations": 0, "n_independent_reports": 1, "n_outlets": 1,
        "is_explicitly_unverified": False, "first_reported_at": ts("2026-03-01T10:00:00+00:00"),
    }  # fmt: skip
    return {**row, **kw}


def claim(claim_id, n_mentions=1, claim_type="event"):
    return {
        "claim_id": claim_id, "canonical_text": f"claim {claim_id} text", "claim_type": claim_type,
        "n_mentions": n_mentions, "n_articles": n_mentions, "n_outlets": 1,
    }  # fmt: skip


def interval(claim_id, valid_from, valid_to, status, reason=None):
    return {
        "claim_id": claim_id, "valid_from": valid_from, "valid_to": valid_to,
        "is_current": valid_to == N2, "status": status,
        "status_reason": reason or f"{claim_id} is {status}.",
    }  # fmt: skip


def mention(mention_id, claim_id, article, source=None, stance="supports", **kw):
    outlet, published = ARTICLE_OUTLETS[article]
    return {
        "mention_id": mention_id, "claim_id": claim_id, "article_id": article,
        "outlet_id": outlet, "source_id": source, "published_at": published,
        "claim_text": f"wording of {claim_id} in {mention_id}", "stance": stance,
        "attribution_kind": "indirect" if source else "unattributed", **kw,
    }  # fmt: skip


ARTICLE_OUTLETS = {
    "a1": ("o1", ts("2026-03-01T10:00:00+00:00")),
    "a2": ("o2", ts("2026-03-02T09:00:00+00:00")),
    "a3": ("o2", ts("2026-03-02T05:00:00+00:00")),
    "a4": ("o1", ts("2026-03-02T01:30:00+00:00")),
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Claims A-F over two nights: A single_source then corroborated, B new and contested,
    C denied since the first night, D unattributed (3 mentions), E new single_source, F
    single_source whose reason (not status) changed."""
    db = tmp_path_factory.mktemp("brief") / "world.duckdb"
    articles = [
        {"article_id": "a1", "url": "https://wire.example/a1", "outlet_id": "o1", "title": "A1",
         "published_at": ts("2026-03-01T10:00:00+00:00"), "syndication_group_id": "a1",
         "is_syndicated_copy": False, "parse_status": "ok"},
        {"article_id": "a2", "url": "https://daily.example/a2", "outlet_id": "o2", "title": "A2",
         "published_at": ts("2026-03-02T09:00:00+00:00"), "syndication_group_id": "a2",
         "is_syndicated_copy": False, "parse_status": "ok"},
        # no publication time: its night is the fetch's; a hostile address, never a link
        {"article_id": "a3", "url": "javascript:alert(document.domain)", "outlet_id": "o2", "title": "A3",
         "published_at": None, "fetched_at": ts("2026-03-02T05:00:00+00:00"),
         "syndication_group_id": "a3", "is_syndicated_copy": False, "parse_status": "ok"},
        # 23:30 on the 1st at UTC-2 is the 2nd in UTC; a reprint of a1
        {"article_id": "a4", "url": "https://wire.example/a4", "outlet_id": "o1", "title": "A1",
         "published_at": ts("2026-03-01T23:30:00-02:00"), "syndication_group_id": "a1",
         "is_syndicated_copy": True, "parse_status": "ok"},
    ]  # fmt: skip
    make_marts(
        db,
        {
            "outlets": [
                {"outlet_id": "o1", "name": "Wire", "country": "XA", "n_articles": 2},
                {"outlet_id": "o2", "name": "Daily", "country": "XB", "n_articles": 2},
            ],
            "articles": articles,
            "sources": [
                {
                    "source_id": "s1",
                    "name": "Ana Minister",
                    "affiliation": "XA",
                    "source_type": "government",
                    "n_claims": 3,
                    "n_claims_corroborated": 1,
                    "n_claims_disputed": 1,
                    "n_mentions": 3,
                },
                {
                    "source_id": "s2",
                    "name": "Bo Agency",
                    "affiliation": "XB",
                    "source_type": "intelligence",
                    "n_claims": 2,
                    "n_claims_corroborated": 1,
                    "n_claims_disputed": 0,
                    "n_mentions": 2,
                },
                {
                    "source_id": "s3",
                    "name": "Cy Spokes",
                    "affiliation": "XC",
                    "source_type": "government",
                    "n_claims": 3,
                    "n_claims_corroborated": 0,
                    "n_claims_disputed": 0,
                    "n_mentions": 3,
                },
                {
                    "source_id": "s4",
                    "name": "Di Expert",
                    "affiliation": "unknown",
                    "source_type": "expert",
                    "n_claims": 0,
                    "n_mentions": 0,
                },
            ],  # fmt: skip
            "claims": [
                claim("A", 3, "quantitative"),
                claim("B", 2),
                claim("C"),
                claim("D", 3),
                claim("E"),
                claim("F"),
            ],  # fmt: skip
            "corroboration": [
                corroboration(
                    "A",
                    "corroborated",
                    n_supporting_affiliations=2,
                    supporting_affiliations="XA, XB",
                    disputing_affiliations=None,
                    n_outlets=2,
                    n_independent_reports=2,
                    quantity_min=90.0,
                    quantity_max=120.0,
                    first_source_id="s1",
                    first_outlet_id="o1",
                ),
                corroboration(
                    "B",
                    "contested",
                    supporting_affiliations="XA",
                    disputing_affiliations="XC",
                    n_outlets=2,
                ),
                corroboration("C", "denied", disputing_affiliations="XC"),
                corroboration("D", "unattributed", n_outlets=2, n_independent_reports=2),
                corroboration("E", "single_source", supporting_affiliations="XB"),
                corroboration("F", "single_source", supporting_affiliations="XA"),
            ],  # fmt: skip
            "claim_status_history": [
                interval("A", N1, N1, "single_source"),
                interval("A", N2, N2, "corroborated"),
                interval("B", N2, N2, "contested"),
                interval("C", N1, N2, "denied"),
                interval("D", N1, N2, "unattributed"),
                interval("E", N2, N2, "single_source"),
                interval("F", N1, N1, "single_source", "F from one source."),
                interval("F", N2, N2, "single_source", "F from one source, twice."),
            ],
            "claim_mentions": [
                mention(
                    "m1",
                    "A",
                    "a1",
                    "s1",
                    quantity_value=100.0,
                    quantity_low=100.0,
                    quantity_high=100.0,
                    quantity_unit="troops",
                ),
                mention(
                    "m2",
                    "A",
                    "a2",
                    "s2",
                    quantity_low=90.0,
                    quantity_high=120.0,
                    quantity_unit="troops",
                ),
                mention(
                    "m3",
                    "A",
                    "a3",
                    "s3",
                    stance="disputes",
                    quantity_value=5.0,
                    quantity_unit="troops",
                ),
                mention("m4", "B", "a2", "s1"),
                mention("m5", "B", "a3", "s3", stance="disputes"),
                mention("m6", "C", "a2", "s3", stance="disputes"),
                mention("m7", "D", "a1"),
                mention("m8", "D", "a2"),
                mention("m9", "D", "a4"),
                mention("m10", "E", "a3", "s2"),
                mention("m11", "F", "a1", "s1"),
            ],  # fmt: skip
        },
    )
    return db


@pytest.fixture
def con(world):
    with queries.open_marts(world) as c:
        yield c


def test_the_night_and_the_counts_at_a_glance(con):
    assert queries.night_of_marts(con) == N2
    g = queries.glance(con, N2)
    assert g["n_articles"] == 4 and g["n_outlets"] == 2 and g["n_claims"] == 6
    # a2, a3 (by its fetch) and a4 (the 2nd in UTC, though the 1st where it was written)
    assert g["n_articles_night"] == 3 and g["n_outlets_night"] == 2
    assert g["n_new_claims"] == 2  # B and E
    assert g["n_mentions"] == 11 and g["n_sources"] == 4


def test_claims_by_status_list_every_status_in_order(con):
    assert [(r["status"], r["n_claims"]) for r in queries.status_counts(con)] == [
        ("corroborated", 1), ("contested", 1), ("denied", 1), ("single_source", 2),
        ("unattributed", 1),
    ]  # fmt: skip


def test_status_changes_are_new_intervals_with_another_status(con):
    changes = queries.status_changes(con, N2)
    assert [(r["claim_id"], r["status"], r["previous_status"]) for r in changes] == [
        ("A", "corroborated", "single_source"),
        ("B", "contested", None),
    ]  # C has been denied since N1; F changed its reason, not its status; E is single_source
    first_night = queries.status_changes(con, N1)
    assert [(r["claim_id"], r["status"], r["previous_status"]) for r in first_night] == [
        ("C", "denied", None),
    ]


def test_new_claims_are_first_seen_on_the_night_widest_first(con):
    assert [r["claim_id"] for r in queries.new_claims(con, N2)] == ["B", "E"]
    assert [r["claim_id"] for r in queries.new_claims(con, N2, limit=1)] == ["B"]


def test_cards_are_every_key_claim_then_the_most_reported_others(con):
    assert [c["claim_id"] for c in queries.select_cards(con)] == ["A", "B", "D"]
    assert [c["claim_id"] for c in queries.select_cards(con, max_others=0)] == ["A", "B"]
    cards = queries.select_cards(con, max_others=2, min_mentions=1)
    assert [c["claim_id"] for c in cards] == ["A", "B", "D", "C"]  # D reached two outlets
    first = cards[0]
    assert (first["first_source"], first["first_outlet"]) == ("Ana Minister", "Wire")
    assert [c["position"] for c in cards] == [1, 2, 3, 4]


def test_card_details_come_from_the_mentions(con):
    queries.select_cards(con)
    numbers = queries.card_quantities(con)
    assert [
        (
            q["mention_id"],
            q["quantity_value"],
            q["quantity_low"],
            q["quantity_high"],
            q["source"],
            q["outlet"],
        )
        for q in numbers
    ] == [
        ("m1", 100.0, 100.0, 100.0, "Ana Minister", "Wire"),
        ("m2", None, 90.0, 120.0, "Bo Agency", "Daily"),
    ]  # fmt: skip  (m3 disputes the claim: its number is not a reported value)
    assert [q["night"] for q in numbers] == [N1, N2]
    sources = {(s["claim_id"], s["stance"], s["name"]) for s in queries.card_sources(con)}
    assert sources == {
        ("A", "supports", "Ana Minister"), ("A", "supports", "Bo Agency"),
        ("A", "disputes", "Cy Spokes"), ("B", "supports", "Ana Minister"),
        ("B", "disputes", "Cy Spokes"),
    }  # fmt: skip
    articles = [(a["claim_id"], a["article_id"], a["stances"]) for a in queries.card_articles(con)]
    assert ("A", "a3", "disputes") in articles and ("D", "a4", "supports") in articles
    assert len(articles) == 3 + 2 + 3
    history = queries.card_history(con)
    assert [(h["claim_id"], h["valid_from"], h["valid_until"]) for h in history] == [
        ("A", N1, N2), ("A", N2, date(2026, 3, 3)), ("B", N2, date(2026, 3, 3)),
        ("D", N1, date(2026, 3, 3)),
    ]  # fmt: skip


def test_sources_outlets_and_syndication(con):
    assert [s["name"] for s in queries.track_record(con)] == [
        "Ana Minister",
        "Bo Agency",
        "Cy Spokes",
    ]  # fmt: skip  (Di Expert has no claims)
    per_night = {
        (r["night"], r["outlet"]): r["n_articles"] for r in queries.articles_per_night(con)
    }
    assert per_night == {(N1, "Wire"): 1, (N2, "Wire"): 1, (N2, "Daily"): 2}
    groups = queries.syndication_groups(con)
    assert [(g["article_id"], g["is_syndicated_copy"]) for g in groups] == [
        ("a1", False), ("a4", True),
    ]  # fmt: skip


def test_the_page_of_the_small_world(world, tmp_path):
    brief = build_brief(world, tmp_path / "brief", run_id="run-1", cache_dir=tmp_path / "cache",
                        published_at=datetime(2026, 3, 3, 2, 0, tzinfo=UTC))  # fmt: skip
    assert (brief.night, brief.n_cards, brief.n_charts) == (N2, 3, 3)
    doc = lxml.html.fromstring(brief.path.read_text(encoding="utf-8"))
    cards = doc.xpath("//article[@data-claim-id]")
    assert [c.get("data-claim-id") for c in cards] == ["A", "B", "D"]
    assert [c.get("data-status") for c in cards] == ["corroborated", "contested", "unattributed"]
    assert cards[0].get("data-affiliations") == "XA|XB"
    assert cards[0].get("data-sources") == "Ana Minister|Bo Agency|Cy Spokes"
    badge = cards[1].xpath(".//p[@class='status-line']/span")[0].text_content()
    assert badge == "Contested"
    text = doc.text_content()
    assert "90 to 120 troops" in text and "run-1" in text
    assert "Monday 2 March 2026" in text  # the night, and the changes since the 1st
    assert "since Sunday 1 March 2026" in text
    links = [a.get("href") for a in doc.xpath("//a[@href]")]
    assert "https://daily.example/a2" in links
    assert all(h.startswith(("#", "https://")) for h in links), links
    assert {e.get("data-chart") for e in doc.xpath("//*[@data-chart]")} == {
        "status-over-time", "numbers-A", "articles-per-night",
    }  # fmt: skip


def test_empty_marts_make_a_page_with_nothing_to_draw(tmp_path):
    db = make_marts(tmp_path / "empty.duckdb", {})
    brief = build_brief(db, tmp_path / "brief", run_id="run-0", night=N2,
                        published_at=datetime(2026, 3, 3, tzinfo=UTC))  # fmt: skip
    assert (brief.night, brief.n_cards, brief.n_charts) == (N2, 0, 0)
    html = brief.path.read_text(encoding="utf-8")
    assert "No claims yet" in html
    assert 'id="brief-charts"' not in html and len(html) < 100_000  # no charts, no Vega bundle
