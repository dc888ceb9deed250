"""What the marts are built from, as one hash: a night whose inputs are unchanged is not built,
validated or published again.

The marts of night D are a function of the raw rows dbt reads (raw.articles, raw.sentences,
raw.claim_mentions; dbt is always told the night, so raw.scrape_runs does not matter), of the
dbt project (models, macros, seeds, snapshots, tests) and of D. The fingerprint hashes exactly
those: every column of every row (order-independent, in DuckDB), every project file's bytes,
dbt's version and the night. dbt records the fingerprint it built in DIR/dbt_target/built.json;
publish records the one it published in the manifest. Equal fingerprints, same marts.

No Dagster imports here.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from datetime import date
from pathlib import Path

from orchestration.warehouse import Warehouse

DBT_INPUT_TABLES = ("raw.articles", "raw.sentences", "raw.claim_mentions")
_PROJECT_FOLDERS = ("models", "macros", "seeds", "snapshots", "tests")
_PROJECT_SUFFIXES = (".sql", ".yml", ".yaml", ".csv", ".md")


def project_hash(project_dir: Path) -> str:
    h = hashlib.sha256()
    files = [project_dir / "dbt_project.yml", project_dir / "profiles.yml"]
    for folder in _PROJECT_FOLDERS:
        files += [p for p in (project_dir / folder).rglob("*") if p.suffix in _PROJECT_SUFFIXES]
    for p in sorted(f for f in files if f.is_file()):
        h.update(str(p.relative_to(project_dir)).encode() + b"\0" + p.read_bytes() + b"\0")
    try:
        from importlib.metadata import version

        h.update(f"dbt-core {version('dbt-core')} dbt-duckdb {version('dbt-duckdb')}".encode())
    except Exception:  # noqa: BLE001 - a missing distribution only makes the hash stricter
        pass
    return h.hexdigest()


def data_hash(wh: Warehouse) -> str:
    """Every row of the tables dbt reads, hashed in DuckDB without regard to row order."""
    parts = []
    with wh.connect(read_only=True) as con:
        for table in DBT_INPUT_TABLES:
            n, x, s = con.execute(
                f"select count(*), coalesce(bit_xor(hash(t)), 0), "  # noqa: S608
                f"coalesce(sum(hash(t) % 1000000007), 0) from {table} as t"
            ).fetchone()
            parts.append(f"{table}:{n}:{x}:{s}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def inputs_fingerprint(wh: Warehouse, night: date, project_dir: Path) -> str:
    wh.ensure_schema()
    parts = [night.isoformat(), project_hash(project_dir), data_hash(wh)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def publish_fingerprint(built: str | None) -> str | None:
    """What a published version is: the marts' fingerprint, the expectations that passed
    them (the Great Expectations project, and the gate's code) and the code of the brief built
    with them (orchestration/brief/, its templates and chart libraries). A change to any
    publishes again."""
    if not built:
        return None
    from orchestration.publish import gate

    h = hashlib.sha256(built.encode())
    root = gate.EXPECTATIONS_DIR
    for p in sorted(root.rglob("*.json")) + sorted(root.rglob("*.yml")):
        if "uncommitted" not in p.parts:
            h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes())
    h.update(Path(gate.__file__).read_bytes())
    brief = Path(__file__).parent / "brief"
    for p in sorted(f for f in brief.rglob("*") if f.is_file() and f.suffix != ".pyc"):
        h.update(str(p.relative_to(brief)).encode() + b"\0" + p.read_bytes())
    with contextlib.suppress(Exception):
        from importlib.metadata import version

        h.update(f"altair {version('altair')} vl-convert {version('vl-convert-python')}".encode())
    return h.hexdigest()[:32]


def built_file(wh: Warehouse) -> Path:
    return wh.root / "dbt_target" / "built.json"


def read_built(wh: Warehouse) -> dict | None:
    try:
        return json.loads(built_file(wh).read_text())
    except (OSError, ValueError):
        return None


def forget_built(wh: Warehouse) -> None:
    """Before a build: if it fails half-way, no record says the marts match their inputs."""
    with contextlib.suppress(FileNotFoundError):
        built_file(wh).unlink()


def record_built(wh: Warehouse, fingerprint: str, night: date, run_id: str) -> None:
    target = built_file(wh)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(json.dumps({"fingerprint": fingerprint, "night": night.isoformat(),
                               "run_id": run_id}) + "\n")  # fmt: skip
    os.replace(tmp, target)


def _validated_file(wh: Warehouse) -> Path:
    return wh.root / "dbt_target" / "validated.json"


def write_validated(
    wh: Warehouse, fingerprint: str | None, results: list, data_docs: str | None = None
) -> None:
    """The suites' results on the marts of `fingerprint` (the blocking checks' run), and the
    data docs page built from them."""
    import dataclasses

    if not fingerprint:
        return
    target = _validated_file(wh)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    rows = [dataclasses.asdict(v) for v in results]
    data = {"fingerprint": fingerprint, "results": rows, "data_docs": data_docs}
    tmp.write_text(json.dumps(data, default=str))
    os.replace(tmp, target)


def _validated_record(wh: Warehouse, fingerprint: str | None) -> dict | None:
    """What write_validated wrote, when it was about the marts of `fingerprint`; else None."""
    try:
        data = json.loads(_validated_file(wh).read_text())
    except (OSError, ValueError):
        return None
    if not fingerprint or data.get("fingerprint") != fingerprint:
        return None
    return data


def read_validated(wh: Warehouse, fingerprint: str | None) -> list | None:
    """Those results, when they were made on the marts of `fingerprint`; else None."""
    from orchestration.publish.gate import MartValidation

    data = _validated_record(wh, fingerprint)
    return [MartValidation(**r) for r in data["results"]] if data else None


def validated_data_docs(wh: Warehouse, fingerprint: str | None) -> str | None:
    """The data docs page built with the results read_validated gives, if any."""
    data = _validated_record(wh, fingerprint)
    return data.get("data_docs") if data else None
