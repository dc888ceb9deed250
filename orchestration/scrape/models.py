"""Records the scraper produces: plain dataclasses; the warehouse layer decides their storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Outcome(StrEnum):
    FETCHED = "fetched"  # a new or changed body was downloaded and archived
    NOT_MODIFIED = "not_modified"  # 304, or the same bytes as the last fetch of this URL
    DUPLICATE = "duplicate"  # same canonical URL or same content as another page of the run
    SKIPPED_ROBOTS = "skipped_robots"  # robots.txt disallows it: never fetched
    REFUSED = "refused"  # unsafe scheme or address: never fetched
    ERROR = "error"  # HTTP error, timeout, bad content ...: the message says which


class UrlKind(StrEnum):
    ROBOTS = "robots"
    FEED = "feed"
    SITEMAP = "sitemap"
    ARTICLE = "article"


@dataclass(frozen=True)
class Prior:
    """What the warehouse remembers of the last successful fetch of a canonical URL."""

    etag: str | None
    last_modified: str | None
    content_hash: str
    # a 304 has no Content-Type: the page keeps what its last full response said
    content_type: str | None = None
    charset: str | None = None


@dataclass
class Discovery:
    """An article URL found by a source (feed entry, sitemap <url>, list item, file)."""

    source_name: str
    source_kind: str
    position: int
    url: str
    canonical_url: str
    discovered_from: str | None = None
    hint_title: str | None = None
    hint_published_at: datetime | None = None
    hint_outlet: str | None = None
    hint_language: str | None = None
    local_path: str | None = None  # directory sources: the file read


@dataclass
class FetchRecord:
    """One row of raw.fetches: the final outcome of fetching one URL (retries folded in)."""

    source_name: str
    url_kind: UrlKind
    url: str
    canonical_url: str
    outcome: Outcome
    discovered_from: str | None = None
    position: int | None = None
    final_url: str | None = None
    http_status: int | None = None
    error: str | None = None
    bytes: int | None = None
    content_hash: str | None = None
    content_type: str | None = None
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    rel_canonical: str | None = None
    duplicate_of: str | None = None
    attempts: int = 0
    fetched_at: datetime | None = None
    elapsed_ms: float | None = None
    # not stored in raw.fetches; carried to raw.pages
    discovery: Discovery | None = field(default=None, repr=False)
    body: bytes | None = field(default=None, repr=False)


@dataclass
class SourceSummary:
    source_name: str
    discovered: int = 0
    fetched: int = 0
    unchanged: int = 0
    duplicates: int = 0
    skipped: int = 0
    refused: int = 0
    errors: int = 0
    discovery_errors: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> None:
        attr = {
            Outcome.FETCHED: "fetched",
            Outcome.NOT_MODIFIED: "unchanged",
            Outcome.DUPLICATE: "duplicates",
            Outcome.SKIPPED_ROBOTS: "skipped",
            Outcome.REFUSED: "refused",
            Outcome.ERROR: "errors",
        }[outcome]
        setattr(self, attr, getattr(self, attr) + 1)

    @property
    def accounted(self) -> int:
        return (
            self.fetched
            + self.unchanged
            + self.duplicates
            + self.skipped
            + self.refused
            + self.errors
        )


@dataclass
class ScrapeResult:
    discoveries: list[Discovery]
    fetches: list[FetchRecord]
    summaries: list[SourceSummary]

    @property
    def pages(self) -> list[FetchRecord]:
        """Article fetches that yield a page for later stages (new or unchanged, not duplicates)."""
        return [
            f
            for f in self.fetches
            if f.url_kind == UrlKind.ARTICLE
            and f.outcome in (Outcome.FETCHED, Outcome.NOT_MODIFIED)
        ]
