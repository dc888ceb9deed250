"""Parse and extract stages: raw/articles, raw/sentences and raw/claim_mentions for one night."""

from datetime import date

import dagster as dg

from orchestration.stages import extract_night, parse_night
from orchestration.warehouse import read_rows

from .partitions import nightly_partitions, one_night_per_run
from .resources import NewsclaimsSettings
from .scrape import PAGES

ARTICLES = dg.AssetKey(["raw", "articles"])
SENTENCES = dg.AssetKey(["raw", "sentences"])
CLAIM_MENTIONS = dg.AssetKey(["raw", "claim_mentions"])

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


@dg.multi_asset(
    name="parse",
    specs=[
        dg.AssetSpec(
            ARTICLES,
            deps=[PAGES],
            description="One row per page of the night: main text, title, authors, date, outlet, "
            "language, word count and a status (ok, empty, non_english, error) with its reason.",
            kinds={"python", "duckdb"},
            group_name="raw",
        ),
        dg.AssetSpec(
            SENTENCES,
            deps=[PAGES],
            description="Sentences of each article with character offsets into its text.",
            kinds={"python", "duckdb"},
            group_name="raw",
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec(
            "every_page_has_an_article_row",
            asset=ARTICLES,
            blocking=True,
            description="Each page of the night has one article row (parsed or with a reason).",
        )
    ],
    partitions_def=nightly_partitions,
    backfill_policy=one_night_per_run,
)
def parse(context: dg.AssetExecutionContext, settings: NewsclaimsSettings):
    """Parse the night's pages from the raw archive (orchestration/parse); no fetching."""
    night = date.fromisoformat(context.partition_key)
    warehouse = settings.warehouse()
    counts = parse_night(warehouse, night, run_id=context.run.run_id)
    statuses = read_rows(
        warehouse,
        "select status, count(*) as n from raw.articles where night = ? group by 1 order by 1",
        [night],
    )
    yield dg.MaterializeResult(
        asset_key=ARTICLES,
        metadata={
            "dagster/row_count": counts["articles"],
            "statuses": dg.MetadataValue.json({r["status"]: r["n"] for r in statuses}),
        },
    )
    yield dg.MaterializeResult(
        asset_key=SENTENCES, metadata={"dagster/row_count": counts["sentences"]}
    )
    pages = read_rows(warehouse, "select count(*) as n from raw.pages where night = ?", [night])
    yield dg.AssetCheckResult(
        asset_key=ARTICLES,
        check_name="every_page_has_an_article_row",
        passed=pages[0]["n"] == counts["articles"],
        metadata={"pages": pages[0]["n"], "articles": counts["articles"]},
    )


@dg.asset(
    key=CLAIM_MENTIONS,
    deps=[ARTICLES],
    partitions_def=nightly_partitions,
    backfill_policy=one_night_per_run,
    kinds={"python", "spacy", "duckdb"},
    group_name="raw",
    check_specs=[
        dg.AssetCheckSpec(
            "spans_point_into_the_text",
            asset=CLAIM_MENTIONS,
            blocking=True,
            description="Every claim, source and cue span is exactly the text at its offsets.",
        )
    ],
)
def claim_mentions(context: dg.AssetExecutionContext, settings: NewsclaimsSettings):
    """Claims, quantities, hedges, denials and sources from the night's English articles
    (orchestration/extract)."""
    night = date.fromisoformat(context.partition_key)
    warehouse = settings.warehouse()
    counts = extract_night(warehouse, night, run_id=context.run.run_id)
    kinds = read_rows(
        warehouse,
        "select attribution_kind, count(*) as n from raw.claim_mentions where night = ? "
        "group by 1 order by 1",
        [night],
    )
    yield dg.MaterializeResult(
        metadata={
            "dagster/row_count": counts["claim_mentions"],
            "by_kind": dg.MetadataValue.json({r["attribution_kind"]: r["n"] for r in kinds}),
        }
    )
    bad = read_rows(warehouse, SPANS_SQL, {"night": night})[0]["bad"]
    yield dg.AssetCheckResult(
        check_name="spans_point_into_the_text", passed=bad == 0, metadata={"mismatched_rows": bad}
    )
