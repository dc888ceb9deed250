"""The warehouse directory and the raw layer in DuckDB, with idempotent per-night writers.

Layout of a warehouse directory (``--warehouse DIR``, ``$NEWSCLAIMS_WAREHOUSE``, ``./warehouse``):

    DIR/newsclaims.duckdb    the working database (schema ``raw`` here; dbt builds the rest)
    DIR/archive/             the raw archive, content-addressed (see scrape/archive.py)
    DIR/published/           validated marts for SQL users and BI tools (a later stage)

Every writer replaces one night's rows in one transaction (delete, then insert), so running the
same night again never duplicates anything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.scrape.archive import RawArchive
from orchestration.scrape.models import Outcome, Prior, ScrapeResult, UrlKind

DB_FILENAME = "newsclaims.duckdb"

RAW_DDL = """
create schema if not exists raw;

create table if not exists raw.scrape_runs (
    night date not null primary key,
    run_id varchar not null,
    started_at timestamptz not null,
    finished_at timestamptz not null,
    sources_file varchar,
    code_version varchar not null,
    n_sources integer not null,
    n_discovered integer not null,
    n_fetches integer not null,
    n_pages integer not null
);

create table if not exists raw.discoveries (
    night date not null,
    run_id varchar not null,
    source_name varchar not null,
    source_kind varchar not null,
    position integer not null,
    url varchar not null,
    canonical_url varchar not null,
    discovered_from varchar,
    hint_title varchar,
    hint_published_at timestamptz,
    hint_outlet varchar,
    hint_language varchar,
    local_path varchar,
    primary key (night, source_name, position)
);

create table if not exists raw.fetches (
    fetch_id varchar not null primary key,
    night date not null,
    run_id varchar not null,
    source_name varchar not null,
    url_kind varchar not null,
    position integer,
    url varchar not null,
    canonical_url varchar not null,
    final_url varchar,
    discovered_from varchar,
    outcome varchar not null,
    http_status integer,
    error varchar,
    bytes bigint,
    content_hash varchar,
    content_type varchar,
    charset varchar,
    etag varchar,
    last_modified varchar,
    rel_canonical varchar,
    duplicate_of varchar,
    attempts integer not null,
    fetched_at timestamptz,
    elapsed_ms double
);

create table if not exists raw.pages (
    night date not null,
    page_id varchar not null,
    run_id varchar not null,
    fetch_id varchar not null,
    source_name varchar not null,
    source_kind varchar not null,
    outlet_name varchar not null,
    url varchar not null,
    canonical_url varchar not null,
    final_url varchar,
    rel_canonical varchar,
    content_hash varchar not null,
    content_type varchar,
    charset varchar,
    http_status integer,
    fetched_at timestamptz not null,
    is_changed boolean not null,
    hint_title varchar,
    hint_published_at timestamptz,
    hint_outlet varchar,
    hint_language varchar,
    primary key (night, page_id)
);
"""

PARSE_DDL = """
create schema if not exists raw;

create table if not exists raw.articles (
    night date not null,
    article_id varchar not null,
    run_id varchar not null,
    source_name varchar not null,
    url varchar not null,
    canonical_url varchar not null,
    content_hash varchar not null,
    fetched_at timestamptz not null,
    outlet varchar not null,
    title varchar,
    authors varchar[] not null,
    published_at timestamptz,
    published_at_source varchar,
    published_date_local date,
    published_utc_offset_minutes integer,
    language varchar,
    language_reason varchar,
    word_count integer not null,
    text varchar not null,
    status varchar not null,
    status_reason varchar,
    parser_version varchar not null,
    parse_key varchar,
    extractor_version varchar,
    primary key (night, article_id)
);

create table if not exists raw.sentences (
    night date not null,
    article_id varchar not null,
    sentence_index integer not null,
    char_start integer not null,
    char_end integer not null,
    text varchar not null,
    primary key (night, article_id, sentence_index)
);

