"""Quality gate: validate the dbt marts with the Great Expectations (1.x) suites in expectations/.

The GX project is a file context rooted *exactly* at ``expectations/`` (``great_expectations.yml``,
``expectations/<suite>.json``, ``validation_definitions/<mart>.json`` are committed; results and
data docs go to ``expectations/uncommitted/``, which is git-ignored). ``gx_context`` refuses to
open a folder without ``great_expectations.yml``, so GX never scaffolds an empty project in an
unexpected place; only ``write_suites`` (``python -m orchestration.publish.gate --write-suites``)
creates or rewrites the project.

Data: GX's SQL data source over DuckDB is broken (every metric fails), so each mart is read with a
read-only duckdb connection into a pandas DataFrame (``load_marts``) and validated through the
pandas data source ``marts`` (one dataframe asset per mart, whole-dataframe batch definition) and
one validation definition per suite. Running a validation definition stores its result in the
results store, so ``build_data_docs`` renders them.

Runtime values are GX suite parameters (``{"$PARAMETER": name}`` in the suite JSON), filled by
``validate_marts`` through ``expectation_parameters`` on every run:

- ``now``: upper bound of ``published_at`` (articles, claim_mentions) -- nothing in the future;
- ``min_row_count``: volume check, ``ceil((1 - max_shrink) * previous_row_counts[mart])``, else 0;
- ``freshness_min_published_at``: ``now - FRESHNESS`` (suite ``articles_freshness`` only).

Freshness (the newest ``articles.published_at`` is within 14 days of ``now``) lives in its own
suite ``articles_freshness`` with its own ``MartValidation`` entry (mart ``articles``), so
``check_freshness=False`` simply does not run it (the demo data is from March 2026).

Foreign keys: before a mart is validated, ``validate_marts`` adds to its frame, for each
foreign-key column, a column ``_orphan_<column>`` holding the value where it is missing from the
referenced mart (null where it is found, and where the value itself is null); the suite expects
that column to be null, so a failure lists the orphan values themselves. (GX's
``ExpectColumnValuesToBeInSet`` with the referenced keys as a suite parameter does the same, but
GX serialises the whole value set each time it reads the expectation's configuration: at 20,000
claims a night that was 6 of its 7 seconds.)

Every expectation carries ``meta.check`` (e.g. ``unique_key``, ``foreign_key``, ``volume``,
``freshness``), reported in each failure next to the GX expectation type.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .publish import MARTS  # the marts that are validated are the marts that are published

if TYPE_CHECKING:
    import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[2]
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
MARTS_SCHEMA = "marts"
FRESHNESS = timedelta(days=14)
FRESHNESS_SUITE = "articles_freshness"
DATASOURCE = "marts"
BATCH_DEFINITION = "whole"
KEEP_FILES = ("README.md",)  # files of ours in the GX project folder that write_suites keeps

STATUSES = ["corroborated", "contested", "single_source", "denied", "unattributed"]
STANCES = ["supports", "disputes"]
ATTRIBUTION_KINDS = ["direct_quote", "indirect", "according_to", "unattributed"]
CLAIM_TYPES = ["quantitative", "event", "assessment", "statement"]
PARSE_STATUSES = ["ok", "empty", "non_english", "error"]
SOURCE_KINDS = ["person", "organization", "group", "anonymous"]
SOURCE_TYPES = [
    "government",
    "military",
    "intelligence",
    "media",
    "expert",
    "international_org",
    "civil_society",
    "business",
    "unknown",
]
# foreign key column -> (referenced mart, its key)
FOREIGN_KEYS = {
    "claim_id": ("claims", "claim_id"),
    "article_id": ("articles", "article_id"),
    "outlet_id": ("outlets", "outlet_id"),
    "source_id": ("sources", "source_id"),
}
ORPHAN_PREFIX = "_orphan_"


class GateError(RuntimeError):
    """The gate cannot run (no GX project, a suite or a mart missing): not a data failure."""


@dataclass
class MartValidation:
    mart: str
    suite: str
    success: bool
    n_rows: int
    failures: list[dict] = field(default_factory=list)


# --------------------------------------------------------------------------- GX context


def _import_gx():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx

    return gx


def gx_context(root: Path | str = EXPECTATIONS_DIR, *, create: bool = False):
    """The GX file context rooted exactly at `root` (GateError if it holds no GX project)."""
    root = Path(root)
    if not create and not (root / "great_expectations.yml").is_file():
        raise GateError(
            f"no Great Expectations project at {root} (great_expectations.yml missing); "
            "run `python -m orchestration.publish.gate --write-suites`"
        )
    gx = _import_gx()
    root.mkdir(parents=True, exist_ok=True)
    return gx.get_context(mode="file", context_root_dir=str(root))


# --------------------------------------------------------------------------- marts


def load_marts(db_path: Path | str) -> dict[str, pd.DataFrame]:
    """Every mart of the warehouse as a DataFrame (read-only connection, closed afterwards)."""
    from orchestration.warehouse import connect_waiting

    db_path = Path(db_path)
    if not db_path.is_file():
        raise GateError(f"warehouse not found: {db_path}")
    con = connect_waiting(db_path, read_only=True)
    try:
        present = {
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables where table_schema = ?",
                [MARTS_SCHEMA],
            ).fetchall()
        }
        missing = [m for m in MARTS if m not in present]
        if missing:
            raise GateError(f"marts missing from {db_path}: {', '.join(missing)}")
        return {m: con.execute(f'select * from {MARTS_SCHEMA}."{m}"').df() for m in MARTS}
    finally:
        con.close()


# --------------------------------------------------------------------------- suites


def _p(name: str) -> dict:
    return {"$PARAMETER": name}


def _suite_expectations(mart: str) -> list:
    """The expectations of one suite (a mart's name, or FRESHNESS_SUITE)."""
    gx = _import_gx()
    E = gx.expectations
    from great_expectations.expectations.row_conditions import Column

    def key(col: str) -> list:
        return [
            E.ExpectColumnValuesToNotBeNull(column=col, meta={"check": "key_not_null"}),
            E.ExpectColumnValuesToBeUnique(column=col, meta={"check": "unique_key"}),
        ]

    def not_null(col: str) -> Any:
        return E.ExpectColumnValuesToNotBeNull(column=col, meta={"check": "not_null"})

    def accepted(col: str, values: list[str]) -> Any:
        return E.ExpectColumnValuesToBeInSet(
            column=col, value_set=values, meta={"check": "accepted_values"}
        )

    def fk(col: str) -> Any:
        to, to_col = FOREIGN_KEYS[col]
        return E.ExpectColumnValuesToBeNull(
            column=ORPHAN_PREFIX + col,
            meta={"check": "foreign_key", "column": col, "references": f"{to}.{to_col}"},
        )

    def a_ge_b(a: str, b: str, check: str) -> Any:
        return E.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=a,
            column_B=b,
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta={"check": check},
        )

    def not_in_future(col: str) -> Any:
        return E.ExpectColumnMaxToBeBetween(
            column=col, max_value=_p("now"), meta={"check": "not_in_future"}
        )

    volume = E.ExpectTableRowCountToBeBetween(
        min_value=_p("min_row_count"), meta={"check": "volume"}
    )

    if mart == FRESHNESS_SUITE:
        return [
            E.ExpectColumnMaxToBeBetween(
                column="published_at",
                min_value=_p("freshness_min_published_at"),
                meta={"check": "freshness", "max_age_days": FRESHNESS.days},
                description="Freshness: the newest article was published within 14 days.",
            )
        ]
    if mart == "articles":
        return [
            *key("article_id"),
            fk("outlet_id"),
            accepted("parse_status", PARSE_STATUSES),
            not_in_future("published_at"),
            not_null("published_on"),
            volume,
        ]
    if mart == "outlets":
        return [*key("outlet_id"), volume]
    if mart == "claim_mentions":
        return [
            *key("mention_id"),
            not_null("claim_id"),
            fk("claim_id"),
            not_null("article_id"),
            fk("article_id"),
            fk("outlet_id"),
            fk("source_id"),
            not_null("attribution_kind"),
            accepted("attribution_kind", ATTRIBUTION_KINDS),
            not_null("stance"),
            accepted("stance", STANCES),
            a_ge_b("quantity_value", "quantity_low", "quantity_within_bounds"),
            a_ge_b("quantity_high", "quantity_value", "quantity_within_bounds"),
            a_ge_b("quantity_high", "quantity_low", "quantity_within_bounds"),
            not_in_future("published_at"),
            volume,
        ]
    if mart == "claims":
        return [
            *key("claim_id"),
            not_null("claim_type"),
            accepted("claim_type", CLAIM_TYPES),
            volume,
        ]
    if mart == "sources":
        return [
            *key("source_id"),
            accepted("source_kind", SOURCE_KINDS),
            not_null("source_type"),
            accepted("source_type", SOURCE_TYPES),
            not_null("affiliation"),
            volume,
        ]
    if mart == "corroboration":
        return [
            *key("claim_id"),
            fk("claim_id"),
            not_null("as_of_date"),
            not_null("status"),
            accepted("status", STATUSES),
            a_ge_b("quantity_max", "quantity_min", "quantity_min_le_max"),
            a_ge_b("n_supporting_sources", "n_supporting_affiliations", "affiliations_le_sources"),
            a_ge_b(
                "n_supporting_mentions", "n_independent_reports", "reports_le_supporting_mentions"
            ),
            E.ExpectColumnValuesToBeBetween(
                column="n_supporting_affiliations",
                min_value=2,
                row_condition=Column("status") == "corroborated",
                meta={"check": "corroborated_has_two_affiliations"},
            ),
            volume,
        ]
    if mart == "claim_status_history":
        # one row per claim per interval of unchanged state (valid_from..valid_to, both nights
        # included); dbt's status_intervals test checks that a claim's intervals follow on
        return [
            not_null("claim_id"),
            fk("claim_id"),
            not_null("valid_from"),
            not_null("valid_to"),
            E.ExpectCompoundColumnsToBeUnique(
                column_list=["claim_id", "valid_from"], meta={"check": "unique_key"}
            ),
            a_ge_b("valid_to", "valid_from", "interval_not_reversed"),
            not_null("is_current"),
            not_null("status"),
            accepted("status", STATUSES),
            a_ge_b("quantity_max", "quantity_min", "quantity_min_le_max"),
            volume,
        ]
    raise GateError(f"no suite defined for {mart!r}")


