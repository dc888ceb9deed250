"""A night's parse and extract, planned once, done in shards, collected in one transaction.

    plan_night    which pages need work: a page whose parse key (its content hash, URL, hints and
                  the parser's version) and extractor version match rows already in the
                  warehouse is reused, not parsed or extracted again; the rest is cut into shards
    run_shard     parse and extract one shard's pages from the raw archive and write its rows as
                  Parquet files under DIR/shards/night=D/ (no database: shards run side by side,
                  in other processes or on other machines)
    collect_night the night's rows, reused and new, replace the night in raw.articles,
                  raw.sentences and raw.claim_mentions in one transaction

Everything a shard needs travels in its `Shard` (the page rows), so a shard never opens the
working database. Rows depend only on their page, never on the shard it fell in: the same night
cut into one shard or eight gives the same rows. No Dagster imports here (orchestration/defs
wraps these functions as ops).
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from orchestration.warehouse import (
    ARTICLE_COLUMNS,
    MENTION_COLUMNS,
    PARSE_DDL,
    RAW_DDL,
    SENTENCE_COLUMNS,
    Warehouse,
    frame,
    read_rows,
)

log = logging.getLogger("newsclaims")

TABLES = {
    "articles": ARTICLE_COLUMNS,
    "sentences": SENTENCE_COLUMNS,
    "claim_mentions": MENTION_COLUMNS,
}
DEFAULT_PAGES_PER_SHARD = 100
# a shard's process grows with the pages it has parsed (spaCy's vocabulary and allocator keep
# what they took, about 0.5 MB a page), so no shard is larger than this: a bigger night gets
# more shards, still run a few at a time, and the night's peak memory stays flat
DEFAULT_MAX_PAGES_PER_SHARD = 250
SHARDS_ENV = "NEWSCLAIMS_MAX_SHARDS"
MAX_PAGES_PER_SHARD_ENV = "NEWSCLAIMS_MAX_PAGES_PER_SHARD"

PAGES_SQL = """
select page_id, source_name, outlet_name, url, canonical_url, final_url, content_hash,
       content_type, charset, fetched_at, hint_title, hint_published_at, hint_outlet,
       hint_language