create table if not exists raw.claim_mentions (
    night date not null,
    mention_id varchar not null,
    article_id varchar not null,
    mention_index integer not null,
    run_id varchar not null,
    extractor_version varchar not null,
    claim_text varchar not null,
    char_start integer not null,
    char_end integer not null,
    sentence_index integer,
    attribution_kind varchar not null,
    source_text varchar,
    source_start integer,
    source_end integer,
    source_name varchar,
    source_kind varchar,
    source_type varchar,
    source_role varchar,
    source_affiliation varchar,
    cue varchar,
    cue_start integer,
    cue_end integer,
    quantity_text varchar,
    quantity_value double,
    quantity_low double,
    quantity_high double,
    quantity_unit varchar,
    is_quantity_approximate boolean,
    is_hedged boolean not null,
    hedges varchar[] not null,
    is_denial boolean not null,
    is_explicitly_unverified boolean not null,
    chain varchar[] not null,
    quote_group integer,
    predicate varchar,
    is_negated boolean,
    speech_act varchar,
    primary key (night, mention_id)
);
-- columns added after the first release: warehouses created earlier gain them here
alter table raw.claim_mentions add column if not exists predicate varchar;
alter table raw.claim_mentions add column if not exists is_negated boolean;
alter table raw.claim_mentions add column if not exists speech_act varchar;
-- what a parse depended on, and the extractor that read it: unchanged pages are reused
alter table raw.articles add column if not exists parse_key varchar;
alter table raw.articles add column if not exists extractor_version varchar;
-- the publisher's day and offset, and why the language is what it is (parser parse-1.1)
alter table raw.articles add column if not exists published_date_local date;
alter table raw.articles add column if not exists published_utc_offset_minutes integer;
alter table raw.articles add column if not exists language_reason varchar;
"""

ARTICLE_COLUMNS = [
    "night", "article_id", "run_id", "source_name", "url", "canonical_url", "content_hash",
    "fetched_at", "outlet", "title", "authors", "published_at", "published_at_source",
    "published_date_local", "published_utc_offset_minutes", "language", "language_reason",
    "word_count", "text", "status", "status_reason", "parser_version", "parse_key",
    "extractor_version",
]  # fmt: skip
SENTENCE_COLUMNS = ["night", "article_id", "sentence_index", "char_start", "char_end", "text"]
MENTION_COLUMNS = [
    "night", "mention_id", "article_id", "mention_index", "run_id", "extractor_version",
    "claim_text", "char_start", "char_end", "sentence_index", "attribution_kind", "source_text",
    "source_start", "source_end", "source_name", "source_kind", "source_type", "source_role",
    "source_affiliation", "cue", "cue_start", "cue_end", "quantity_text", "quantity_value",
    "quantity_low", "quantity_high", "quantity_unit", "is_quantity_approximate", "is_hedged",
    "hedges", "is_denial", "is_explicitly_unverified", "chain", "quote_group", "predicate",
    "is_negated", "speech_act",
]  # fmt: skip

FETCH_COLUMNS = [
    "fetch_id", "night", "run_id", "source_name", "url_kind", "position", "url",
    "canonical_url", "final_url", "discovered_from", "outcome", "http_status", "error", "bytes",
    "content_hash", "content_type", "charset", "etag", "last_modified", "rel_canonical",
    "duplicate_of", "attempts", "fetched_at", "elapsed_ms",
]  # fmt: skip


@dataclass(frozen=True)
class Warehouse:
    """A warehouse directory. Cheap to construct; nothing is opened until asked."""

    root: Path

    @property
    def db_path(self) -> Path:
        return self.root / DB_FILENAME

    @property
    def archive(self) -> RawArchive:
        return RawArchive(self.root / "archive")

    @property
    def published_dir(self) -> Path:
        return self.root / "published"

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the working database. DuckDB lets one process write a file at a
        time: when another process holds it (a step of another night's run, a dbt build), wait
        for it, up to $NEWSCLAIMS_LOCK_TIMEOUT seconds (default 900), instead of failing."""
        if not read_only:
            self.root.mkdir(parents=True, exist_ok=True)
        con = connect_waiting(self.db_path, read_only)
        try:
            yield con
        finally:
            con.close()

    def ensure_schema(self) -> None:
        with self.connect() as con:
            con.execute(RAW_DDL)
            con.execute(PARSE_DDL)


LOCK_TIMEOUT_ENV = "NEWSCLAIMS_LOCK_TIMEOUT"


