"""Parse and extract: raw/articles, raw/sentences and raw/claim_mentions for one night, fanned out
over shards of the night as Dagster steps.

    plan_shards    which pages need work (a page with an unchanged parse key and extractor
                   version keeps its rows) and how they are cut into shards
    process_shard  one step per shard: parse and extract its pages from the raw archive, write
                   its rows as Parquet files under DIR/shards/ (never the database)
    collect_night  one transaction: the reused rows and the shards' files become the night

The steps are plain Dagster ops, so the executor decides where shards run: the multiprocess
executor on one machine, the Celery or Kubernetes executors on a cluster (see
docs/scaling-out.md). The logic lives in orchestration/shards.py.
"""

from datetime import date

import dagster as dg

from orchestration.progress import PROGRESS_TAG, Progress
from orchestration.shards import ShardOutput, collect_night, plan_night, run_shard
from orchestration.warehouse import read_rows

from .partitions import nightly_partitions, one_night_per_run
from .resources import NewsclaimsSettings
from .scrape import PAGES

ARTICLES = dg.AssetKey(["raw", "articles"])
SENTENCES = dg.AssetKey(["raw", "sentences"])
CLAIM_MENTIONS = dg.AssetKey(["raw", "claim_mentions"])
PARSE_STAGE = "parse_extract"
REUSE_TAG = "newsclaims/reuse"

SPANS_SQL = """
select count(*) as bad
from raw.claim_mentions m
join raw.articles a on a.night = m.night and a.article_id = m.article_id
where m.night = $night and (
    substring(a.text, m.char_start + 1, m.char_end - m.char_start) <> m.claim_text
    or (m.source_text is not null and substring(a.text, m.source_start + 1,
        m.source_end - m.source_start) <> m.source_text)
    or (m.cue is not null and substring(a.text, m.cue_start + 1, m.cue_end - m.cue_start) <> m.cue)
)
"""


def progress_of(context) -> Progress:
    return Progress(context.run.tags.get(PROGRESS_TAG))


@dg.op(
    ins={"pages": dg.In(dg.Nothing)},
    out={"plan": dg.Out(description="The night's plan: pages, shards, reused rows."),
         "shards": dg.DynamicOut(description="One shard of pages to parse and extract.")},
)  # fmt: skip
def plan_shards(context: dg.OpExecutionContext, settings: NewsclaimsSettings):
    """Plan the night: reuse what is unchanged, cut the rest into shards."""
    night = date.fromisoformat(context.partition_key)
    # the reprocess job parses everything again (REUSE_TAG "false"): the extractor may have
    # changed without a new version number
    reuse = context.run.tags.get(REUSE_TAG, "true") != "false"
    plan = plan_night(settings.warehouse(), night, reuse=reuse)
    progress_of(context).start(
        PARSE_STAGE, label="parse and extract", total=plan.n_to_process, pages=plan.n_pages,
        reused=len(plan.reused), to_process=plan.n_to_process, shards=len(plan.shards),
    )  # fmt: skip
    context.log.info(
        f"night {night}: {plan.n_pages} pages, {len(plan.reused)} reused, "
        f"{plan.n_to_process} to parse and extract in {len(plan.shards)} shard(s)"
    )
    yield dg.Output(plan, "plan")
    for shard in plan.shards:
        yield dg.DynamicOutput(
            shard, output_name="shards", mapping_key=shard.name.replace("-", "_")
        )


@dg.op
def process_shard(context: dg.OpExecutionContext, settings: NewsclaimsSettings, shard):
    """Parse and extract one shard's pages into Parquet files."""
    progress = progress_of(context)
    out = run_shard(
        settings.warehouse(), shard, run_id=context.run.run_id,
        on_page=lambda n: progress.advance(PARSE_STAGE, n),
    )  # fmt: skip
    context.log.info(f"{shard.name}: {out.counts}")
    return out