from raw.pages where night = ? order by page_id
"""


@dataclass(frozen=True)
class Shard:
    night: date
    index: int
    count: int
    pages: tuple[dict, ...]

    @property
    def name(self) -> str:
        return f"shard-{self.index:03d}-of-{self.count:03d}"


@dataclass(frozen=True)
class NightPlan:
    night: date
    n_pages: int
    parser_version: str
    extractor_version: str
    shards: tuple[Shard, ...]
    reused: tuple[tuple[str, date], ...]  # (article_id, the night whose rows are reused)

    @property
    def n_to_process(self) -> int:
        return sum(len(s.pages) for s in self.shards)


@dataclass(frozen=True)
class ShardOutput:
    night: date
    name: str
    files: dict[str, str]  # table -> Parquet file
    counts: dict[str, int] = field(default_factory=dict)


def parse_key(page: dict, parser_version: str) -> str:
    """What a parse depends on: the body, where it came from, what the listing said, the parser.
    The fetch time is left out: a page fetched again with the same bytes parses the same."""
    hinted = page["hint_published_at"]
    parts = [
        parser_version, page["content_hash"], page["url"], page["final_url"] or "",
        page["outlet_name"], page["content_type"] or "", page["charset"] or "",
        page["hint_title"] or "", hinted.isoformat() if hinted else "",
        page["hint_outlet"] or "", page["hint_language"] or "",
    ]  # fmt: skip
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


PAGES_PER_SHARD_ENV = "NEWSCLAIMS_PAGES_PER_SHARD"


def default_pages_per_shard() -> int:
    """At least this many pages make a shard ($NEWSCLAIMS_PAGES_PER_SHARD, default 100): a
    shard loads the spaCy model once, so tiny shards cost more than they save."""
    value = os.environ.get(PAGES_PER_SHARD_ENV)
    return max(1, int(value)) if value else DEFAULT_PAGES_PER_SHARD


def max_pages_per_shard() -> int:
    """At most this many pages make a shard ($NEWSCLAIMS_MAX_PAGES_PER_SHARD, default 250)."""
    value = os.environ.get(MAX_PAGES_PER_SHARD_ENV)
    return max(1, int(value)) if value else DEFAULT_MAX_PAGES_PER_SHARD


def max_shards() -> int:
    value = os.environ.get(SHARDS_ENV)
    if value:
        return max(1, int(value))
    return max(1, os.cpu_count() or 1)


def plan_night(
    wh: Warehouse,
    night: date,
    *,
    model: str | None = None,
    pages_per_shard: int | None = None,
    shards: int | None = None,
    reuse: bool = True,
) -> NightPlan:
    """Which pages of the night need parsing and extracting, cut into shards (balanced, in
    page-id order): shards of at least `pages_per_shard` pages, at most `shards` of them (the
    number of cores by default), unless that would make a shard larger than
    max_pages_per_shard(): then as many as keep every shard within it."""
    from orchestration.extract.pipeline import extractor_version
    from orchestration.parse.article import PARSER_VERSION

    wh.ensure_schema()
    ext_version = extractor_version(model)
    pages = read_rows(wh, PAGES_SQL, [night])
    for p in pages:
        p["parse_key"] = parse_key(p, PARSER_VERSION)
    reusable: dict[str, date] = {}
    if reuse and pages:
        keys = frame([{"article_id": p["page_id"], "parse_key": p["parse_key"]} for p in pages],
                     ["article_id", "parse_key"])  # fmt: skip
        with wh.connect(read_only=True) as con:
            con.register("wanted", keys)
            found = con.execute(
                """
                select a.article_id, a.night
                from raw.articles as a
                inner join wanted as w
                    on a.article_id = w.article_id and a.parse_key = w.parse_key
                where a.status <> 'ok' or a.extractor_version = ?
                qualify row_number() over (
                    partition by a.article_id order by (a.night = ?) desc, a.night desc
                ) = 1
                """,
                [ext_version, night],
            ).fetchall()
        reusable = dict(found)
    todo = [p for p in pages if p["page_id"] not in reusable]
    limit = shards or max_shards()
    per_shard = pages_per_shard or default_pages_per_shard()
    n = min(limit, math.ceil(len(todo) / max(1, per_shard))) if todo else 0
    n = max(n, math.ceil(len(todo) / max_pages_per_shard()))
    cut = [todo[i * len(todo) // n : (i + 1) * len(todo) // n] for i in range(n)] if n else []
    return NightPlan(
        night=night,
        n_pages=len(pages),
        parser_version=PARSER_VERSION,
        extractor_version=ext_version,
        shards=tuple(Shard(night, i, n, tuple(part)) for i, part in enumerate(cut)),
        reused=tuple(sorted(reusable.items())),
    )


def shard_root(wh: Warehouse, night: date) -> Path:
    return wh.root / "shards" / f"night={night.isoformat()}"


# -- one shard ------------------------------------------------------------------------------------


def parse_archived_page(archive, page: dict):
    """A page of raw.pages parsed from its archived body; a page that cannot be parsed becomes
    an article with status 'error' and the reason."""
    from orchestration.parse.article import Article, PageHints, parse_page

    hints = PageHints(
        title=page["hint_title"],
        published_at=page["hint_published_at"],
        outlet=page["hint_outlet"],
        language=page["hint_language"],
    )
    try:
        body = archive.get(page["content_hash"])
        return parse_page(
            body,
            charset=page["charset"],
            content_type=page["content_type"],
            url=page["final_url"] or page["url"],
            fetched_at=page["fetched_at"],
            hints=hints,
            source_outlet=page["outlet_name"],
        )
    except Exception as exc:  # noqa: BLE001 - one bad page must not stop the night
        log.warning("cannot parse %s: %s", page["url"], exc)
        from orchestration.parse.article import PARSER_VERSION

        return Article(
            url=page["url"], text="", title=None, authors=[], published_at=None,
            published_at_source=None, outlet=page["outlet_name"], language=None,
            word_count=0, status="error", status_reason=f"{type(exc).__name__}: {exc}",
            parser_version=PARSER_VERSION,
        )  # fmt: skip


def _write_parquet(rows: Sequence[dict], table: str, target: Path) -> None:
    """Rows to a Parquet file typed exactly as the raw table (written beside, then renamed)."""
    tmp = target.with_name(f".{target.name}.tmp")
    with duckdb.connect() as con:
        con.execute(RAW_DDL)
        con.execute(PARSE_DDL)
        columns = TABLES[table]
        if rows:
            data = frame(rows, columns)  # noqa: F841 - read by name below
            cols = ", ".join(columns)
            con.execute(f"insert into raw.{table} ({cols}) select {cols} from data")  # noqa: S608
        con.execute(
            f"copy (select * from raw.{table}) to '{tmp}' (format parquet)"  # noqa: S608
        )
    os.replace(tmp, target)


def run_shard(
    wh: Warehouse,
    shard: Shard,
    *,
    run_id: str,
    model: str | None = None,
    on_page: Callable[[int], None] | None = None,
) -> ShardOutput:
    """Parse and extract one shard's pages; its rows go to Parquet files, not the database."""
    from orchestration.stages import article_rows, get_extractor, mention_rows

    archive = wh.archive
    articles: list[dict] = []
    sentences: list[dict] = []
    parsed = []
    for page in shard.pages:
        article = parse_archived_page(archive, page)
        parsed.append((page, article))
        if on_page:
            on_page(1)
    usable = [(p, a) for p, a in parsed if a.is_extractable]
    mentions: list[dict] = []
    version = None
    if usable:
        extractor = get_extractor(model)
        version = extractor.version
        results = extractor.extract(
            [a.text for _, a in usable], [a.outlet for _, a in usable], on_doc=on_page
        )
        for (page, _a), found in zip(usable, results, strict=True):
            mentions.extend(mention_rows(shard.night, run_id, page["page_id"], found, version))
    for page, article in parsed:
        row, sents = article_rows(shard.night, run_id, page, article)
        row["parse_key"] = page["parse_key"]
        row["extractor_version"] = version if article.is_extractable else None
        articles.append(row)
        sentences.extend(sents)
    out_dir = shard_root(wh, shard.night) / f"run={run_id}" / shard.name
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {}
    for table, rows in (("articles", articles), ("sentences", sentences),
                        ("claim_mentions", mentions)):  # fmt: skip
        target = out_dir / f"{table}.parquet"
        _write_parquet(rows, table, target)
        files[table] = str(target)
    counts = {"articles": len(articles), "sentences": len(sentences),
              "claim_mentions": len(mentions)}  # fmt: skip
    return ShardOutput(shard.night, shard.name, files, counts)


