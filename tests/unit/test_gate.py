"""The quality gate: the committed GX suites pass good marts and catch each kind of corruption."""

import shutil
from datetime import UTC, datetime

import duckdb
import pandas as pd
import pytest

from orchestration.publish import gate
from orchestration.publish.gate import GateError, MartValidation

NOW = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)


def ts(s):
    return pd.Timestamp(s, tz="UTC")


def good_marts() -> dict[str, pd.DataFrame]:
    """A few rows per mart satisfying every expectation (as of NOW)."""
    articles = pd.DataFrame(
        {
            "article_id": ["a1", "a2", "a3"],
            "url": ["https://x.test/1", "https://y.test/2", "https://x.test/3"],
            "outlet_id": ["o1", "o2", "o1"],
            "title": ["One", "Two", "Three"],
            "published_at": [ts("2026-03-02 07:30"), ts("2026-03-05 09:00"), None],
            "published_date_local": pd.to_datetime(["2026-03-02", "2026-03-05", None]),
            "published_on": pd.to_datetime(["2026-03-02", "2026-03-05", "2026-03-08"]),
            "fetched_at": [ts("2026-03-02 08:00"), ts("2026-03-05 10:00"), ts("2026-03-08 10:00")],
            "parse_status": ["ok", "ok", "empty"],
        }
    )
    outlets = pd.DataFrame({"outlet_id": ["o1", "o2"], "name": ["X", "Y"], "n_articles": [2, 1]})
    claim_mentions = pd.DataFrame(
        {
            "mention_id": ["m1", "m2", "m3"],
            "claim_id": ["c1", "c1", "c2"],
            "article_id": ["a1", "a2", "a2"],
            "outlet_id": ["o1", "o2", "o2"],
            "source_id": ["s1", "s2", None],
            "published_at": [
                ts("2026-03-02 07:30"),
                ts("2026-03-05 09:00"),
                ts("2026-03-05 09:00"),
            ],
            "attribution_kind": ["direct_quote", "according_to", "unattributed"],
            "stance": ["supports", "supports", "disputes"],
            "quantity_value": [8000.0, None, 12.0],
            "quantity_low": [8000.0, 7000.0, None],
            "quantity_high": [8000.0, 9000.0, None],
        }
    )
    claims = pd.DataFrame(
        {
            "claim_id": ["c1", "c2"],
            "canonical_text": ["8,000 troops crossed", "the bridge was destroyed"],
            "claim_type": ["quantitative", "event"],
        }
    )
    sources = pd.DataFrame(
        {
            "source_id": ["s1", "s2"],
            "name": ["Defence Ministry", "officials"],
            "source_kind": ["organization", "anonymous"],
            "source_type": ["government", "unknown"],
            "affiliation": ["UA", "unknown"],
        }
    )
    corroboration = pd.DataFrame(
        {
            "claim_id": ["c1", "c2"],
            "as_of_date": pd.to_datetime(["2026-03-08", "2026-03-08"]),
            "status": ["corroborated", "denied"],
            "n_supporting_mentions": [2, 0],
            "n_supporting_sources": [2, 0],
            "n_supporting_affiliations": [2, 0],
            "n_independent_reports": [2, 0],
            "quantity_min": [7000.0, None],
            "quantity_max": [9000.0, None],
        }
    )
    claim_status_history = pd.DataFrame(
        {
            "claim_id": ["c1", "c1", "c2"],
            "valid_from": pd.to_datetime(["2026-03-02", "2026-03-05", "2026-03-05"]),
            "valid_to": pd.to_datetime(["2026-03-04", "2026-03-08", "2026-03-08"]),
            "is_current": [False, True, True],
            "status": ["single_source", "corroborated", "denied"],
            "quantity_min": [8000.0, 7000.0, None],
            "quantity_max": [8000.0, 9000.0, None],
        }
    )
    return {
        "articles": articles,
        "outlets": outlets,
        "claim_mentions": claim_mentions,
        "claims": claims,
        "sources": sources,
        "corroboration": corroboration,
        "claim_status_history": claim_status_history,
    }


@pytest.fixture(scope="module")
def gx_root(tmp_path_factory):
    """A copy of the committed GX project (validation results land in its uncommitted/)."""
    root = tmp_path_factory.mktemp("gx") / "expectations"
    shutil.copytree(gate.EXPECTATIONS_DIR, root, ignore=shutil.ignore_patterns("uncommitted"))
    return root