def _suite_marts() -> dict[str, str]:
    """suite name -> the mart it validates."""
    return {**{m: m for m in MARTS}, FRESHNESS_SUITE: "articles"}


def write_suites(root: Path | str = EXPECTATIONS_DIR) -> Path:
    """(Re)create the GX project at `root`: config, one suite per mart plus the freshness suite,
    the pandas data source and one validation definition per suite. Returns the project folder."""
    gx = _import_gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    root = Path(root)
    # start from a clean project so a removed expectation does not linger in a stale file
    for sub in ("expectations", "validation_definitions", "checkpoints"):
        shutil.rmtree(root / sub, ignore_errors=True)
    yml = root / "great_expectations.yml"
    if yml.exists():
        yml.unlink()
    context = gx_context(root, create=True)
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.variables.analytics_enabled = False
    context.variables.save()

    ds = context.data_sources.add_pandas(DATASOURCE)
    for mart in MARTS:
        ds.add_dataframe_asset(mart).add_batch_definition_whole_dataframe(BATCH_DEFINITION)
    for suite_name, mart in _suite_marts().items():
        suite = context.suites.add(
            gx.ExpectationSuite(
                name=suite_name,
                meta={"mart": mart, "written_by": "orchestration.publish.gate.write_suites"},
            )
        )
        for expectation in _suite_expectations(suite_name):
            suite.add_expectation(expectation)
        suite.save()
        batch_def = ds.get_asset(mart).get_batch_definition(BATCH_DEFINITION)
        context.validation_definitions.add(
            gx.ValidationDefinition(name=suite_name, data=batch_def, suite=suite)
        )
    return root


