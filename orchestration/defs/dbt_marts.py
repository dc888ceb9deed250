"""dbt models as Dagster assets (staging, intermediate, marts), one partition per night.

Each materialization runs `dbt build` for the night (`--vars {as_of_date: <night>}`) against the
warehouse's DuckDB file; dbt's tests run as Dagster asset checks. The dbt sources carry the raw
assets' keys (`meta.dagster.asset_key`), so lineage joins up with the Python stages.
"""

import json
import os
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from .dbt_project import dbt_env, dbt_executable, ensure_manifest, newsclaims_dbt
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
    # profiles.yml reads the DuckDB path from the same variable the Python stages use
    os.environ.update(dbt_env(warehouse.root))
    dbt = DbtCliResource(
        project_dir=newsclaims_dbt,
        profiles_dir=newsclaims_dbt.profiles_dir,
        dbt_executable=dbt_executable(),
    )
    night = context.partition_key
    invocation = dbt.cli(
        ["build", "--vars", json.dumps({"as_of_date": night})],
        context=context,
        target_path=warehouse.root / "dbt_target",
    )
    yield from invocation.stream()