def run(gx_root, frames, **kwargs) -> dict[str, MartValidation]:
    kwargs.setdefault("now", NOW)
    results = gate.validate_marts(frames, context_root=gx_root, **kwargs)
    return {v.suite: v for v in results}


def assert_fails(results, suite, expectation, column=None, check=None):
    v = results[suite]
    assert v.success is False, v
    assert v.mart == (suite if suite != gate.FRESHNESS_SUITE else "articles")
    hits = [
        f
        for f in v.failures
        if f["expectation"] == expectation
        and (column is None or column in (f.get("column"), f.get("column_A"), f.get("column_B")))
        and (check is None or f["check"] == check)
    ]
    assert hits, v.failures
    others = [s for s, r in results.items() if s != suite and not r.success]
    return hits, others


def test_good_marts_pass(gx_root):
    results = run(gx_root, good_marts())
    assert set(results) == {*gate.MARTS, gate.FRESHNESS_SUITE}
    assert all(v.success for v in results.values()), [v for v in results.values() if not v.success]
    assert results["claim_mentions"].n_rows == 3
    assert results["articles"].failures == []


def test_freshness_is_separate_and_skippable(gx_root):
    later = datetime(2026, 5, 1, tzinfo=UTC)
    results = run(gx_root, good_marts(), now=later)
    hits, others = assert_fails(
        results, gate.FRESHNESS_SUITE, "expect_column_max_to_be_between", "published_at"
    )
    assert hits[0]["check"] == "freshness"
    assert hits[0]["observed_value"].startswith("2026-03-05")
    assert others == []
    skipped = run(gx_root, good_marts(), now=later, check_freshness=False)
    assert gate.FRESHNESS_SUITE not in skipped
    assert all(v.success for v in skipped.values())


def test_null_key(gx_root):
    frames = good_marts()
    frames["articles"].loc[2, "article_id"] = None
    results = run(gx_root, frames, check_freshness=False)
    assert_fails(results, "articles", "expect_column_values_to_not_be_null", "article_id")


def test_duplicate_key(gx_root):
    frames = good_marts()
    frames["claims"] = pd.concat([frames["claims"], frames["claims"].iloc[[0]]], ignore_index=True)
    results = run(gx_root, frames, check_freshness=False)
    hits, _ = assert_fails(results, "claims", "expect_column_values_to_be_unique", "claim_id")
    assert "c1" in hits[0]["partial_unexpected_list"]


def test_duplicate_compound_key(gx_root):
    frames = good_marts()
    h = frames["claim_status_history"]
    frames["claim_status_history"] = pd.concat([h, h.iloc[[1]]], ignore_index=True)
    results = run(gx_root, frames, check_freshness=False)
    assert_fails(results, "claim_status_history", "expect_compound_columns_to_be_unique")


def test_status_interval_ending_before_it_starts(gx_root):
    frames = good_marts()
    frames["claim_status_history"].loc[0, "valid_to"] = pd.Timestamp("2026-03-01")
    results = run(gx_root, frames, check_freshness=False)
    hits, others = assert_fails(
        results,
        "claim_status_history",
        "expect_column_pair_values_a_to_be_greater_than_b",
        "valid_to",
        check="interval_not_reversed",
    )
    assert others == []


def test_unknown_status(gx_root):
    frames = good_marts()
    frames["corroboration"].loc[1, "status"] = "rumoured"
    results = run(gx_root, frames, check_freshness=False)
    hits, _ = assert_fails(results, "corroboration", "expect_column_values_to_be_in_set", "status")
    assert hits[0]["check"] == "accepted_values"
    assert hits[0]["partial_unexpected_list"] == ["rumoured"]


def test_quantity_outside_bounds(gx_root):
    frames = good_marts()
    frames["claim_mentions"].loc[0, "quantity_value"] = 9500.0  # high is 8000
    results = run(gx_root, frames, check_freshness=False)
    hits, others = assert_fails(
        results,
        "claim_mentions",
        "expect_column_pair_values_a_to_be_greater_than_b",
        "quantity_value",
        check="quantity_within_bounds",
    )
    assert others == []


def test_quantity_min_above_max(gx_root):
    frames = good_marts()
    frames["corroboration"].loc[0, "quantity_min"] = 9999.0
    results = run(gx_root, frames, check_freshness=False)
    assert_fails(
        results,
        "corroboration",
        "expect_column_pair_values_a_to_be_greater_than_b",
        "quantity_min",
        check="quantity_min_le_max",
    )


