"""One demo warehouse for the whole session: `newsclaims run` twice on the bundled demo site."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from orchestration.warehouse import Warehouse

REPO = Path(__file__).parents[2]
DEMO_NIGHT = "2026-03-08"


def newsclaims(
    *args: str, cwd: Path = REPO, env: dict | None = None
) -> subprocess.CompletedProcess:
    """The installed console script, as a user runs it."""
    exe = Path(sys.executable).parent / "newsclaims"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "orchestration.cli"]
    return subprocess.run(
        [*cmd, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "DAGSTER_DISABLE_TELEMETRY": "1", **(env or {})},
    )


@dataclass
class DemoRuns:
    warehouse: Warehouse
    first: subprocess.CompletedProcess
    first_counts: dict
    second: subprocess.CompletedProcess
    second_counts: dict


def _counts(wh: Warehouse) -> dict:
    with wh.connect(read_only=True) as con:
        return {
            t: con.execute(f"select count(*) from raw.{t}").fetchone()[0]  # noqa: S608
            for t in (
                "discoveries",
                "fetches",
                "pages",
                "scrape_runs",
                "articles",
                "sentences",
                "claim_mentions",
            )
        }


@pytest.fixture(scope="session")
def demo_runs(tmp_path_factory) -> DemoRuns:
    root = tmp_path_factory.mktemp("demo") / "warehouse"
    args = (
        "run",
        "--sources",
        str(REPO / "sources.yml"),
        "--warehouse",
        str(root),
        "--date",
        DEMO_NIGHT,
    )
    first = newsclaims(*args)
    assert first.returncode == 0, first.stderr
    wh = Warehouse(root)
    first_counts = _counts(wh)
    second = newsclaims(*args)
    assert second.returncode == 0, second.stderr
    return DemoRuns(wh, first, first_counts, second, _counts(wh))
