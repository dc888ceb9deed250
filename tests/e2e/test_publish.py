"""The quality gate and the atomic publish, on copies of the demo warehouse."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.publish.publish import MARTS
from orchestration.warehouse import Warehouse
from tests.e2e.conftest import newsclaims


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def warehouse_copy(demo_runs, tmp_path) -> Warehouse:
    """A copy of the demo warehouse (working database and published files) to damage."""
    target = tmp_path / "warehouse"
    target.mkdir()
    shutil.copy(demo_runs.warehouse.db_path, target / "newsclaims.duckdb")
    shutil.copytree(demo_runs.warehouse.published_dir, target / "published")
    return Warehouse(target)


def test_the_demo_run_published_validated_marts_and_data_docs(demo_runs):
    wh = demo_runs.warehouse
    published = wh.published_dir
    assert (published / "newsclaims.duckdb").exists()
    assert (published / "manifest.json").exists()
    for mart in MARTS:
        assert (published / "parquet" / f"{mart}.parquet").exists()
    docs = list((Path(__file__).parents[2] / "expectations").rglob("index.html"))
    assert docs, "data docs were built"
    status = newsclaims("status", "--warehouse", str(wh.root))
    assert status.returncode == 0, status.stderr
    assert "Last publish: night 2026-03-08" in status.stdout
    assert "claim_mentions" in status.stdout and "Newest article" in status.stdout
    assert "Last validation" in status.stdout and "passed" in status.stdout


CORRUPTIONS = {
    "null key": (
        "update marts.claims set claim_id = null where claim_id = "
        "(select min(claim_id) from marts.claims)",
        "claims",
    ),
    "duplicate key": ("insert into marts.sources select * from marts.sources limit 1", "sources"),
    "unknown status": (
        "update marts.corroboration set status = 'probably' where claim_id = "
        "(select min(claim_id) from marts.corroboration)",
        "corroboration",
    ),
    "quantity outside its bounds": (
        "update marts.claim_mentions set quantity_low = quantity_value + 1000 "
        "where mention_id = (select min(mention_id) from marts.claim_mentions "
        "where quantity_value is not null)",
        "claim_mentions",
    ),
    "dangling foreign key": (
        "update marts.claim_mentions set article_id = 'no-such-article' "
        "where mention_id = (select min(mention_id) from marts.claim_mentions)",
        "claim_mentions",
    ),
    "mart lost most of its rows": (
        "delete from marts.claim_mentions where mention_id > "
        "(select min(mention_id) from marts.claim_mentions)",
        "claim_mentions",
    ),
}


@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_a_failed_check_publishes_nothing(warehouse_copy, corruption):
    sql, mart = CORRUPTIONS[corruption]
    before = _digest(warehouse_copy.published_dir)
    assert "brief/index.html" in before  # yesterday's brief is among the files kept
    with duckdb.connect(str(warehouse_copy.db_path)) as con:
        con.execute(sql)
    result = newsclaims("publish", "--warehouse", str(warehouse_copy.root))
    assert result.returncode != 0
    assert f"expectations failed on {mart}" in result.stderr or f" {mart} " in result.stderr
    assert "FAILED" in result.stderr and "expect_" in result.stderr
    assert _digest(warehouse_copy.published_dir) == before


def test_a_reader_of_the_published_file_neither_blocks_nor_sees_a_half_version(
    warehouse_copy, tmp_path
):
    published_db = warehouse_copy.published_dir / "newsclaims.duckdb"
    old_brief = (warehouse_copy.published_dir / "brief" / "index.html").read_bytes()
    with duckdb.connect(str(published_db), read_only=True) as con:
        old = con.execute("select count(*) from marts.claim_mentions").fetchone()[0]
    # a smaller (but valid) version: drop one article's mentions
    with duckdb.connect(str(warehouse_copy.db_path)) as con:
        con.execute(
            "delete from marts.claim_mentions where article_id = "
            "(select min(article_id) from marts.claim_mentions)"
        )
        new = con.execute("select count(*) from marts.claim_mentions").fetchone()[0]
    assert new < old
    flag = tmp_path / "published.flag"
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import duckdb, pathlib, time
            con = duckdb.connect({str(published_db)!r}, read_only=True)
            print(con.execute("select count(*) from marts.claim_mentions").fetchone()[0], flush=True)
            flag = pathlib.Path({str(flag)!r})
            for _ in range(600):
                if flag.exists():
                    break
                time.sleep(0.1)
            print(con.execute("select count(*) from marts.claim_mentions").fetchone()[0], flush=True)
        """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    first = reader.stdout.readline().strip()
    started = time.monotonic()
    result = newsclaims("publish", "--warehouse", str(warehouse_copy.root))
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 120  # finished while the reader held the file open
    flag.touch()
    second = reader.stdout.readline().strip()
    reader.wait(timeout=60)
    assert (int(first), int(second)) == (old, old)  # the reader kept its version, whole
    with duckdb.connect(str(published_db), read_only=True) as con:
        assert con.execute("select count(*) from marts.claim_mentions").fetchone()[0] == new
    backup = warehouse_copy.published_dir / "backup" / "newsclaims.duckdb"
    with duckdb.connect(str(backup), read_only=True) as con:
        assert con.execute("select count(*) from marts.claim_mentions").fetchone()[0] == old
    # the brief was swapped with the marts: the new one names the new run, the old is the backup
    manifest = json.loads((warehouse_copy.published_dir / "manifest.json").read_text())
    brief = (warehouse_copy.published_dir / "brief" / "index.html").read_bytes()
    assert old_brief != brief and manifest["run_id"].encode() in brief
    assert (
        warehouse_copy.published_dir / "backup" / "brief" / "index.html"
    ).read_bytes() == old_brief


