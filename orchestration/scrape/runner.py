"""Scrape a list of sources: discover article URLs, fetch them politely, archive every body.

Two phases keep the result deterministic whatever the network timing:
1. discovery (feeds, sitemaps, URL lists, folders) for all sources, then de-duplication by
   canonical URL in source order and document order;
2. fetching, then de-duplication by content hash, by final URL and by rel=canonical, in the same
   order.
Every discovered URL ends with exactly one article fetch record, whatever happens to it."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import httpx

from orchestration.config import ScrapeSettings, SourceConfig

from .archive import RawArchive
from .client import FetchFailure, PoliteClient, Resolver
from .content import (
    accepts_article,
    accepts_discovery_document,
    decode_body,
    detect_charset,
    find_rel_canonical,
    parse_content_type,
)
from .discover import (
    DiscoveryError,
    Entry,
    list_directory,
    parse_feed,
    parse_sitemap,
    read_sidecar,
)
from .models import Discovery, FetchRecord, Outcome, Prior, ScrapeResult, SourceSummary, UrlKind
from .robots import RobotsPolicy
from .urls import canonicalize_url

log = logging.getLogger("newsclaims.scrape")
Progress = Callable[[str], None]


def _now() -> datetime:
    return datetime.now(UTC)


class _SourceRun:
    """Discovery and fetching for one source."""

    def __init__(self, index: int, source: SourceConfig, scraper: Scraper) -> None:
        self.index = index
        self.source = source
        self.s = scraper
        self.summary = SourceSummary(source.name)
        self.discoveries: list[Discovery] = []
        self.doc_records: list[FetchRecord] = []  # feeds and sitemaps
        self.article_records: list[FetchRecord] = []
        self.files: list[Path] = []  # directory sources: the file behind each entry
        self.sidecar_errors: dict[str, str] = {}

    @property
    def min_delay(self) -> float:
        d = self.source.min_delay_seconds
        return self.s.settings.min_delay_seconds if d is None else d

    # -- fetching one URL -------------------------------------------------------------------
    async def fetch_url(self, url: str, kind: UrlKind, record: FetchRecord) -> bytes | None:
        """Fetch `url` into `record` (outcome, status, hash ...). Returns the body, or None."""
        allow = self.source.allow_private_network
        canonical = record.canonical_url
        prior = self.s.prior.get(canonical)
        headers: dict[str, str] = {}
        if prior and self.s.archive.has(prior.content_hash):
            if prior.etag:
                headers["If-None-Match"] = prior.etag
            if prior.last_modified:
                headers["If-Modified-Since"] = prior.last_modified
        else:
            prior = None

        async def robots(u: str) -> bool:
            return await self.s.robots.allowed(
                u, source_name=self.source.name, allow_private=allow, min_delay=self.min_delay
            )

        async def delay_for(u: str) -> float:
            return await self.s.robots.crawl_delay(
                u, source_name=self.source.name, allow_private=allow, min_delay=self.min_delay
            )

        accept = accepts_article if kind == UrlKind.ARTICLE else accepts_discovery_document
        record.fetched_at = _now()
        started = time.monotonic()
        try:
            resp = await self.s.client.fetch(
                url,
                allow_private=allow,
                min_delay=self.min_delay,
                headers=headers,
                accept=accept,
                robots=robots,
                delay_for=delay_for,
            )
        except FetchFailure as exc:
            record.outcome = Outcome(exc.outcome)
            record.error = exc.reason
            record.http_status = exc.status
            record.attempts = exc.attempts
            record.elapsed_ms = (time.monotonic() - started) * 1000
            return None
        record.http_status = resp.status
        record.final_url = resp.final_url
        record.attempts = resp.attempts
        record.elapsed_ms = resp.elapsed_ms
        mime, header_charset = parse_content_type(resp.headers.get("Content-Type"))
        record.content_type = mime
        record.etag = resp.headers.get("ETag")
        record.last_modified = resp.headers.get("Last-Modified")
        if resp.status == 304:
            if prior is None:
                record.outcome = Outcome.ERROR
                record.error = "HTTP 304 to a request that was not conditional"
                return None
            body = self.s.archive.get(prior.content_hash)
            record.outcome = Outcome.NOT_MODIFIED
            record.etag = record.etag or prior.etag
            record.last_modified = record.last_modified or prior.last_modified
            if not resp.headers.get("Content-Type"):
                mime = record.content_type = prior.content_type
                header_charset = header_charset or prior.charset
        else:
            body = resp.body
            digest = self.s.archive.put(body)
            old = self.s.prior.get(canonical)
            record.outcome = (
                Outcome.NOT_MODIFIED if old and old.content_hash == digest else Outcome.FETCHED
            )
        record.content_hash = self.s.archive.put(body) if resp.status == 304 else digest
        record.bytes = len(body)
        if kind == UrlKind.ARTICLE:
            record.charset = detect_charset(body, header_charset)
            if mime is None or mime in ("text/html", "application/xhtml+xml"):
                rel = find_rel_canonical(decode_body(body, record.charset), resp.final_url)
                record.rel_canonical = canonicalize_url(rel) if rel else None
        return body

    # -- discovery ---------------------------------------------------------------------------
    def _doc_record(self, url: str, kind: UrlKind, parent: str | None) -> FetchRecord:
        rec = FetchRecord(
            source_name=self.source.name,
            url_kind=kind,
            url=url,
            canonical_url=canonicalize_url(url),
            outcome=Outcome.ERROR,
            discovered_from=parent,
            position=len(self.doc_records),
        )
        self.doc_records.append(rec)
        return rec

    def _fail_discovery(self, rec: FetchRecord, reason: str) -> None:
        rec.outcome = Outcome.ERROR
        rec.error = reason
        self.summary.discovery_errors.append(f"{rec.url}: {reason}")

    async def discover_feed(self, url: str) -> list[Entry]:
        rec = self._doc_record(url, UrlKind.FEED, None)
        body = await self.fetch_url(url, UrlKind.FEED, rec)
        if body is None:
            self.summary.discovery_errors.append(f"{url}: {rec.outcome}: {rec.error}")
            return []
        try:
            entries, warning = parse_feed(body, rec.final_url or url, rec.content_type)
        except DiscoveryError as exc:
            self._fail_discovery(rec, str(exc))
            return []
        if warning:
            rec.error = warning  # kept as a note; the entries were still read
        return entries

    async def discover_sitemap(self, url: str) -> list[Entry]:
        settings = self.s.settings
        entries: list[Entry] = []
        queue: list[tuple[str, int, str | None]] = [(url, 0, None)]
        seen: set[str] = set()
        while queue:
            sm_url, depth, parent = queue.pop(0)
            canon = canonicalize_url(sm_url)
            if canon in seen:
                continue
            seen.add(canon)
            rec = self._doc_record(sm_url, UrlKind.SITEMAP, parent)
            body = await self.fetch_url(sm_url, UrlKind.SITEMAP, rec)
            if body is None:
                self.summary.discovery_errors.append(f"{sm_url}: {rec.outcome}: {rec.error}")
                continue
            try:
                content = parse_sitemap(body, rec.final_url or sm_url, settings.max_body_bytes)
            except DiscoveryError as exc:
                self._fail_discovery(rec, str(exc))
                continue
            for child in content.child_sitemaps:
                if depth + 1 > settings.max_sitemap_depth:
                    self._fail_discovery(
                        self._doc_record(child, UrlKind.SITEMAP, sm_url),
                        f"sitemap nesting deeper than {settings.max_sitemap_depth} not followed",
                    )
                    continue
                queue.append((child, depth + 1, sm_url))
            room = settings.max_sitemap_urls - len(entries)
            if len(content.entries) > room:
                rec.error = f"only the first {settings.max_sitemap_urls:,} URLs were taken"
            entries.extend(content.entries[: max(room, 0)])
        return entries

    def discover_directory(self) -> list[Entry]:
        try:
            files = list_directory(self.source.path or "")
        except DiscoveryError as exc:
            self.summary.discovery_errors.append(str(exc))
            return []
        entries: list[Entry] = []
        for f in files:
            try:
                side = read_sidecar(f)
            except DiscoveryError as exc:
                side = None
                self.sidecar_errors[str(f)] = str(exc)
            entries.append(side or Entry(url=f.resolve().as_uri()))
            self.files.append(f)
        return entries

    async def discover(self) -> None:
        src = self.source
        if src.kind == "feed":
            entries = await self.discover_feed(src.url or "")
        elif src.kind == "sitemap":
            entries = await self.discover_sitemap(src.url or "")
        elif src.kind == "urls":
            entries = [Entry(url=u) for u in src.urls or []]
        elif src.kind == "directory":
            entries = self.discover_directory()
        else:  # pragma: no cover - demo sources are expanded before scraping
            raise ValueError(f"source kind {src.kind!r} cannot be scraped directly")
        if src.max_articles is not None:
            entries = entries[: src.max_articles]
        for pos, e in enumerate(entries):
            self.discoveries.append(
                Discovery(
                    source_name=src.name,
                    source_kind=src.kind,
                    position=pos,
                    url=e.url,
                    canonical_url=canonicalize_url(e.url),
                    discovered_from=src.url or src.path,
                    hint_title=e.title,
                    hint_published_at=e.published_at,
                    hint_outlet=e.outlet,
                    hint_language=e.language,
                    local_path=str(self.files[pos]) if src.kind == "directory" else None,
                )
            )
        self.summary.discovered = len(self.discoveries)

    # -- articles ----------------------------------------------------------------------------
    def read_file(self, d: Discovery, record: FetchRecord) -> bytes | None:
        record.fetched_at = _now()
        started = time.monotonic()
        path = Path(d.local_path or "")
        sidecar_error = self.sidecar_errors.get(str(path))
        record.final_url = d.url
        try:
            if sidecar_error:
                raise DiscoveryError(sidecar_error)
            size = path.stat().st_size
            cap = self.s.settings.max_body_bytes
            if size > cap:
                raise DiscoveryError(f"file of {size:,} bytes exceeds the cap of {cap:,}")
            body = path.read_bytes()
        except (OSError, DiscoveryError) as exc:
            record.outcome = Outcome.ERROR
            record.error = f"{path.name}: {exc}"
            return None
        finally:
            record.elapsed_ms = (time.monotonic() - started) * 1000
        record.attempts = 1
        digest = self.s.archive.put(body)
        old = self.s.prior.get(record.canonical_url)
        record.outcome = (
            Outcome.NOT_MODIFIED if old and old.content_hash == digest else Outcome.FETCHED
        )
        record.content_hash = digest
        record.bytes = len(body)
        record.content_type = "text/plain" if path.suffix.lower() == ".txt" else "text/html"
        record.charset = detect_charset(body)
        if record.content_type == "text/html":
            rel = find_rel_canonical(decode_body(body, record.charset), d.url)
            record.rel_canonical = canonicalize_url(rel) if rel else None
        return body

    async def fetch_article(self, d: Discovery, record: FetchRecord) -> None:
        if self.source.kind == "directory":
            self.read_file(d, record)
        else:
            await self.fetch_url(d.url, UrlKind.ARTICLE, record)


class Scraper:
    def __init__(
        self,
        settings: ScrapeSettings,
        archive: RawArchive,
        prior: dict[str, Prior] | None = None,
        *,
        resolver: Resolver | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.settings = settings
        self.archive = archive
        self.prior = prior or {}
        self.resolver = resolver
        self.transport = transport
        self.progress = progress or (lambda msg: log.info(msg))
        self.client: PoliteClient
        self.robots: RobotsPolicy
        self.request_log: list[tuple[float, str]] = []

    async def run_async(self, sources: Sequence[SourceConfig]) -> ScrapeResult:
        async with PoliteClient(
            self.settings, resolver=self.resolver, transport=self.transport
        ) as client:
            self.client = client
            self.robots = RobotsPolicy(client, enabled=self.settings.respect_robots_txt)
            runs = [_SourceRun(i, s, self) for i, s in enumerate(sources)]
            await asyncio.gather(*(r.discover() for r in runs))
            for r in runs:
                msg = f"{r.source.name}: discovered {r.summary.discovered} URLs"
                if r.summary.discovery_errors:
                    msg += f" ({len(r.summary.discovery_errors)} discovery problems)"
                self.progress(msg)

            # Phase 1 de-duplication: canonical URL, in source order then document order.
            first_seen: dict[str, str] = {}
            jobs = []
            for r in runs:
                for d in r.discoveries:
                    rec = FetchRecord(
                        source_name=r.source.name,
                        url_kind=UrlKind.ARTICLE,
                        url=d.url,
                        canonical_url=d.canonical_url,
                        outcome=Outcome.ERROR,
                        discovered_from=d.discovered_from,
                        position=d.position,
                        discovery=d,
                    )
                    r.article_records.append(rec)
                    if d.canonical_url in first_seen:
                        rec.outcome = Outcome.DUPLICATE
                        rec.duplicate_of = d.canonical_url
                        first = first_seen[d.canonical_url]
                        rec.error = f"same canonical URL as an earlier entry ({first})"
                        rec.fetched_at = _now()
                        continue
                    first_seen[d.canonical_url] = r.source.name
                    jobs.append(r.fetch_article(d, rec))
            await asyncio.gather(*jobs)
            self.request_log = list(client.request_log)

        # Phase 2 de-duplication: content hash, final URL, rel=canonical.
        by_hash: dict[str, str] = {}
        by_url: dict[str, str] = {}
        for r in runs:
            for rec in r.article_records:
                if rec.outcome not in (Outcome.FETCHED, Outcome.NOT_MODIFIED):
                    continue
                final = canonicalize_url(rec.final_url or rec.url)
                twin = (
                    by_hash.get(rec.content_hash or "")
                    or by_url.get(final)
                    or (by_url.get(rec.rel_canonical) if rec.rel_canonical else None)
                )
                if twin is not None and twin != rec.canonical_url:
                    reason = (
                        "same content as"
                        if by_hash.get(rec.content_hash or "") == twin
                        else "same page (final URL or rel=canonical) as"
                    )
                    rec.outcome = Outcome.DUPLICATE
                    rec.duplicate_of = twin
                    rec.error = f"{reason} {twin}"
                    continue
                by_hash.setdefault(rec.content_hash or "", rec.canonical_url)
                by_url.setdefault(rec.canonical_url, rec.canonical_url)
                by_url.setdefault(final, rec.canonical_url)

        discoveries: list[Discovery] = []
        fetches: list[FetchRecord] = list(self.robots.records)
        summaries: list[SourceSummary] = []
        for r in runs:
            for rec in r.article_records:
                r.summary.count(rec.outcome)
            discoveries.extend(r.discoveries)
            fetches.extend(r.doc_records)
            fetches.extend(r.article_records)
            summaries.append(r.summary)
            self.progress(
                f"{r.source.name}: fetched {r.summary.fetched}, unchanged {r.summary.unchanged}, "
                f"duplicates {r.summary.duplicates}, skipped {r.summary.skipped}, "
                f"refused {r.summary.refused}, errors {r.summary.errors}"
            )
        return ScrapeResult(discoveries=discoveries, fetches=fetches, summaries=summaries)

    def run(self, sources: Sequence[SourceConfig]) -> ScrapeResult:
        return asyncio.run(self.run_async(sources))
