"""Scrape stage (pure Python, no Dagster): polite HTTP, robots.txt, feeds, sitemaps, folders of
saved pages, URL canonicalisation and de-duplication, and the content-addressed raw archive."""

from .archive import RawArchive
from .client import PoliteClient, Resolver, StaticResolver
from .models import Discovery, FetchRecord, Outcome, Prior, ScrapeResult, SourceSummary, UrlKind
from .runner import Scraper
from .urls import canonicalize_url

__all__ = [
    "Discovery", "FetchRecord", "Outcome", "PoliteClient", "Prior", "RawArchive", "Resolver",
    "ScrapeResult", "Scraper", "SourceSummary", "StaticResolver", "UrlKind", "canonicalize_url",
]  # fmt: skip
