"""The sharded parse and extract: rows depend on the page, not on the shard it fell in, and an
unchanged page is reused, not parsed or extracted again."""

from __future__ import annotations

from datetime import date

from orchestration.shards import plan_night, process_night
from orchestration.stages import scrape_night
from orchestration.warehouse import Warehouse
from tests.conftest import rows
from tests.integration.test_dagster_parse_extract import EMPTY, ENGLISH, GERMAN

NIGHT = date(2026, 3, 5)
CONTENT = (
    "select a.article_id, a.status, a.text, a.parse_key, a.extractor_version, "
    "list(m.claim_text order by m.mention_id) as claims "
    "from raw.articles a left join raw.claim_mentions m using (night, article_id) "
    "group by all order by a.article_id"
)


def _warehouse(tmp_path, name: str) -> Warehouse:
    saved = tmp_path / "saved"
    if not saved.exists():
        saved.mkdir()
        (saved / "en.html").write_text(ENGLISH, encoding="utf-8")
        (saved / "en2.html").write_text(ENGLISH.replace("8,000", "9,500"), encoding="utf-8")
        (saved / "de.html").write_text(GERMAN, encoding="utf-8")
        (saved / "empty.html").write_text(EMPTY, encoding="utf-8")
    sources = tmp_path / "sources.yml"
    sources.write_text(f"sources:\n  - name: Saved\n    kind: directory\n    path: {saved}\n")
    wh = Warehouse(tmp_path / name)
    scrape_night(sources, wh, NIGHT)
    return wh


def test_one_shard_or_three_give_the_same_rows(tmp_path):
    one, three = _warehouse(tmp_path, "one"), _warehouse(tmp_path, "three")
    plan = plan_night(three, NIGHT, pages_per_shard=1, shards=3)
    assert len(plan.shards) == 3 and plan.n_to_process == 4 and not plan.reused
    process_night(one, NIGHT, run_id="r1", shards=1)
    counts = process_night(three, NIGHT, run_id="r3", shards=3, pages_per_shard=1)
    assert counts["articles"] == 4 and counts["processed"] == 4
    assert rows(one, CONTENT) == rows(three, CONTENT)
    assert any(r["claims"] != [None] for r in rows(one, CONTENT))


def test_unchanged_pages_are_reused_on_a_rerun(tmp_path):
    wh = _warehouse(tmp_path, "wh")
    first = process_night(wh, NIGHT, run_id="first")
    before = rows(wh, CONTENT)
    plan = plan_night(wh, NIGHT)
    assert plan.n_to_process == 0 and len(plan.reused) == 4
    again = process_night(wh, NIGHT, run_id="second")
    assert again["reused"] == 4 and again["processed"] == 0
    assert rows(wh, CONTENT) == before
    # the reused rows keep the run that made them, and nothing is duplicated
    assert {r["run_id"] for r in rows(wh, "select distinct run_id from raw.articles")} == {"first"}
    assert first["claim_mentions"] == again["claim_mentions"]
    # asked not to reuse, it parses and extracts everything again, to the same rows
    forced = process_night(wh, NIGHT, run_id="third", reuse=False)
    assert forced["processed"] == 4 and rows(wh, CONTENT) == before


def test_no_shard_is_larger_than_the_cap_whatever_the_shard_limit(tmp_path, monkeypatch):
    wh = _warehouse(tmp_path, "wh")
    monkeypatch.setenv("NEWSCLAIMS_MAX_PAGES_PER_SHARD", "3")
    plan = plan_night(wh, NIGHT, pages_per_shard=1, shards=1)
    assert [len(s.pages) for s in plan.shards] == [2, 2]
    monkeypatch.setenv("NEWSCLAIMS_MAX_PAGES_PER_SHARD", "1")
    plan = plan_night(wh, NIGHT, pages_per_shard=100, shards=1)
    assert [len(s.pages) for s in plan.shards] == [1, 1, 1, 1]
    monkeypatch.delenv("NEWSCLAIMS_MAX_PAGES_PER_SHARD")
    assert len(plan_night(wh, NIGHT, shards=1).shards) == 1
