"""The pipeline's stages as plain functions: configuration in, warehouse rows out.

Dagster assets (orchestration/defs) are thin wrappers around these; tests and scripts may call
them directly. No Dagster imports here."""

from __future__ import annotations

import logging
import uuid
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import httpx

from orchestration.config import SourceConfig, SourcesConfig, load_sources
from orchestration.scrape.client import Resolver, StaticResolver
from orchestration.scrape.models import ScrapeResult
from orchestration.scrape.runner import Progress, Scraper
from orchestration.warehouse import Warehouse, load_prior, write_scrape

log = logging.getLogger("newsclaims")


def code_version() -> str:
    try:
        return version("newsclaims")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


@dataclass
class ScrapeStageResult:
    night: date
    run_id: str
    result: ScrapeResult
    counts: dict[str, int]


def scrape_night(
    sources: SourcesConfig | str | Path,
    warehouse: Warehouse,
    night: date,
    *,
    run_id: str | None = None,
    resolver: Resolver | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    progress: Progress | None = None,
) -> ScrapeStageResult:
    """Scrape every enabled source for `night` and replace that night's raw rows.

    A `demo` source starts the bundled demo site on an ephemeral loopback port for the duration."""
    config = sources if isinstance(sources, SourcesConfig) else load_sources(sources)
    run_id = run_id or uuid.uuid4().hex
    archive = warehouse.archive
    prior = load_prior(warehouse)
    started = datetime.now(UTC)
    with ExitStack() as stack:
        scrape_sources: list[SourceConfig] = []
        table: dict[str, tuple[str, int]] = {}
        for source in config.enabled_sources:
            if source.kind == "demo":
                from orchestration.demo_site import DemoSite, expand_demo_source

                site = stack.enter_context(DemoSite())
                table.update(site.resolver_table)
                scrape_sources.extend(expand_demo_source(source, site.base_url))
            else:
                scrape_sources.append(source)
        if table:
            resolver = StaticResolver(table, fallback=resolver)
        scraper = Scraper(
            config.settings,
            archive,
            prior,
            resolver=resolver,
            transport=transport,
            progress=progress,
        )
        result = scraper.run(scrape_sources)
    finished = datetime.now(UTC)
    counts = write_scrape(
        warehouse,
        night,
        run_id,
        result,
        started_at=started,
        finished_at=finished,
        sources_file=str(config.path),
        code_version=code_version(),
        outlet_names={s.name: s.outlet_name for s in scrape_sources},
        source_kinds={s.name: s.kind for s in scrape_sources},
    )
    return ScrapeStageResult(night=night, run_id=run_id, result=result, counts=counts)


# -- parse ----------------------------------------------------------------------------------------


def article_rows(night: date, run_id: str, page: dict, article) -> tuple[dict, list[dict]]:
    row = {
        "night": night,
        "article_id": page["page_id"],
        "run_id": run_id,
        "source_name": page["source_name"],
        "url": page["url"],
        "canonical_url": page["canonical_url"],
        "content_hash": page["content_hash"],
        "fetched_at": page["fetched_at"],
        "outlet": article.outlet,
        "title": article.title,
        "authors": list(article.authors),
        "published_at": article.published_at,
        "published_at_source": article.published_at_source,
        "published_date_local": article.published_date_local,
        "published_utc_offset_minutes": article.published_utc_offset_minutes,
        "language": article.language,
        "language_reason": article.language_reason,
        "word_count": article.word_count,
        "text": article.text,
        "status": article.status,
        "status_reason": article.status_reason,
        "parser_version": article.parser_version,
    }
    sentences = [
        {
            "night": night,
            "article_id": page["page_id"],
            "sentence_index": s.index,
            "char_start": s.start,
            "char_end": s.end,
            "text": s.text,
        }
        for s in article.sentences
    ]
    return row, sentences


