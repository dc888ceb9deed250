"""dbt models as Dagster assets (staging, intermediate, marts), one partition per night.

Each materialization runs `dbt build` for the night (`--vars {as_of_date: <night>}`) against the
warehouse's DuckDB file; dbt's tests run as Dagster asset checks. The dbt sources carry the raw
assets' keys (`meta.dagster.asset_key`), so lineage joins up with the Python stages.
"""

import json
import os
from collections.abc import Mapping
from datetime import date
from graphlib import TopologicalSorter
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.fingerprint import (
    forget_built,
    inputs_fingerprint,
    publish_fingerprint,
    read_built,
    record_built,
)
from orchestration.progress import PROGRESS_TAG, Progress
from orchestration.publish.publish import read_manifest

from .dbt_project import (
    DBT_PROJECT_DIR,
    dbt_env,
    dbt_executable,
    ensure_manifest,
    newsclaims_dbt,
)
from .partitions import nightly_partitions, one_night_per_run
from .resources import NewsclaimsSettings


class NewsclaimsTranslator(DagsterDbtTranslator):
    """Models are keyed by where they live: `marts/claims`, `staging/stg_news__articles`."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props.get("resource_type") in ("model", "seed", "snapshot"):
            schema = dbt_resource_props.get("config", {}).get("schema") or "main"
            return dg.AssetKey([schema, dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props.get("config", {}).get("schema") or "dbt"


@dbt_assets(
    manifest=ensure_manifest(),
    project=newsclaims_dbt,
    partitions_def=nightly_partitions,
    backfill_policy=one_night_per_run,
    dagster_dbt_translator=NewsclaimsTranslator(),
)
def newsclaims_dbt_assets(context: dg.AssetExecutionContext, settings: NewsclaimsSettings):
    warehouse = settings.warehouse()
    night = date.fromisoformat(context.partition_key)
    progress = Progress(context.run.tags.get(PROGRESS_TAG))
    fingerprint = inputs_fingerprint(warehouse, night, DBT_PROJECT_DIR)
    built = read_built(warehouse)
    if built and built.get("fingerprint") == fingerprint:
        # nothing dbt reads changed since the last build of this night: the marts are as built
        progress.start("dbt", label="dbt build")
        progress.end("dbt", label="dbt build", unchanged="nothing to build")
        context.log.info(f"inputs unchanged since run {built.get('run_id')}: dbt build skipped")
        published = read_manifest(warehouse.published_dir) or {}
        if published.get("fingerprint") == publish_fingerprint(fingerprint):
            # ... and they are what is published: nothing to validate or publish either (the
            # steps after this one are skipped)
            return
        # validate and publish what was built (the last attempt may have failed the gate)
        selected = {k for k in context.selected_asset_keys if k.path[0] == "marts"}
        deps = context.assets_def.asset_deps
        order = TopologicalSorter({k: deps.get(k, set()) & selected for k in selected})
        for key in order.static_order():  # a multi-asset yields its assets in dependency order
            yield dg.MaterializeResult(
                asset_key=key, metadata={"unchanged_since_run": built.get("run_id") or ""}
            )
        return
    forget_built(warehouse)
    # profiles.yml reads the DuckDB path from the same variable the Python stages use
    os.environ.update(dbt_env(warehouse.root))
    dbt = DbtCliResource(
        project_dir=newsclaims_dbt,
        profiles_dir=newsclaims_dbt.profiles_dir,
        dbt_executable=dbt_executable(),
    )
    with progress.stage("dbt", label="dbt build") as shown:
        invocation = dbt.cli(
            ["build", "--vars", json.dumps({"as_of_date": night.isoformat()})],
            context=context,
            target_path=warehouse.root / "dbt_target",
        )
        yield from invocation.stream()
        results = invocation.get_artifact("run_results.json").get("results", [])
        for r in results:
            kind = r["unique_id"].split(".", 1)[0]
            shown[kind + "s"] = shown.get(kind + "s", 0) + 1
    record_built(warehouse, fingerprint, night, context.run.run_id)
