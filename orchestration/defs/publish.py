"""Quality gate and publish: validated marts to DIR/published/ for SQL users and BI tools, and
the morning brief built from them (`published/brief`, a second asset of the same step: the
page is written with the marts it describes and swapped in with them).

There is no way around the gate: the publish asset validates the marts itself (Great
Expectations, orchestration/publish/gate.py) before it writes anything, so materializing it
alone, from the UI or the command line, validates first or refuses. A blocking check only guards
what runs in the same Dagster run; this one travels with the asset.
"""

from datetime import UTC, date, datetime, timedelta

import dagster as dg

from orchestration.fingerprint import (
    publish_fingerprint,
    read_built,
    read_validated,
    validated_data_docs,
    write_validated,
)
from orchestration.progress import PROGRESS_TAG, Progress
from orchestration.publish.publish import BRIEF_DIR, BRIEF_PAGE, MARTS, read_manifest
from orchestration.stages import publish_night

from .partitions import nightly_partitions, one_night_per_run
from .resources import NewsclaimsSettings

PUBLISHED = dg.AssetKey(["published", "marts"])
BRIEF = dg.AssetKey(["published", "brief"])
MAX_AGE = timedelta(hours=26)


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            "great_expectations_suite",
            asset=dg.AssetKey(["marts", mart]),
            blocking=True,
            description=f"The Great Expectations suite of marts.{mart} (expectations/).",
        )
        for mart in MARTS
    ],
)
def marts_pass_their_suites(context: dg.AssetCheckExecutionContext, settings: NewsclaimsSettings):
    """The gate as blocking checks on the marts: in the nightly run a failure stops publish
    before it starts (and the publish asset validates again itself)."""
    from orchestration.publish.gate import (
        FRESHNESS_SUITE,
        build_data_docs,
        load_marts,
        validate_marts,
    )
    from orchestration.publish.publish import published_row_counts

    warehouse = settings.warehouse()
    built = read_built(warehouse) or {}
    published = read_manifest(warehouse.published_dir) or {}
    current = publish_fingerprint(built.get("fingerprint"))
    if current is not None and current == published.get("fingerprint"):
        # the working marts were built from the inputs of the published, validated version
        for mart in MARTS:
            yield dg.AssetCheckResult(
                asset_key=dg.AssetKey(["marts", mart]),
                check_name="great_expectations_suite",
                passed=True,
                metadata={"unchanged_since_published_run": published.get("run_id") or ""},
            )
        return
    progress = Progress(context.run.tags.get(PROGRESS_TAG))
    progress.start("validate", label="validate (Great Expectations)")
    results = validate_marts(
        load_marts(warehouse.db_path),
        previous_row_counts=published_row_counts(warehouse.published_dir),
    )
    try:
        docs = build_data_docs()
    except Exception as exc:  # noqa: BLE001 - data docs are a courtesy, not the gate
        context.log.warning(f"could not build the data docs: {exc}")
        docs = None
    # the freshness suite only warns (old news is replayed on purpose): a warning, not a failure
    blocking = [v for v in results if v.suite != FRESHNESS_SUITE]
    stale = [v for v in results if v.suite == FRESHNESS_SUITE and not v.success]
    failed = [v.mart for v in blocking if not v.success]
    progress.end("validate", label="validate (Great Expectations)", suites=len(results),
                 **({"warnings": "newest article is stale"} if stale else {}),
                 failed=", ".join(failed) if failed else 0)  # fmt: skip
    # publish, in the same run, takes these results (the freshness suite's too, a warning
    # there, not a check here) instead of validating the same marts again
    write_validated(warehouse, current, results, str(docs) if docs else None)
    for v in results:
        if v.suite == FRESHNESS_SUITE:
            continue
        yield dg.AssetCheckResult(
            asset_key=dg.AssetKey(["marts", v.mart]),
            check_name="great_expectations_suite",
            passed=v.success,
            metadata={
                "rows": v.n_rows,
                "failures": dg.MetadataValue.json(v.failures),
            },
        )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            PUBLISHED,
            deps=[dg.AssetKey(["marts", m]) for m in MARTS],
            kinds={"python", "duckdb", "parquet"},
            group_name="published",
            description="The validated marts: DIR/published/newsclaims.duckdb (DuckDB 1.x "
            "readable), DIR/published/parquet/<mart>.parquet and manifest.json, swapped in "
            "atomically.",
        ),
        dg.AssetSpec(
            BRIEF,
            deps=[PUBLISHED],
            kinds={"html"},
            group_name="published",
            description="The morning brief: DIR/published/brief/index.html, one self-contained "
            "page for readers built from the published marts by the same publish and swapped "
            "in with them (orchestration/brief/).",
        ),
    ],
    partitions_def=nightly_partitions,
    backfill_policy=one_night_per_run,
    check_specs=[
        dg.AssetCheckSpec(
            "published_marts_are_fresh",
            asset=PUBLISHED,
            description="Warns when the published marts are older than 26 hours.",
        )
    ],
)
def published_marts(context: dg.AssetExecutionContext, settings: NewsclaimsSettings):
    """Validate, then publish the marts and the brief built from them, as one version."""
    warehouse = settings.warehouse()
    night = date.fromisoformat(context.partition_key)
    built = read_built(warehouse) or {}
    current = publish_fingerprint(built.get("fingerprint"))
    progress = Progress(context.run.tags.get(PROGRESS_TAG))
    with progress.stage("publish") as shown:
        outcome = publish_night(
            warehouse, night, run_id=context.run.run_id, fingerprint=current,
            prevalidated=read_validated(warehouse, current),
            data_docs=validated_data_docs(warehouse, current),
        )  # fmt: skip
        shown["published"] = "unchanged" if outcome.unchanged else str(outcome.published).lower()
    if outcome.unchanged:
        unchanged = {
            "unchanged_since_run": (outcome.manifest or {}).get("run_id") or "",
            "published_dir": str(warehouse.published_dir),
        }
        yield dg.MaterializeResult(asset_key=PUBLISHED, metadata=unchanged)
        yield dg.MaterializeResult(asset_key=BRIEF, metadata={
            **unchanged, **_brief_metadata(warehouse, outcome.manifest)})  # fmt: skip
        yield _freshness(warehouse)
        return
    failures = {f"{v.mart}/{v.suite}": v.failures for v in outcome.validations if not v.success}
    if not outcome.published:
        raise dg.Failure(
            description="Expectations failed on "
            + ", ".join(sorted({v.mart for v in outcome.blocking_failures}))
            + "; nothing was published and the previous version is unchanged.",
            metadata={"failures": dg.MetadataValue.json(failures)},
        )
    manifest = outcome.manifest or {}
    yield dg.MaterializeResult(
        asset_key=PUBLISHED,
        metadata={
            "row_counts": dg.MetadataValue.json(manifest.get("row_counts", {})),
            "warnings": dg.MetadataValue.json(failures),
            "data_docs": outcome.data_docs or "",
            "published_dir": str(warehouse.published_dir),
        },
    )
    yield dg.MaterializeResult(asset_key=BRIEF, metadata=_brief_metadata(warehouse, manifest))
    yield _freshness(warehouse)


def _brief_metadata(warehouse, manifest: dict | None) -> dict:
    brief = (manifest or {}).get("brief") or {}
    page = warehouse.published_dir / BRIEF_DIR / BRIEF_PAGE
    return {
        "path": dg.MetadataValue.path(str(page)),
        "night": brief.get("night") or "",
        "claim_cards": brief.get("claim_cards", 0),
        "charts": brief.get("charts", 0),
        "bytes": brief.get("bytes", 0),
        "build_seconds": brief.get("seconds", 0.0),
    }


def _freshness(warehouse) -> dg.AssetCheckResult:
    published = read_manifest(warehouse.published_dir)
    age = datetime.now(UTC) - datetime.fromisoformat(published["published_at"])
    return dg.AssetCheckResult(
        asset_key=PUBLISHED,
        check_name="published_marts_are_fresh",
        passed=age <= MAX_AGE,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"age_hours": age.total_seconds() / 3600},
    )