def connect_waiting(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    import os
    import random
    import time

    deadline = time.monotonic() + float(os.environ.get(LOCK_TIMEOUT_ENV) or 900)
    pause = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(pause * (1 + random.random()))  # noqa: S311 - jitter, not crypto
            pause = min(pause * 2, 2.0)


def page_id_for(canonical_url: str) -> str:
    """A stable identifier for a page across nights: its canonical URL, hashed."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:20]


def _fetch_id(night: date, source: str, kind: str, position: int | None, url: str) -> str:
    key = f"{night.isoformat()}|{source}|{kind}|{'' if position is None else position}|{url}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def load_prior(wh: Warehouse) -> dict[str, Prior]:
    """The validators and content hash of the newest successful fetch of every canonical URL."""
    if not wh.db_path.exists():
        return {}
    with wh.connect() as con:
        con.execute(RAW_DDL)
        rows = con.execute(
            """
            select canonical_url, etag, last_modified, content_hash, content_type, charset
            from raw.fetches
            where outcome in ('fetched', 'not_modified')
              and content_hash is not null
              and url_kind <> 'robots'
            qualify row_number() over (
                partition by canonical_url order by fetched_at desc, night desc
            ) = 1
            """
        ).fetchall()
    return {
        url: Prior(etag=e, last_modified=lm, content_hash=h, content_type=ct, charset=cs)
        for url, e, lm, h, ct, cs in rows
    }


def frame(rows: Sequence[dict], columns: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(rows), columns=list(columns))
    return frame.astype(object).where(frame.notna(), None)


def write_scrape(
    wh: Warehouse,
    night: date,
    run_id: str,
    result: ScrapeResult,
    *,
    started_at: datetime,
    finished_at: datetime,
    sources_file: str | None,
    code_version: str,
    outlet_names: dict[str, str],
    source_kinds: dict[str, str],
) -> dict[str, int]:
    """Replace `night`'s rows in raw.discoveries, raw.fetches, raw.pages and raw.scrape_runs."""
    discoveries = [
        {
            "night": night, "run_id": run_id, "source_name": d.source_name,
            "source_kind": d.source_kind, "position": d.position, "url": d.url,
            "canonical_url": d.canonical_url, "discovered_from": d.discovered_from,
            "hint_title": d.hint_title, "hint_published_at": d.hint_published_at,
            "hint_outlet": d.hint_outlet, "hint_language": d.hint_language,
            "local_path": d.local_path,
        }
        for d in result.discoveries
    ]  # fmt: skip
    fetches = []
    for f in result.fetches:
        fetches.append(
            {
                "fetch_id": _fetch_id(night, f.source_name, f.url_kind.value, f.position, f.url),
                "night": night, "run_id": run_id, "source_name": f.source_name,
                "url_kind": f.url_kind.value, "position": f.position, "url": f.url,
                "canonical_url": f.canonical_url, "final_url": f.final_url,
                "discovered_from": f.discovered_from, "outcome": f.outcome.value,
                "http_status": f.http_status, "error": f.error, "bytes": f.bytes,
                "content_hash": f.content_hash, "content_type": f.content_type,
                "charset": f.charset, "etag": f.etag, "last_modified": f.last_modified,
                "rel_canonical": f.rel_canonical, "duplicate_of": f.duplicate_of,
                "attempts": f.attempts, "fetched_at": f.fetched_at, "elapsed_ms": f.elapsed_ms,
            }
        )  # fmt: skip
    pages = []
    for f, row in zip(result.fetches, fetches, strict=True):
        if f.url_kind != UrlKind.ARTICLE or f.outcome not in (
            Outcome.FETCHED,
            Outcome.NOT_MODIFIED,
        ):
            continue
        d = f.discovery
        pages.append(
            {
                "night": night, "page_id": page_id_for(f.canonical_url), "run_id": run_id,
                "fetch_id": row["fetch_id"], "source_name": f.source_name,
                "source_kind": source_kinds.get(f.source_name, "unknown"),
                "outlet_name": outlet_names.get(f.source_name, f.source_name),
                "url": f.url, "canonical_url": f.canonical_url, "final_url": f.final_url,
                "rel_canonical": f.rel_canonical, "content_hash": f.content_hash,
                "content_type": f.content_type, "charset": f.charset,
                "http_status": f.http_status, "fetched_at": f.fetched_at,
                "is_changed": f.outcome == Outcome.FETCHED,
                "hint_title": d.hint_title if d else None,
                "hint_published_at": d.hint_published_at if d else None,
                "hint_outlet": d.hint_outlet if d else None,
                "hint_language": d.hint_language if d else None,
            }
        )  # fmt: skip
    runs = [
        {
            "night": night, "run_id": run_id, "started_at": started_at,
            "finished_at": finished_at, "sources_file": sources_file,
            "code_version": code_version, "n_sources": len(result.summaries),
            "n_discovered": len(discoveries), "n_fetches": len(fetches), "n_pages": len(pages),
        }
    ]  # fmt: skip
    tables = {
        "raw.discoveries": (discoveries, [
            "night", "run_id", "source_name", "source_kind", "position", "url", "canonical_url",
            "discovered_from", "hint_title", "hint_published_at", "hint_outlet", "hint_language",
            "local_path"]),
        "raw.fetches": (fetches, FETCH_COLUMNS),
        "raw.pages": (pages, [
            "night", "page_id", "run_id", "fetch_id", "source_name", "source_kind",
            "outlet_name", "url", "canonical_url", "final_url", "rel_canonical", "content_hash",
            "content_type", "charset", "http_status", "fetched_at", "is_changed", "hint_title",
            "hint_published_at", "hint_outlet", "hint_language"]),
        "raw.scrape_runs": (runs, [
            "night", "run_id", "started_at", "finished_at", "sources_file", "code_version",
            "n_sources", "n_discovered", "n_fetches", "n_pages"]),
    }  # fmt: skip
    return replace_night(wh, night, tables)


def replace_night(
    wh: Warehouse, night: date, tables: dict[str, tuple[Sequence[dict], Sequence[str]]]
) -> dict[str, int]:
    """Replace `night`'s rows of each table (delete, then insert) in one transaction."""
    with wh.connect() as con:
        con.execute(RAW_DDL)
        con.execute(PARSE_DDL)
        con.execute("begin transaction")
        try:
            for table, (rows, columns) in tables.items():
                con.execute(f"delete from {table} where night = ?", [night])  # noqa: S608
                if rows:
                    data = frame(rows, columns)  # noqa: F841 - read by name in the SQL below
                    cols = ", ".join(columns)
                    con.execute(f"insert into {table} ({cols}) select {cols} from data")
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return {table.split(".")[1]: len(rows) for table, (rows, _cols) in tables.items()}


def read_rows(wh: Warehouse, sql: str, params: Sequence | dict | None = None) -> list[dict]:
    """Rows of a query as dicts (read-only connection)."""
    if not wh.db_path.exists():
        return []
    with wh.connect(read_only=True) as con:
        cur = con.execute(sql, params or [])
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


SUMMARY_SQL = """
with disc as (
    select source_name, count(*) as discovered
    from raw.discoveries where night = $night group by source_name
),
art as (
    select
        source_name,
        count(*) filter (where outcome = 'fetched') as fetched,
        count(*) filter (where outcome = 'not_modified') as unchanged,
        count(*) filter (where outcome = 'duplicate') as duplicates,
        count(*) filter (where outcome = 'skipped_robots') as skipped,
        count(*) filter (where outcome = 'refused') as refused,
        count(*) filter (where outcome = 'error') as errors
    from raw.fetches where night = $night and url_kind = 'article' group by source_name
),
docs as (
    select source_name, count(*) filter (where outcome in ('error', 'refused', 'skipped_robots'))
        as discovery_problems
    from raw.fetches where night = $night and url_kind in ('feed', 'sitemap')
    group by source_name
),
names as (
    select source_name from disc union select source_name from art
    union select source_name from docs
)
select
    n.source_name,
    coalesce(disc.discovered, 0) as discovered,
    coalesce(art.fetched, 0) as fetched,
    coalesce(art.unchanged, 0) as unchanged,
    coalesce(art.duplicates, 0) as duplicates,
    coalesce(art.skipped, 0) as skipped,
    coalesce(art.refused, 0) as refused,
    coalesce(art.errors, 0) as errors,
    coalesce(docs.discovery_problems, 0) as discovery_problems
from names as n
left join disc using (source_name)
left join art using (source_name)
left join docs using (source_name)
order by n.source_name
"""


def night_summary(wh: Warehouse, night: date) -> list[dict]:
    """Per source: discovered, fetched, unchanged, duplicates, skipped, refused, errors."""
    with wh.connect(read_only=True) as con:
        cur = con.execute(SUMMARY_SQL, {"night": night})
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
