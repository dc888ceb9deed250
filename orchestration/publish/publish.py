"""Write, audit, publish: validated marts to DIR/published/, atomically.

Layout:

    DIR/published/newsclaims.duckdb        the marts (schema `marts`), DuckDB storage v1.2.0 so
                                           DuckDB 1.x clients (many BI drivers) can open it
    DIR/published/parquet/<mart>.parquet   one Parquet file per mart
    DIR/published/brief/index.html         the morning brief: one page for readers, built from
                                           this version's marts (orchestration/brief/)
    DIR/published/manifest.json            run id, night, time, row counts, validation, version
    DIR/published/backup/                  the previous published version, the same layout

Write: every file of the new version is written under DIR/published/.staging-<run id>/ while
readers keep using the current one, the brief last, from the marts just written there (so the
page and the marts it describes are one version: a brief that cannot be built publishes
nothing). Audit: the caller validates before calling `publish`
(`orchestration.publish.gate`), and `publish` re-checks the row counts it copied. Publish: the
current files are hard-linked into backup/, then the new ones renamed over them, each with an
atomic rename (`os.replace`), the manifest last. A reader holding the published DuckDB file
open keeps reading the version it opened (its file is replaced, not rewritten) and a new
connection sees the new version; a publish never waits for readers, and it only reads the
working database.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

MARTS = (
    "articles",
    "outlets",
    "claim_mentions",
    "claims",
    "sources",
    "corroboration",
    "claim_status_history",
)
STORAGE_VERSION = "v1.2.0"
DB_NAME = "newsclaims.duckdb"
BRIEF_DIR = "brief"
BRIEF_PAGE = "index.html"


class PublishError(RuntimeError):
    pass


@dataclass
class PublishResult:
    published_dir: Path
    manifest: dict


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _write_version(working_db: Path, staging: Path) -> dict[str, int]:
    """Copy the marts of the working database into a new DuckDB file and Parquet files."""
    (staging / "parquet").mkdir(parents=True)
    counts: dict[str, int] = {}
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach {_sql_string(str(working_db))} as work (read_only)")
        con.execute(
            f"attach {_sql_string(str(staging / DB_NAME))} as pub "
            f"(storage_version {_sql_string(STORAGE_VERSION)})"
        )
        con.execute("create schema pub.marts")
        for mart in MARTS:
            con.execute(f"create table pub.marts.{mart} as select * from work.marts.{mart}")
            target = staging / "parquet" / f"{mart}.parquet"
            con.execute(
                f"copy (select * from work.marts.{mart}) to {_sql_string(str(target))} "
                "(format parquet)"
            )
            counts[mart] = con.execute(f"select count(*) from pub.marts.{mart}").fetchone()[0]
            source_count = con.execute(f"select count(*) from work.marts.{mart}").fetchone()[0]
            if counts[mart] != source_count:
                raise PublishError(f"{mart}: copied {counts[mart]} rows of {source_count}")
        con.execute("detach pub")
    finally:
        con.close()
    return counts


def _files(root: Path) -> list[Path]:
    """The files of a published version, manifest last (it marks the version complete)."""
    files = [root / DB_NAME] + [root / "parquet" / f"{m}.parquet" for m in MARTS]
    files.append(root / BRIEF_DIR / BRIEF_PAGE)
    return [f for f in files if f.exists()] + (
        [root / "manifest.json"] if (root / "manifest.json").exists() else []
    )


def _write_brief(staging: Path, working_db: Path, *, run_id: str, night: str, now: datetime,
                 code_version: str) -> dict:  # fmt: skip
    """The morning brief of the version in `staging`, from the marts just written there."""
    from orchestration.brief import build_brief

    brief = build_brief(
        staging / DB_NAME, staging / BRIEF_DIR, run_id=run_id, published_at=now,
        night=date.fromisoformat(night), code_version=code_version,
        cache_dir=working_db.parent / "cache",
    )  # fmt: skip
    return brief.summary()


def publish(
    working_db: Path,
    published_dir: Path,
    *,
    run_id: str,
    night: str,
    validation: list[dict],
    code_version: str,
    fingerprint: str | None = None,
) -> PublishResult:
    """Publish the working database's marts. The caller has validated them (see gate.py)."""
    published_dir.mkdir(parents=True, exist_ok=True)
    staging = published_dir / f".staging-{run_id}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        counts = _write_version(working_db, staging)
        now = datetime.now(UTC)
        brief = _write_brief(staging, working_db, run_id=run_id, night=night, now=now,
                             code_version=code_version)  # fmt: skip
        manifest = {
            "run_id": run_id,
            "night": night,
            "published_at": now.isoformat(),
            "row_counts": counts,
            "validation": validation,
            "code_version": code_version,
            "storage_version": STORAGE_VERSION,
            # what the marts were built from (orchestration/fingerprint.py): a later night with
            # the same fingerprint has the same marts and is not validated or published again
            "fingerprint": fingerprint,
            "brief": brief,
        }
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str))
        # the current version becomes the backup (one kept): hard links, so the published
        # files never disappear, not even for a moment
        backup = published_dir / "backup"
        if (published_dir / "manifest.json").exists():
            shutil.rmtree(backup, ignore_errors=True)
            (backup / "parquet").mkdir(parents=True)
            (backup / BRIEF_DIR).mkdir()
            for f in _files(published_dir):
                try:
                    os.link(f, backup / f.relative_to(published_dir))
                except OSError:
                    shutil.copy2(f, backup / f.relative_to(published_dir))
        # a stale write-ahead log beside the file would be replayed into the new version
        for wal in (published_dir / f"{DB_NAME}.wal",):
            wal.unlink(missing_ok=True)
        (published_dir / "parquet").mkdir(exist_ok=True)
        (published_dir / BRIEF_DIR).mkdir(exist_ok=True)
        for f in _files(staging):
            os.replace(f, published_dir / f.relative_to(staging))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return PublishResult(published_dir, manifest)


def read_manifest(published_dir: Path) -> dict | None:
    path = published_dir / "manifest.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())


def published_row_counts(published_dir: Path) -> dict[str, int] | None:
    manifest = read_manifest(published_dir)
    return dict(manifest["row_counts"]) if manifest else None
