"""The dbt project beyond the nightly build: its docs generate (README: "Asking the warehouse"),
and the run left the staging views and the status snapshot in the demo warehouse."""

from __future__ import annotations

import subprocess

from orchestration.defs.dbt_project import DBT_PROJECT_DIR, dbt_env, dbt_executable
from tests.conftest import rows


def test_staging_views_match_the_raw_tables(demo_runs):
    pages = rows(demo_runs.warehouse, "select count(*) as n from staging.stg_news__pages")
    raw = rows(demo_runs.warehouse, "select count(*) as n from raw.pages")
    assert pages == raw and pages[0]["n"] >= 36


def test_snapshot_keeps_the_status_history(demo_runs):
    snap = rows(
        demo_runs.warehouse,
        "select claim_id, status, dbt_valid_from, dbt_valid_to "
        "from snapshots.claim_status_snapshot",
    )
    claims = rows(demo_runs.warehouse, "select count(*) as n from marts.corroboration")[0]["n"]
    assert len({r["claim_id"] for r in snap}) == claims
    assert all(r["dbt_valid_to"] is None for r in snap)  # one build of one night: one version


def test_dbt_docs_generate(demo_runs, tmp_path):
    result = subprocess.run(
        [
            dbt_executable(),
            "docs",
            "generate",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
        ],
        capture_output=True,
        text=True,
        env=dbt_env(demo_runs.warehouse.root),
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert (tmp_path / "target" / "catalog.json").exists()
    assert (tmp_path / "target" / "index.html").exists()