# -- collect --------------------------------------------------------------------------------------


def collect_night(
    wh: Warehouse, plan: NightPlan, outputs: Sequence[ShardOutput], *, run_id: str
) -> dict[str, int]:
    """Replace the night's rows with the reused rows and the shards' Parquet files, in one
    transaction; then drop other runs' shard files of the night."""
    night = plan.night
    got = sorted(o.name for o in outputs)
    want = sorted(s.name for s in plan.shards)
    if got != want:
        raise RuntimeError(f"night {night}: shards {want} planned, {got} collected")
    reused = frame([{"article_id": a, "source_night": n} for a, n in plan.reused],
                   ["article_id", "source_night"])  # fmt: skip
    counts = {}
    with wh.connect() as con:
        con.execute(RAW_DDL)
        con.execute(PARSE_DDL)
        con.register("reused", reused)
        con.execute("begin transaction")
        try:
            for table, columns in TABLES.items():
                cols = ", ".join(columns)
                # the reused rows first, into a temporary table: they may be this night's own
                con.execute(
                    f"""create or replace temp table keep as
                    select t.* replace (cast(? as date) as night)
                    from raw.{table} as t
                    inner join reused as r
                        on t.article_id = r.article_id and t.night = cast(r.source_night as date)
                    """,  # noqa: S608
                    [night],
                )
                con.execute(f"delete from raw.{table} where night = ?", [night])  # noqa: S608
                con.execute(f"insert into raw.{table} by name select * from keep")  # noqa: S608
                files = [o.files[table] for o in sorted(outputs, key=lambda o: o.name)]
                if files:
                    con.execute(
                        f"insert into raw.{table} ({cols}) select {cols} "  # noqa: S608
                        "from read_parquet(?)",
                        [files],
                    )
                counts[table] = con.execute(
                    f"select count(*) from raw.{table} where night = ?",
                    [night],  # noqa: S608
                ).fetchone()[0]
            con.execute("drop table if exists keep")
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    root = shard_root(wh, night)
    if root.is_dir():
        for old in root.iterdir():
            if old.name != f"run={run_id}":
                shutil.rmtree(old, ignore_errors=True)
    counts["reused"] = len(plan.reused)
    counts["processed"] = plan.n_to_process
    return counts


def process_night(
    wh: Warehouse,
    night: date,
    *,
    run_id: str,
    model: str | None = None,
    reuse: bool = True,
    shards: int | None = None,
    pages_per_shard: int | None = None,
) -> dict[str, int]:
    """Plan, run every shard here one after another, collect: the whole stage in one process
    (tests, scripts). Dagster runs the same three steps with the shards side by side."""
    plan = plan_night(
        wh, night, model=model, reuse=reuse, shards=shards, pages_per_shard=pages_per_shard
    )
    outputs = [run_shard(wh, s, run_id=run_id, model=model) for s in plan.shards]
    return collect_night(wh, plan, outputs, run_id=run_id)
