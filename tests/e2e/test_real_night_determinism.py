"""Real articles, real runs: two builds of the same night from scratch publish the same marts, and
a rerun of the night changes nothing.

100 real US political news articles (PolNeAR, read in place from ../shared/corpora, never
copied) are served as a news site on 127.0.0.1 (bench/real_site.py) and scraped, parsed,
extracted, built, validated and published by `newsclaims run`, once with the night cut into two
shards and once, on a fresh warehouse, into one. Every published mart must have the same rows,
column for column, except `articles.fetched_at` (when we fetched: a fact about the run, not the
article). Skipped where the corpus is absent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))
from real_site import RealSite, corpus_dir, marts_digest  # noqa: E402

N_ARTICLES = 100
NIGHT = "2026-12-01"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (corpus_dir() / "text").is_dir(), reason=f"no PolNeAR texts at {corpus_dir()}"
    ),
    pytest.mark.timeout(900),
]


def run(warehouse: Path, sources: Path, shards: int) -> dict:
    env = {**os.environ, "NEWSCLAIMS_MAX_SHARDS": str(shards)}
    cmd = [str(Path(sys.executable).parent / "newsclaims"), "run", "--date", NIGHT,
           "--warehouse", str(warehouse), "--sources", str(sources)]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=800)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return json.loads((warehouse / "logs" / "last_run.json").read_text())


def test_two_builds_from_scratch_and_a_rerun_publish_the_same_marts(tmp_path):
    with RealSite(N_ARTICLES) as site:
        sources = tmp_path / "sources.yml"
        sources.write_text(site.sources_yaml())
        first = run(tmp_path / "a", sources, shards=2)
        second = run(tmp_path / "b", sources, shards=1)
        a = marts_digest(tmp_path / "a" / "published")
        b = marts_digest(tmp_path / "b" / "published")
        assert a["claims"][0] > 100 and a["sources"][0] > 50 and a["articles"][0] == N_ARTICLES
        assert a == b, {m: (a[m], b.get(m)) for m in a if a[m] != b.get(m)}
        manifest = json.loads((tmp_path / "a" / "published" / "manifest.json").read_text())
        rerun = run(tmp_path / "a", sources, shards=2)
    assert marts_digest(tmp_path / "a" / "published") == a
    # nothing changed, so nothing was parsed, extracted, built or published again
    again = json.loads((tmp_path / "a" / "published" / "manifest.json").read_text())
    assert again["run_id"] == manifest["run_id"] == first["run_id"] != second["run_id"]
    assert rerun["success"] and "parse_extract" in rerun["stages"]