def parse_night(warehouse: Warehouse, night: date, *, run_id: str | None = None) -> dict[str, int]:
    """Parse the night's pages from the raw archive into raw.articles and raw.sentences.

    A page that cannot be parsed becomes an article row with status 'error' and the reason;
    empty and non-English pages are kept with their status and skipped by extraction."""
    from orchestration.shards import PAGES_SQL, parse_archived_page
    from orchestration.warehouse import ARTICLE_COLUMNS, SENTENCE_COLUMNS, read_rows, replace_night

    run_id = run_id or uuid.uuid4().hex
    archive = warehouse.archive
    articles: list[dict] = []
    sentences: list[dict] = []
    for page in read_rows(warehouse, PAGES_SQL, [night]):
        article = parse_archived_page(archive, page)
        row, sents = article_rows(night, run_id, page, article)
        articles.append(row)
        sentences.extend(sents)
    return replace_night(
        warehouse,
        night,
        {
            "raw.articles": (articles, ARTICLE_COLUMNS),
            "raw.sentences": (sentences, SENTENCE_COLUMNS),
        },
    )


# -- extract --------------------------------------------------------------------------------------

_EXTRACTORS: dict[str | None, object] = {}


def get_extractor(model: str | None = None):
    """One spaCy pipeline per process and model (loading it takes a second)."""
    from orchestration.extract.pipeline import Extractor

    if model not in _EXTRACTORS:
        _EXTRACTORS[model] = Extractor(model)
    return _EXTRACTORS[model]


def mention_rows(night: date, run_id: str, article_id: str, mentions, version: str) -> list[dict]:
    import hashlib

    rows = []
    for i, m in enumerate(mentions):
        key = f"{article_id}|{m.content.start}|{m.content.end}|{m.attribution_kind}|{i}"
        q = m.quantity
        d = m.source_description
        rows.append(
            {
                "night": night,
                "mention_id": hashlib.sha256(key.encode()).hexdigest()[:24],
                "article_id": article_id,
                "mention_index": i,
                "run_id": run_id,
                "extractor_version": version,
                "claim_text": m.content.text,
                "char_start": m.content.start,
                "char_end": m.content.end,
                "sentence_index": m.sentence_index,
                "attribution_kind": m.attribution_kind,
                "source_text": m.source.text if m.source else None,
                "source_start": m.source.start if m.source else None,
                "source_end": m.source.end if m.source else None,
                "source_name": m.source_name,
                "source_kind": d.kind if d else None,
                "source_type": d.type if d else None,
                "source_role": d.role if d else None,
                "source_affiliation": d.affiliation if d else None,
                "cue": m.cue.text if m.cue else None,
                "cue_start": m.cue.start if m.cue else None,
                "cue_end": m.cue.end if m.cue else None,
                "quantity_text": q.text if q else None,
                "quantity_value": q.value if q else None,
                "quantity_low": q.low if q else None,
                "quantity_high": q.high if q else None,
                "quantity_unit": q.unit if q else None,
                "is_quantity_approximate": q.approximate if q else None,
                "is_hedged": m.is_hedged,
                "hedges": list(m.hedges),
                "is_denial": m.is_denial,
                "is_explicitly_unverified": m.is_explicitly_unverified,
                "chain": list(m.chain),
                "quote_group": m.quote_group,
                "predicate": m.predicate,
                "is_negated": m.is_negated,
                "speech_act": m.speech_act,
            }
        )
    return rows


def extract_night(
    warehouse: Warehouse, night: date, *, run_id: str | None = None, model: str | None = None
) -> dict[str, int]:
    """Extract claim mentions from the night's parsed English articles into raw.claim_mentions."""
    from orchestration.warehouse import MENTION_COLUMNS, read_rows, replace_night

    run_id = run_id or uuid.uuid4().hex
    articles = read_rows(
        warehouse,
        "select article_id, text, outlet from raw.articles "
        "where night = ? and status = 'ok' order by article_id",
        [night],
    )
    rows: list[dict] = []
    if articles:
        extractor = get_extractor(model)
        results = extractor.extract([a["text"] for a in articles], [a["outlet"] for a in articles])
        for a, mentions in zip(articles, results, strict=True):
            rows.extend(mention_rows(night, run_id, a["article_id"], mentions, extractor.version))
    return replace_night(warehouse, night, {"raw.claim_mentions": (rows, MENTION_COLUMNS)})


# -- quality gate and publish -----------------------------------------------------------------

