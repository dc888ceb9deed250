"""Scale-out, simulated on one machine: two nights processed at once, each by its own Dagster
run on the multiprocess executor, each night cut into three shards (more shards than cores),
give exactly the rows of a one-shard, one-process build of each night. The shards never open
the database; the two runs' collect steps queue for DuckDB's single writer."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

from orchestration.shards import process_night
from orchestration.stages import scrape_night
from orchestration.warehouse import Warehouse
from tests.conftest import rows
from tests.integration.test_dagster_parse_extract import ENGLISH, GERMAN

NIGHTS = [date(2026, 3, 5), date(2026, 3, 6)]
CONTENT = (
    "select a.night, a.article_id, a.status, a.text, a.parse_key, a.extractor_version, "
    "count(distinct s.sentence_index) as n_sentences, "
    "list(distinct m.claim_text order by m.claim_text) as claims "
    "from raw.articles a left join raw.sentences s using (night, article_id) "
    "left join raw.claim_mentions m using (night, article_id) "
    "group by all order by all"
)
RUN = """
import sys
from datetime import date
from pathlib import Path
from orchestration.cli import run_job
out = run_job("reprocess_job", night=date.fromisoformat(sys.argv[1]),
              warehouse_dir=Path(sys.argv[2]), quiet=True)
sys.exit(0 if out.success else 1)
"""


def _pages(folder, night: date) -> None:
    folder.mkdir(parents=True)
    for i, (who, n) in enumerate([("Marek Halloran", "8,000"), ("Ilse Varga", "9,500"),
                                  ("Tomas Brenn", "10,000"), ("Anna Koss", "7,200"),
                                  ("Jon Dale", "6,100")]):  # fmt: skip
        html = ENGLISH.replace("Marek Halloran", who).replace("8,000", n)
        (folder / f"{night:%d}-{i}.html").write_text(html, encoding="utf-8")
    (folder / f"{night:%d}-de.html").write_text(GERMAN, encoding="utf-8")


def _scraped(tmp_path, name: str) -> Warehouse:
    wh = Warehouse(tmp_path / name)
    for night in NIGHTS:
        folder = tmp_path / "saved" / night.isoformat()
        if not folder.exists():
            _pages(folder, night)
        sources = tmp_path / f"sources-{night}.yml"
        sources.write_text(f"sources:\n  - name: Saved\n    kind: directory\n    path: {folder}\n")
        scrape_night(sources, wh, night)
    return wh


def test_two_nights_at_once_in_shards_match_a_serial_build(tmp_path):
    serial, parallel = _scraped(tmp_path, "serial"), _scraped(tmp_path, "parallel")
    for night in NIGHTS:
        process_night(serial, night, run_id=f"serial-{night}", shards=1)
    env = {**os.environ, "NEWSCLAIMS_MAX_SHARDS": "3", "NEWSCLAIMS_PAGES_PER_SHARD": "1"}
    procs = [
        subprocess.Popen([sys.executable, "-c", RUN, night.isoformat(), str(parallel.root)],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for night in NIGHTS
    ]  # fmt: skip
    for p in procs:
        out, _ = p.communicate(timeout=600)
        assert p.returncode == 0, out[-3000:]
    # each night was really cut into three shards, each written by its own step
    for night in NIGHTS:
        runs = list((parallel.root / "shards" / f"night={night}").glob("run=*/shard-*"))
        assert len(runs) == 3, runs
    assert rows(parallel, CONTENT) == rows(serial, CONTENT)
    assert len(rows(serial, CONTENT)) == 12
    assert any(len(r["claims"]) > 1 for r in rows(serial, CONTENT))
