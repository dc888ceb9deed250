"""The one Definitions object: every asset, check, job, schedule and resource.

`dagster dev` loads `defs` from here (see [tool.dagster] in pyproject.toml); the `newsclaims`
command builds its own with `build_definitions(...)` to point at a given warehouse and sources file.
"""

from __future__ import annotations

import os

import dagster as dg

from orchestration.defs.dbt_marts import newsclaims_dbt_assets
from orchestration.defs.parse_extract import REUSE_TAG, parse_extract, parse_extract_checks
from orchestration.defs.publish import marts_pass_their_suites, published_marts
from orchestration.defs.resources import NewsclaimsSettings
from orchestration.defs.scrape import scrape

NIGHTLY_JOB = "newsclaims_nightly"
REPROCESS_JOB = "newsclaims_reprocess"
SCHEDULE_ENV = "NEWSCLAIMS_SCHEDULE_TIME"
DEFAULT_SCHEDULE_TIME = "02:00"  # UTC; each run processes the night that has just ended


def _schedule_time(value: str) -> tuple[int, int]:
    try:
        hour, minute = (int(x) for x in value.split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError
    except ValueError:
        raise ValueError(f"{SCHEDULE_ENV}={value!r}: expected HH:MM (UTC), e.g. 02:00") from None
    return hour, minute


# Steps run in their own processes, side by side (the shards of parse and extract on every
# core). forkserver starts each step from a process that has already imported the code
# location, so a step costs milliseconds to start, not the seconds of importing Dagster, dbt and
# the pipeline again. On a cluster, swap this for the Celery or Kubernetes executor
# (docs/scaling-out.md); nothing else changes.
MAX_CONCURRENT_ENV = "NEWSCLAIMS_MAX_CONCURRENT"


def executor() -> dg.ExecutorDefinition:
    """The multiprocess executor with forkserver; at most $NEWSCLAIMS_MAX_CONCURRENT steps at
    once (default: one per core)."""
    config: dict = {
        "start_method": {"forkserver": {"preload_modules": ["orchestration.definitions"]}}
    }
    value = os.environ.get(MAX_CONCURRENT_ENV)
    if value:
        config["max_concurrent"] = int(value)
    return dg.multiprocess_executor.configured(config, name="newsclaims_multiprocess")


def build_definitions(
    warehouse_dir: str | None = None,
    sources_file: str | None = None,
    schedule_time: str | None = None,
) -> dg.Definitions:
    nightly_job = dg.define_asset_job(
        NIGHTLY_JOB,
        selection=dg.AssetSelection.all(),
        executor_def=executor(),
        description="The whole pipeline for one night, in order; parse and extract in shards.",
    )
    reprocess_job = dg.define_asset_job(
        REPROCESS_JOB,
        selection=dg.AssetSelection.assets(parse_extract),
        executor_def=executor(),
        tags={REUSE_TAG: "false"},
        description="Parse and extract again from the raw archive (no fetching), e.g. after "
        "the extractor improved; backfill it over old nights.",
    )
    at = schedule_time or os.environ.get(SCHEDULE_ENV) or DEFAULT_SCHEDULE_TIME
    hour, minute = _schedule_time(at)
    nightly_schedule = dg.build_schedule_from_partitioned_job(
        nightly_job,
        name="newsclaims_nightly_schedule",
        hour_of_day=hour,
        minute_of_hour=minute,
        description=f"Runs {NIGHTLY_JOB} every day at {at} UTC for the night that has just ended.",
    )
    return dg.Definitions(
        assets=[scrape, parse_extract, newsclaims_dbt_assets, published_marts],
        jobs=[nightly_job, reprocess_job],
        asset_checks=[*parse_extract_checks, marts_pass_their_suites],
        schedules=[nightly_schedule],
        resources={
            "settings": NewsclaimsSettings(warehouse_dir=warehouse_dir, sources_file=sources_file)
        },
    )


defs = build_definitions()


def nightly_job() -> dg.JobDefinition:
    """The nightly job, rebuilt in each step process (`dg.reconstructable(nightly_job)`): the
    warehouse and sources file come from $NEWSCLAIMS_WAREHOUSE and $NEWSCLAIMS_SOURCES."""
    return build_definitions().resolve_job_def(NIGHTLY_JOB)


def reprocess_job() -> dg.JobDefinition:
    return build_definitions().resolve_job_def(REPROCESS_JOB)
