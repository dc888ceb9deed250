"""Shared fixtures. Everything is real: DuckDB files under tmp_path, HTTP over 127.0.0.1."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")

from orchestration.config import ScrapeSettings, SourceConfig, SourcesConfig  # noqa: E402
from orchestration.stages import scrape_night  # noqa: E402
from orchestration.warehouse import Warehouse  # noqa: E402
from tests.support.httpd import LocalServer  # noqa: E402

NIGHT = date(2026, 3, 8)


@pytest.fixture
def server():
    with LocalServer() as s:
        yield s


@pytest.fixture
def fast_settings() -> ScrapeSettings:
    """Real behaviour, short waits: tests stay quick without changing what is exercised."""
    return ScrapeSettings(
        min_delay_seconds=0.0,
        backoff_base_seconds=0.01,
        backoff_max_seconds=0.05,
        max_retries=2,
        connect_timeout_seconds=2,
        read_timeout_seconds=2,
        total_timeout_seconds=2,
    )


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    return Warehouse(tmp_path / "warehouse")


def make_config(settings: ScrapeSettings, *sources: dict, path: Path | None = None):
    return SourcesConfig(
        path=path or Path("sources.yml").resolve(),
        settings=settings,
        sources=[SourceConfig(**s) for s in sources],
    )


def scrape(warehouse: Warehouse, settings: ScrapeSettings, *sources: dict, night=NIGHT, **kw):
    return scrape_night(make_config(settings, *sources), warehouse, night, **kw)


def rows(warehouse: Warehouse, sql: str, params=None) -> list[dict]:
    with warehouse.connect(read_only=True) as con:
        cur = con.execute(sql, params or [])
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def article_fetches(warehouse: Warehouse, night=NIGHT) -> dict[str, dict]:
    """Article fetch rows of a night, by URL path (query kept)."""
    from urllib.parse import urlsplit

    out = {}
    for r in rows(
        warehouse,
        "select * from raw.fetches where night = ? and url_kind = 'article' order by position",
        [night],
    ):
        p = urlsplit(r["url"])
        out[p.path + (f"?{p.query}" if p.query else "")] = r
    return out


@pytest.fixture(scope="session")
def extractor():
    """One spaCy pipeline for the whole session (loading it takes a second)."""
    from orchestration.stages import get_extractor

    return get_extractor()