# --------------------------------------------------------------------------- validation


def with_orphans(frame: pd.DataFrame, key_sets: dict[str, pd.Series]) -> pd.DataFrame:
    """The frame with an ``_orphan_<column>`` column per foreign-key column it has: the value
    where the referenced mart lacks it, else null."""
    added = {}
    for col, keys in key_sets.items():
        if col in frame.columns:
            values = frame[col]
            orphan = values.notna() & ~values.isin(keys)
            added[ORPHAN_PREFIX + col] = values.where(orphan, None).astype(object)
    return frame.assign(**added) if added else frame


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _failure(result) -> dict:
    config = result.expectation_config
    kwargs = config.kwargs
    res = result.result or {}
    failure: dict[str, Any] = {
        "expectation": config.type,
        "check": (config.meta or {}).get("check"),
    }
    for k in ("column", "column_A", "column_B", "column_list"):
        if k in kwargs:
            failure[k] = kwargs[k]
    if (config.meta or {}).get("column"):  # a foreign key: the mart's column, not _orphan_*
        failure["column"] = config.meta["column"]
        failure["references"] = config.meta.get("references")
    for k in (
        "observed_value",
        "element_count",
        "unexpected_count",
        "unexpected_percent",
        "partial_unexpected_list",
    ):
        if k in res:
            failure[k] = res[k]
    if result.exception_info and result.exception_info.get("raised_exception"):
        failure["exception"] = result.exception_info.get("exception_message")
    return _jsonable(failure)