def test_dangling_foreign_key(gx_root):
    frames = good_marts()
    frames["claim_mentions"].loc[1, "claim_id"] = "c404"
    results = run(gx_root, frames, check_freshness=False)
    hits, others = assert_fails(
        results, "claim_mentions", "expect_column_values_to_be_null", "claim_id", "foreign_key"
    )
    assert hits[0]["partial_unexpected_list"] == ["c404"]
    assert hits[0]["references"] == "claims.claim_id"
    assert others == []


def test_null_foreign_key_passes_and_each_orphan_is_listed(gx_root):
    frames = good_marts()
    frames["claim_mentions"]["source_id"] = frames["claim_mentions"]["source_id"].astype(object)
    frames["claim_mentions"].loc[0, "source_id"] = None  # no source: not an orphan
    frames["claim_mentions"].loc[1, "source_id"] = "s404"
    results = run(gx_root, frames, check_freshness=False)
    hits, others = assert_fails(
        results, "claim_mentions", "expect_column_values_to_be_null", "source_id", "foreign_key"
    )
    assert hits[0]["partial_unexpected_list"] == ["s404"] and hits[0]["unexpected_count"] == 1
    assert others == []


def test_corroborated_needs_two_affiliations(gx_root):
    frames = good_marts()
    frames["corroboration"].loc[0, "n_supporting_affiliations"] = 1
    results = run(gx_root, frames, check_freshness=False)
    assert_fails(
        results,
        "corroboration",
        "expect_column_values_to_be_between",
        "n_supporting_affiliations",
        check="corroborated_has_two_affiliations",
    )


def test_mart_lost_most_rows(gx_root):
    frames = good_marts()
    previous = {"claims": 10, "articles": 3}
    results = run(gx_root, frames, previous_row_counts=previous, check_freshness=False)
    hits, others = assert_fails(
        results, "claims", "expect_table_row_count_to_be_between", check="volume"
    )
    assert hits[0]["observed_value"] == 2
    assert others == []  # articles kept all its rows
    ok = run(gx_root, frames, previous_row_counts=previous, max_shrink=0.8, check_freshness=False)
    assert ok["claims"].success


def test_published_in_future(gx_root):
    frames = good_marts()
    frames["articles"].loc[1, "published_at"] = ts("2026-03-10 00:00")
    results = run(gx_root, frames, check_freshness=False)
    hits, _ = assert_fails(
        results, "articles", "expect_column_max_to_be_between", "published_at", "not_in_future"
    )
    assert hits[0]["observed_value"].startswith("2026-03-10")


def test_article_without_a_day_it_counts_on(gx_root):
    frames = good_marts()
    frames["articles"].loc[2, "published_on"] = None
    results = run(gx_root, frames, check_freshness=False)
    assert_fails(
        results, "articles", "expect_column_values_to_not_be_null", "published_on", "not_null"
    )


def test_missing_suite_fails_loudly(gx_root, tmp_path):
    root = tmp_path / "expectations"
    shutil.copytree(gx_root, root, ignore=shutil.ignore_patterns("uncommitted"))
    (root / "expectations" / "claims.json").unlink()
    with pytest.raises(GateError, match="claims"):
        gate.validate_marts(good_marts(), now=NOW, context_root=root)


def test_no_gx_project_is_not_created(tmp_path):
    with pytest.raises(GateError, match="great_expectations.yml"):
        gate.gx_context(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_missing_mart_frame(gx_root):
    frames = good_marts()
    del frames["sources"]
    with pytest.raises(GateError, match="sources"):
        gate.validate_marts(frames, now=NOW, context_root=gx_root)


def test_load_marts_reads_read_only(tmp_path, gx_root):
    db = tmp_path / "newsclaims.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema marts")
    for name, frame in good_marts().items():
        con.register("frame", frame)
        con.execute(f"create table marts.{name} as select * from frame")
        con.unregister("frame")
    con.close()
    frames = gate.load_marts(db)
    assert set(frames) == set(gate.MARTS)
    assert len(frames["claim_mentions"]) == 3
    duckdb.connect(str(db)).close()  # no lock left behind
    results = run(gx_root, frames, check_freshness=False)
    assert all(v.success for v in results.values())


def test_load_marts_missing_mart(tmp_path):
    db = tmp_path / "newsclaims.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema marts; create table marts.claims (claim_id varchar)")
    con.close()
    with pytest.raises(GateError, match="articles"):
        gate.load_marts(db)


def test_build_data_docs(gx_root):
    run(gx_root, good_marts(), check_freshness=False)
    index = gate.build_data_docs(gx_root)
    assert index is not None and index.name == "index.html" and index.is_file()
    assert "uncommitted" in index.parts
