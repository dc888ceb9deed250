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
