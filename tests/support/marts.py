"""Small published-marts databases for unit tests: the tables of schema `marts` with exactly the
columns and types of the marts' enforced contracts (dbt_project/models/marts/_marts__models.yml),
filled with a handful of rows a test writes out."""

from __future__ import annotations

from pathlib import Path

import duckdb
import yaml

CONTRACTS = Path(__file__).parents[2] / "dbt_project" / "models" / "marts" / "_marts__models.yml"


def contract_columns() -> dict[str, list[tuple[str, str]]]:
    models = yaml.safe_load(CONTRACTS.read_text(encoding="utf-8"))["models"]
    return {m["name"]: [(c["name"], c["data_type"]) for c in m["columns"]] for m in models}


def make_marts(path: Path, rows: dict[str, list[dict]]) -> Path:
    """A DuckDB file with every mart of the contract, holding `rows` (missing columns null)."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        for mart, columns in contract_columns().items():
            ddl = ", ".join(f"{name} {data_type}" for name, data_type in columns)
            con.execute(f"create table marts.{mart} ({ddl})")
            names = [name for name, _ in columns]
            for row in rows.get(mart, []):
                unknown = set(row) - set(names)
                assert not unknown, f"{mart} has no column {unknown}"
                placeholders = ", ".join("?" for _ in names)
                con.execute(
                    f"insert into marts.{mart} values ({placeholders})",
                    [row.get(n) for n in names],
                )
    return path
