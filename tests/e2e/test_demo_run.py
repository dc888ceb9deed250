"""The README's first command: `newsclaims run` on the bundled demo site, twice."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import yaml

from tests.conftest import rows
from tests.e2e.conftest import DEMO_NIGHT, newsclaims

GOLD = Path(__file__).parents[2] / "orchestration" / "demo_site" / "gold"


def _gold_articles() -> list[dict]:
    out = []
    for f in sorted(GOLD.glob("*.yml")):
        out.extend(yaml.safe_load(f.read_text(encoding="utf-8"))["articles"])
    return out


def _summary_totals(stdout: str) -> dict[str, int]:
    line = next(ln for ln in stdout.splitlines() if ln.startswith("total"))
    cols = ["discovered", "fetched", "unchanged", "duplicates", "skipped", "refused", "errors"]
    return dict(zip(cols, map(int, line.split()[1:]), strict=True))


def test_first_run_fetches_every_listed_article_and_skips_robots(demo_runs):
    totals = _summary_totals(demo_runs.first.stdout)
    gold = _gold_articles()
    listed = [a for a in gold if a["in_feed"]]
    allowed = [a for a in listed if not a["robots_disallowed"]]
    assert totals["fetched"] == len(allowed)
    assert totals["skipped"] == len([a for a in listed if a["robots_disallowed"]])
    assert totals["errors"] == 0 and totals["refused"] == 0
    assert totals["discovered"] == (
        totals["fetched"] + totals["unchanged"] + totals["duplicates"] + totals["skipped"]
    )
    fetched_paths = {
        re.sub(r"^https?://[^/]+", "", r["canonical_url"])
        for r in rows(
            demo_runs.warehouse, "select canonical_url from raw.pages where night = ?", [DEMO_NIGHT]
        )
    }
    assert fetched_paths == {a["path"] for a in allowed}
    # robots.txt was honoured: the disallowed pages were never requested
    skipped = rows(
        demo_runs.warehouse, "select url, error from raw.fetches where outcome = 'skipped_robots'"
    )
    assert {re.sub(r"^https?://[^/]+", "", r["url"]) for r in skipped} == {
        a["path"] for a in listed if a["robots_disallowed"]
    }


def test_progress_and_summary_are_printed(demo_runs):
    assert "discovered" in demo_runs.first.stderr  # progress lines
    # the demo's news is from March: the freshness suite warns, and nothing is a failure
    assert "FAILED" not in demo_runs.first.stderr, demo_runs.first.stderr
    assert "warnings newest article is stale" in demo_runs.first.stderr
    for outlet in (
        "The Valdorian Herald",
        "Drevnik Daily",
        "Continental Press Agency",
        "Norland Observer",
        "Maritime Times",
        "Aurelia Today",
    ):
        assert outlet in demo_runs.first.stdout


def test_second_run_of_the_same_night_is_unchanged_and_adds_no_rows(demo_runs):
    totals = _summary_totals(demo_runs.second.stdout)
    assert totals["fetched"] == 0
    assert totals["unchanged"] == _summary_totals(demo_runs.first.stdout)["fetched"]
    assert demo_runs.first_counts == demo_runs.second_counts
    wh = demo_runs.warehouse
    assert rows(wh, "select fetch_id from raw.fetches group by 1 having count(*) > 1") == []
    assert rows(wh, "select night, page_id from raw.pages group by 1, 2 having count(*) > 1") == []
    statuses = {
        r["http_status"]
        for r in rows(wh, "select http_status from raw.fetches where outcome = 'not_modified'")
    }
    assert statuses == {304}


def test_every_discovered_url_is_accounted_for(demo_runs):
    wh = demo_runs.warehouse
    mismatch = rows(
        wh,
        """
        select d.source_name, d.position
        from raw.discoveries d
        left join raw.fetches f
          on f.night = d.night and f.source_name = d.source_name
         and f.position = d.position and f.url_kind = 'article'
        where f.fetch_id is null
        union all
        select f.source_name, f.position
        from raw.fetches f
        left join raw.discoveries d
          on f.night = d.night and f.source_name = d.source_name and f.position = d.position
        where f.url_kind = 'article' and d.url is null
    """,
    )
    assert mismatch == []


def test_every_page_body_is_in_the_archive(demo_runs):
    wh = demo_runs.warehouse
    for r in rows(wh, "select content_hash from raw.pages"):
        assert wh.archive.get(r["content_hash"])  # verified against its hash on read


def test_urls_are_stable_across_runs(demo_runs):
    # The demo site runs on a new ephemeral port each time; stored URLs don't change.
    urls = rows(demo_runs.warehouse, "select distinct url from raw.fetches where url like '%:%:%'")
    assert all(":80" not in u["url"] for u in urls)
    hosts = {
        re.match(r"https?://([^/]+)", r["url"]).group(1)
        for r in rows(demo_runs.warehouse, "select url from raw.fetches")
    }
    assert hosts == {"demo.newsclaims.localhost"}


def test_malformed_sources_file_exits_2_with_the_reason(tmp_path):
    bad = tmp_path / "sources.yml"
    bad.write_text("sources:\n  - name: X\n    kind: feed\n")
    result = newsclaims("run", "--sources", str(bad), "--warehouse", str(tmp_path / "wh"))
    assert result.returncode == 2
    assert f"{bad}: sources[0] ('X'): a 'feed' source needs 'url'" in result.stderr
    assert not (tmp_path / "wh").exists()


def test_future_date_is_refused(tmp_path):
    result = newsclaims("run", "--date", "2999-01-01", "--warehouse", str(tmp_path / "wh"))
    assert result.returncode != 0 and "in the future" in result.stderr


def test_parse_and_extract_ran_for_every_page(demo_runs):
    wh = demo_runs.warehouse
    pages = rows(wh, "select count(*) as n from raw.pages where night = ?", [DEMO_NIGHT])[0]["n"]
    articles = rows(
        wh,
        "select status, count(*) as n from raw.articles where night = ? group by 1",
        [DEMO_NIGHT],
    )
    assert sum(a["n"] for a in articles) == pages
    assert {a["status"] for a in articles} == {"ok"}
    mentions = rows(
        wh, "select count(*) as n from raw.claim_mentions where night = ?", [DEMO_NIGHT]
    )[0]["n"]
    assert mentions > 300
    versions = rows(wh, "select distinct parser_version from raw.articles")
    assert len(versions) == 1
    assert rows(wh, "select distinct extractor_version from raw.claim_mentions")[0][
        "extractor_version"
    ].startswith("extract-")


def test_parsed_metadata_matches_the_gold(demo_runs):
    by_path = {a["path"]: a for a in _gold_articles()}
    found = rows(
        demo_runs.warehouse,
        "select canonical_url, title, authors, published_at, outlet from raw.articles",
    )
    assert found
    for r in found:
        g = by_path[re.sub(r"^https?://[^/]+", "", r["canonical_url"])]
        assert r["title"] == g["title"], g["id"]
        assert list(r["authors"]) == g["authors"], g["id"]
        assert r["outlet"] == g["outlet"], g["id"]
        gold_at = datetime.fromisoformat(str(g["published_at"]).replace("Z", "+00:00"))
        if g["date_on_page"] == "url":  # the URL gives the day; the feed hint gives the time
            assert r["published_at"].date() == gold_at.date(), g["id"]
        else:
            assert r["published_at"] == gold_at, g["id"]


def test_reprocess_rebuilds_the_same_rows_from_the_archive(demo_runs):
    wh = demo_runs.warehouse
    query = (
        "select article_id, mention_index, claim_text, char_start, char_end, source_name, "
        "attribution_kind from raw.claim_mentions order by all"
    )
    before = rows(wh, query)
    articles_before = rows(wh, "select article_id, text, published_at from raw.articles order by 1")
    result = newsclaims("reprocess", "--since", DEMO_NIGHT, "--warehouse", str(wh.root))
    assert result.returncode == 0, result.stderr
    assert f"{DEMO_NIGHT}  ok" in result.stdout
    assert rows(wh, query) == before
    assert rows(wh, "select article_id, text, published_at from raw.articles order by 1") == (
        articles_before
    )
    assert (
        rows(wh, "select mention_id from raw.claim_mentions group by 1 having count(*) > 1") == []
    )