def validate_marts(
    frames: dict[str, pd.DataFrame],
    *,
    previous_row_counts: dict[str, int] | None = None,
    max_shrink: float = 0.5,
    now: datetime | None = None,
    check_freshness: bool = True,
    context_root: Path | str = EXPECTATIONS_DIR,
    only: Collection[str] | None = None,
) -> list[MartValidation]:
    """Validate every mart against its suite; one MartValidation per suite run (the marts in
    MARTS order, then the freshness suite unless check_freshness is False). Raises GateError
    when the GX project, a suite, its validation definition or a mart is missing."""
    missing = [m for m in MARTS if m not in frames]
    if missing:
        raise GateError(f"marts missing from the frames to validate: {', '.join(missing)}")
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    previous_row_counts = previous_row_counts or {}

    context = gx_context(context_root)
    import great_expectations.exceptions as gx_exceptions

    key_sets = {col: frames[to][to_col].dropna() for col, (to, to_col) in FOREIGN_KEYS.items()}
    suites = [s for s in _suite_marts() if check_freshness or s != FRESHNESS_SUITE]
    if only is not None:  # just these suites (the others were run on the same marts already)
        suites = [s for s in suites if s in only]

    results: list[MartValidation] = []
    for suite_name in suites:
        mart = _suite_marts()[suite_name]
        frame = with_orphans(frames[mart], key_sets)
        try:
            context.suites.get(suite_name)
        except gx_exceptions.DataContextError as e:
            raise GateError(
                f"expectation suite {suite_name!r} (mart {mart}) missing from {context_root}"
            ) from e
        try:
            vd = context.validation_definitions.get(suite_name)
        except gx_exceptions.DataContextError as e:
            raise GateError(
                f"validation definition {suite_name!r} (mart {mart}) missing from {context_root}"
            ) from e

        previous = previous_row_counts.get(mart)
        params: dict[str, Any] = {
            "now": now,
            "min_row_count": math.ceil((1 - max_shrink) * previous) if previous else 0,
            "freshness_min_published_at": now - FRESHNESS,
        }
        outcome = vd.run(batch_parameters={"dataframe": frame}, expectation_parameters=params)
        failures = [_failure(r) for r in outcome.results if not r.success]
        results.append(
            MartValidation(
                mart=mart,
                suite=suite_name,
                success=bool(outcome.success),
                n_rows=len(frame),
                failures=failures,
            )
        )
    return results


def build_data_docs(context_root: Path | str = EXPECTATIONS_DIR) -> Path | None:
    """Build the GX data docs (HTML, under uncommitted/) and return the index page."""
    context = gx_context(context_root)
    sites = context.build_data_docs()
    for url in sites.values():
        path = Path(url.removeprefix("file://"))
        if path.is_file():
            return path
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-suites", action="store_true", help="(re)create the suites")
    parser.add_argument("--root", type=Path, default=EXPECTATIONS_DIR, help="GX project folder")
    parser.add_argument("--validate", type=Path, metavar="DUCKDB", help="validate a warehouse")
    parser.add_argument("--no-freshness", action="store_true", help="skip the freshness check")
    parser.add_argument("--data-docs", action="store_true", help="build the data docs")
    args = parser.parse_args(argv)
    if args.write_suites:
        print(f"suites written to {write_suites(args.root)}")
    ok = True
    if args.validate:
        frames = load_marts(args.validate)
        for v in validate_marts(
            frames, check_freshness=not args.no_freshness, context_root=args.root
        ):
            ok &= v.success
            print(f"{'ok  ' if v.success else 'FAIL'} {v.suite} ({v.n_rows} rows)")
            for f in v.failures:
                print(f"     {json.dumps(f)[:300]}")
    if args.data_docs:
        print(f"data docs: {build_data_docs(args.root)}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