QUALITY_DDL = """
create schema if not exists quality;
create table if not exists quality.validations (
    run_id varchar not null,
    night date not null,
    validated_at timestamptz not null,
    mart varchar not null,
    suite varchar not null,
    success boolean not null,
    is_blocking boolean not null,
    n_rows bigint not null,
    failures varchar not null
);
"""


@dataclass
class PublishOutcome:
    published: bool
    validations: list  # MartValidation
    manifest: dict | None
    data_docs: str | None
    unchanged: bool = False  # the published marts were built from the same inputs already

    @property
    def blocking_failures(self) -> list:
        return [v for v in self.validations if not v.success and v.is_blocking]


def publish_night(
    warehouse: Warehouse,
    night: date,
    *,
    run_id: str | None = None,
    max_shrink: float = 0.5,
    now: datetime | None = None,
    fingerprint: str | None = None,
    prevalidated: list | None = None,
    data_docs: str | None = None,
) -> PublishOutcome:
    """Validate the working marts (Great Expectations) and publish them only if every blocking
    expectation passes. The results are stored in quality.validations either way.

    With the `fingerprint` the working marts were built from (orchestration/fingerprint.py):
    when the published version has the same one, its marts are these marts, validated already;
    nothing is validated or written again (`unchanged`). `prevalidated`: results of the
    suites already run on these very marts (the nightly job's blocking checks); only the
    others are run here, and with all of them run there, Great Expectations is not even
    loaded: `data_docs` is the page built with those results."""
    import json

    from orchestration.publish.publish import read_manifest

    current = read_manifest(warehouse.published_dir)
    if fingerprint and current and current.get("fingerprint") == fingerprint:
        return PublishOutcome(False, [], current, None, unchanged=True)

    from orchestration.publish.gate import (
        FRESHNESS_SUITE,
        build_data_docs,
        load_marts,
        validate_marts,
    )
    from orchestration.publish.publish import publish, published_row_counts

    run_id = run_id or uuid.uuid4().hex
    now = now or datetime.now(UTC)
    done = {v.suite for v in prevalidated or []}
    # all the suites, or the freshness suite when the blocking checks ran the others
    pending = None if not done else {FRESHNESS_SUITE} - done
    validations = list(prevalidated or [])
    if pending is None or pending:
        validations += validate_marts(
            load_marts(warehouse.db_path),
            previous_row_counts=published_row_counts(warehouse.published_dir),
            max_shrink=max_shrink, now=now, only=pending,
        )  # fmt: skip
    for v in validations:
        # A stale newest article warns (old news is replayed on purpose); the rest blocks.
        v.is_blocking = v.suite != FRESHNESS_SUITE
    rows = [
        {"run_id": run_id, "night": night, "validated_at": now, "mart": v.mart,
         "suite": v.suite, "success": v.success, "is_blocking": v.is_blocking,
         "n_rows": v.n_rows, "failures": json.dumps(v.failures, default=str)}
        for v in validations
    ]  # fmt: skip
    with warehouse.connect() as con:
        con.execute(QUALITY_DDL)
        con.execute("delete from quality.validations where run_id = ?", [run_id])
        if rows:
            import pandas as pd

            frame = pd.DataFrame(rows)  # noqa: F841 - read by name below
            con.execute("insert into quality.validations select * from frame")
    docs = data_docs
    if pending is None or pending or not docs:
        try:
            docs = build_data_docs()
        except Exception as exc:  # noqa: BLE001 - data docs are a courtesy, not the gate
            log.warning("could not build the data docs: %s", exc)
            docs = None
    outcome = PublishOutcome(False, validations, None, str(docs) if docs else None)
    if outcome.blocking_failures:
        return outcome
    summary = [
        {"mart": v.mart, "suite": v.suite, "success": v.success, "n_rows": v.n_rows}
        for v in validations
    ]
    result = publish(
        warehouse.db_path, warehouse.published_dir, run_id=run_id, night=night.isoformat(),
        validation=summary, code_version=code_version(), fingerprint=fingerprint,
    )  # fmt: skip
    outcome.published = True
    outcome.manifest = result.manifest
    return outcome