def test_sqlalchemy_and_parquet_give_the_same_rows(demo_runs):
    import sqlalchemy

    published = demo_runs.warehouse.published_dir
    engine = sqlalchemy.create_engine(
        f"duckdb:///{published / 'newsclaims.duckdb'}", connect_args={"read_only": True}
    )
    with engine.connect() as sa, duckdb.connect() as con:
        for mart in MARTS:
            through_sqlalchemy = sa.execute(
                sqlalchemy.text(f"select * from marts.{mart} order by all")  # noqa: S608
            ).fetchall()
            parquet = published / "parquet" / f"{mart}.parquet"
            through_parquet = con.execute(
                f"select * from read_parquet('{parquet}') order by all"  # noqa: S608
            ).fetchall()
            assert [tuple(r) for r in through_sqlalchemy] == through_parquet, mart
            assert through_parquet, mart
    engine.dispose()


def test_the_published_file_declares_an_old_storage_version(demo_runs):
    with duckdb.connect(
        str(demo_runs.warehouse.published_dir / "newsclaims.duckdb"), read_only=True
    ) as con:
        tags = con.execute(
            "select tags from duckdb_databases() where database_name = 'newsclaims'"
        ).fetchone()[0]
    assert tags["storage_version"].startswith("v1.2.0")


@pytest.mark.slow
def test_a_duckdb_1x_client_opens_the_published_file(demo_runs, tmp_path):
    """Many BI drivers bundle DuckDB 1.x: install one in a throwaway environment and read."""
    venv = tmp_path / "duckdb1"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "duckdb==1.2.2"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if install.returncode != 0:
        pytest.skip(f"duckdb 1.2.2 could not be installed here: {install.stderr[-300:]}")
    published = demo_runs.warehouse.published_dir / "newsclaims.duckdb"
    probe = subprocess.run(
        [
            str(python),
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
            "print(duckdb.__version__, c.execute('select count(*) from marts.claims').fetchone()[0])",
            str(published),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert probe.returncode == 0, probe.stderr
    version, n_claims = probe.stdout.split()
    assert version.startswith("1.2") and int(n_claims) > 0
