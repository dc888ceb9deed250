"""The scrape assets through Dagster: partitioned by night, blocking accounting check, and a
rerun of the same night that replaces rows instead of adding them."""

from __future__ import annotations

import dagster as dg
import pytest

from orchestration.definitions import NIGHTLY_JOB, build_definitions
from orchestration.defs.resources import NewsclaimsSettings
from orchestration.defs.scrape import scrape
from orchestration.warehouse import Warehouse
from tests.conftest import rows

NIGHT = "2026-03-08"


@pytest.fixture
def demo_sources(tmp_path):
    path = tmp_path / "sources.yml"
    path.write_text("sources:\n  - name: Demo\n    kind: demo\n    min_delay_seconds: 0\n")
    return path


def test_materialize_twice_is_idempotent(tmp_path, demo_sources):
    wh = Warehouse(tmp_path / "wh")
    resources = {
        "settings": NewsclaimsSettings(warehouse_dir=str(wh.root), sources_file=str(demo_sources))
    }
    with dg.instance_for_test() as instance:
        first = dg.materialize(
            [scrape], resources=resources, partition_key=NIGHT, instance=instance
        )
        assert first.success
        counts_1 = rows(
            wh,
            "select (select count(*) from raw.fetches) as f, "
            "(select count(*) from raw.pages) as p, "
            "(select count(*) from raw.discoveries) as d",
        )[0]
        second = dg.materialize(
            [scrape], resources=resources, partition_key=NIGHT, instance=instance
        )
        assert second.success
        checks = second.get_asset_check_evaluations()
        assert [(c.check_name, c.passed) for c in checks] == [
            ("accounts_for_every_discovered_url", True)
        ]
        mats = second.asset_materializations_for_node("scrape")
        assert {m.asset_key.to_user_string() for m in mats} == {
            "raw/discoveries",
            "raw/fetches",
            "raw/pages",
            "raw/scrape_runs",
        }
        assert all(m.partition == NIGHT for m in mats)
    counts_2 = rows(
        wh,
        "select (select count(*) from raw.fetches) as f, "
        "(select count(*) from raw.pages) as p, "
        "(select count(*) from raw.discoveries) as d",
    )[0]
    assert counts_1 == counts_2
    assert counts_1["p"] >= 36
    outcomes = {
        r["outcome"]
        for r in rows(wh, "select distinct outcome from raw.fetches where url_kind = 'article'")
    }
    assert outcomes == {"not_modified", "duplicate", "skipped_robots"}
    dupes = rows(wh, "select fetch_id, count(*) as n from raw.fetches group by 1 having n > 1")
    assert dupes == []


def test_definitions_load_with_job_and_nightly_schedule():
    defs = build_definitions(schedule_time="03:30")
    job = defs.resolve_job_def(NIGHTLY_JOB)
    assert job.partitions_def is not None
    schedule = defs.resolve_schedule_def("newsclaims_nightly_schedule")
    assert schedule.cron_schedule == "30 3 * * *"
    assert schedule.execution_timezone == "UTC"
    keys = {k.to_user_string() for k in defs.resolve_all_asset_keys()}
    assert {"raw/discoveries", "raw/fetches", "raw/pages"} <= keys


def test_default_schedule_is_two_am_utc(monkeypatch):
    monkeypatch.delenv("NEWSCLAIMS_SCHEDULE_TIME", raising=False)
    schedule = build_definitions().resolve_schedule_def("newsclaims_nightly_schedule")
    assert schedule.cron_schedule == "0 2 * * *"


def test_bad_schedule_time_is_a_clear_error():
    with pytest.raises(ValueError, match="expected HH:MM"):
        build_definitions(schedule_time="25:00")