@dg.op(
    out={"articles": dg.Out(dg.Nothing), "sentences": dg.Out(dg.Nothing),
         "claim_mentions": dg.Out(dg.Nothing)},
)  # fmt: skip
def collect_shards(
    context: dg.OpExecutionContext, settings: NewsclaimsSettings, plan, outputs: list[ShardOutput]
):
    """The reused rows and the shards' rows replace the night, in one transaction."""
    warehouse = settings.warehouse()
    counts = collect_night(warehouse, plan, outputs, run_id=context.run.run_id)
    night = plan.night
    statuses = read_rows(
        warehouse,
        "select status, count(*) as n from raw.articles where night = ? group by 1 order by 1",
        [night],
    )
    kinds = read_rows(
        warehouse,
        "select attribution_kind, count(*) as n from raw.claim_mentions where night = ? "
        "group by 1 order by 1",
        [night],
    )
    progress_of(context).end(
        PARSE_STAGE, label="parse and extract", articles=counts["articles"],
        claim_mentions=counts["claim_mentions"], reused=counts["reused"],
        processed=counts["processed"],
    )  # fmt: skip
    meta = {"reused": counts["reused"], "processed": counts["processed"]}
    yield dg.Output(
        None,
        "articles",
        metadata={
            "dagster/row_count": counts["articles"],
            "statuses": dg.MetadataValue.json({r["status"]: r["n"] for r in statuses}),
            **meta,
        },
    )
    yield dg.Output(None, "sentences", metadata={"dagster/row_count": counts["sentences"]})
    by_kind = {r["attribution_kind"]: r["n"] for r in kinds}
    yield dg.Output(
        None,
        "claim_mentions",
        metadata={
            "dagster/row_count": counts["claim_mentions"],
            "by_kind": dg.MetadataValue.json(by_kind),
        },
    )


@dg.graph_multi_asset(
    name="parse_extract",
    ins={"pages": dg.AssetIn(PAGES, dagster_type=dg.Nothing)},
    outs={
        "articles": dg.AssetOut(
            key=ARTICLES, kinds={"python", "duckdb"}, group_name="raw",
            description="One row per page of the night: main text, title, authors, date, "
            "outlet, language, word count and a status (ok, empty, non_english, error) with "
            "its reason.",
        ),
        "sentences": dg.AssetOut(
            key=SENTENCES, kinds={"python", "duckdb"}, group_name="raw",
            description="Sentences of each article with character offsets into its text.",
        ),
        "claim_mentions": dg.AssetOut(
            key=CLAIM_MENTIONS, kinds={"python", "spacy", "duckdb"}, group_name="raw",
            description="Claims, quantities, hedges, denials and sources from the night's "
            "English articles (orchestration/extract).",
        ),
    },
    partitions_def=nightly_partitions,
    backfill_policy=one_night_per_run,
)  # fmt: skip
def parse_extract(pages):
    """Parse and extract the night's pages from the raw archive (no fetching), shard by shard."""
    plan, shards = plan_shards(pages=pages)
    return collect_shards(plan, shards.map(process_shard).collect())


@dg.asset_check(
    asset=ARTICLES,
    name="every_page_has_an_article_row",
    blocking=True,
    partitions_def=nightly_partitions,
    description="Each page of the night has one article row (parsed or with a reason).",
)
def every_page_has_an_article_row(
    context: dg.AssetCheckExecutionContext, settings: NewsclaimsSettings
) -> dg.AssetCheckResult:
    night = date.fromisoformat(context.partition_key)
    got = read_rows(
        settings.warehouse(),
        """select (select count(*) from raw.pages where night = $night) as pages,
                  (select count(*) from raw.articles where night = $night) as articles,
                  (select count(*) from raw.pages p anti join raw.articles a
                     on a.night = p.night and a.article_id = p.page_id
                   where p.night = $night) as missing""",
        {"night": night},
    )[0]
    return dg.AssetCheckResult(
        passed=got["pages"] == got["articles"] and got["missing"] == 0, metadata=got
    )


@dg.asset_check(
    asset=CLAIM_MENTIONS,
    name="spans_point_into_the_text",
    blocking=True,
    partitions_def=nightly_partitions,
    description="Every claim, source and cue span is exactly the text at its offsets.",
)
def spans_point_into_the_text(
    context: dg.AssetCheckExecutionContext, settings: NewsclaimsSettings
) -> dg.AssetCheckResult:
    night = date.fromisoformat(context.partition_key)
    bad = read_rows(settings.warehouse(), SPANS_SQL, {"night": night})[0]["bad"]
    return dg.AssetCheckResult(passed=bad == 0, metadata={"mismatched_rows": bad})


parse_extract_checks = [every_page_has_an_article_row, spans_point_into_the_text]
