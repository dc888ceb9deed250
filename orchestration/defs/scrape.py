"""Scrape stage: raw/discoveries, raw/fetches and raw/pages for one night."""

import logging
from datetime import date

import dagster as dg

from orchestration.progress import PROGRESS_TAG, Progress
from orchestration.stages import scrape_night

from .partitions import nightly_partitions, one_night_per_run
from .resources import NewsclaimsSettings

log = logging.getLogger("newsclaims.scrape")

DISCOVERIES = dg.AssetKey(["raw", "discoveries"])
FETCHES = dg.AssetKey(["raw", "fetches"])
PAGES = dg.AssetKey(["raw", "pages"])
SCRAPE_RUNS = dg.AssetKey(["raw", "scrape_runs"])

ACCOUNTING_SQL = """
select d.source_name, d.n as discovered, coalesce(f.n, 0) as fetch_rows
from (select source_name, count(*) as n from raw.discoveries where night = $night
      group by source_name) as d
full outer join (select source_name, count(*) as n from raw.fetches
                 where night = $night and url_kind = 'article' group by source_name) as f
    using (source_name)
order by 1
"""


@dg.multi_asset(
    name="scrape",
    specs=[
        dg.AssetSpec(
            DISCOVERIES,
            description="Every article URL the sources listed this night (feeds, sitemaps, "
            "URL lists, folders), with the hints they gave (title, date, outlet).",
            kinds={"python", "duckdb"},
            group_name="raw",
        ),
        dg.AssetSpec(
            FETCHES,
            description="One row per URL fetched or skipped this night (robots.txt, feeds, "
            "sitemaps, articles): outcome, HTTP status, error, bytes, content hash, timing.",
            kinds={"python", "duckdb"},
            group_name="raw",
        ),
        dg.AssetSpec(
            PAGES,
            description="The night's article pages (new or unchanged, duplicates removed), each "
            "pointing at its body in the raw archive by SHA-256.",
            kinds={"python", "duckdb"},
            group_name="raw",
        ),
        dg.AssetSpec(
            SCRAPE_RUNS,
            description="One row per night scraped: run id, times, counts, code version.",
            kinds={"python", "duckdb"},
            group_name="raw",
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec(
            "accounts_for_every_discovered_url",
            asset=FETCHES,
            blocking=True,
            description="Each discovered article URL has exactly one fetch row with an outcome.",
        )
    ],
    partitions_def=nightly_partitions,
    backfill_policy=one_night_per_run,
)
def scrape(context: dg.AssetExecutionContext, settings: NewsclaimsSettings):
    """Fetch the configured sources politely and archive every body (see orchestration/scrape)."""
    night = date.fromisoformat(context.partition_key)
    warehouse = settings.warehouse()

    def progress(message: str) -> None:
        log.info(message)
        context.log.info(message)

    with Progress(context.run.tags.get(PROGRESS_TAG)).stage("scrape") as shown:
        stage = scrape_night(
            settings.sources_path(), warehouse, night, run_id=context.run.run_id,
            progress=progress,
        )  # fmt: skip
        summaries = stage.result.summaries
        shown.update(
            discovered=sum(s.discovered for s in summaries),
            fetched=sum(s.fetched for s in summaries),
            unchanged=sum(s.unchanged for s in summaries),
            errors=sum(s.errors for s in summaries),
        )
    outcome_table = dg.MetadataValue.md(
        "| source | discovered | fetched | unchanged | duplicates | skipped | refused | errors |\n"
        "|---|---|---|---|---|---|---|---|\n"
        + "\n".join(
            f"| {s.source_name} | {s.discovered} | {s.fetched} | {s.unchanged} | {s.duplicates} "
            f"| {s.skipped} | {s.refused} | {s.errors} |"
            for s in summaries
        )
    )
    yield dg.MaterializeResult(
        asset_key=DISCOVERIES,
        metadata={"dagster/row_count": stage.counts["discoveries"], "night": night.isoformat()},
    )
    yield dg.MaterializeResult(
        asset_key=FETCHES,
        metadata={
            "dagster/row_count": stage.counts["fetches"],
            "night": night.isoformat(),
            "outcomes": outcome_table,
        },
    )
    yield dg.MaterializeResult(
        asset_key=PAGES,
        metadata={
            "dagster/row_count": stage.counts["pages"],
            "night": night.isoformat(),
            "changed": sum(s.fetched for s in summaries),
        },
    )
    yield dg.MaterializeResult(
        asset_key=SCRAPE_RUNS,
        metadata={"run_id": stage.run_id, "night": night.isoformat()},
    )
    with warehouse.connect(read_only=True) as con:
        rows = con.execute(ACCOUNTING_SQL, {"night": night}).fetchall()
    mismatched = [r for r in rows if r[1] != r[2]]
    yield dg.AssetCheckResult(
        asset_key=FETCHES,
        check_name="accounts_for_every_discovered_url",
        passed=not mismatched,
        metadata={
            "sources": len(rows),
            "mismatches": dg.MetadataValue.json(
                [{"source": r[0], "discovered": r[1], "fetch_rows": r[2]} for r in mismatched]
            ),
        },
    )
