"""The dbt project builds its staging layer over the raw tables of a real demo run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import rows

DBT_PROJECT = Path(__file__).parents[2] / "dbt_project"


def test_dbt_build_over_the_demo_warehouse(demo_runs, tmp_path):
    dbt = Path(sys.executable).parent / "dbt"
    env = {
        **os.environ,
        "NEWSCLAIMS_WAREHOUSE": str(demo_runs.warehouse.root),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    result = subprocess.run(
        [
            str(dbt),
            "build",
            "--project-dir",
            str(DBT_PROJECT),
            "--profiles-dir",
            str(DBT_PROJECT),
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "ERROR=0" in result.stdout
    pages = rows(demo_runs.warehouse, "select count(*) as n from staging.stg_news__pages")
    raw = rows(demo_runs.warehouse, "select count(*) as n from raw.pages")
    assert pages == raw and pages[0]["n"] >= 36
