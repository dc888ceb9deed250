"""robots.txt, fetched once per host per run through the polite client (RFC 9309 semantics).

- 2xx: the rules apply (for the configured user agent, else `*`); Crawl-delay raises the delay
  (fractional values rounded up to whole seconds).
- 4xx (404, 403 ...): no rules, everything allowed.
- 5xx, network errors: the host is treated as fully disallowed for this run.
- refused (an unsafe address): no rules; every URL of the host is refused by the client.
Every robots.txt request is recorded as a fetch with url_kind 'robots'."""

from __future__ import annotations

import asyncio
import math
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from .client import FetchFailure, PoliteClient
from .content import accepts_discovery_document
from .models import FetchRecord, Outcome, UrlKind
from .urls import canonicalize_url

_CRAWL_DELAY = re.compile(r"^(\s*crawl-delay\s*:\s*)(\d*\.\d+)(.*)$", re.IGNORECASE)


def _integer_crawl_delays(text: str) -> list[str]:
    """The standard-library parser only reads whole seconds: round fractional Crawl-delay values
    up (waiting a little longer is the polite direction)."""
    lines = []
    for line in text.splitlines():
        m = _CRAWL_DELAY.match(line)
        if m:
            line = f"{m.group(1)}{math.ceil(float(m.group(2)))}{m.group(3)}"
        lines.append(line)
    return lines


@dataclass
class _HostRules:
    parser: RobotFileParser | None  # None: everything allowed
    disallow_all: bool = False
    crawl_delay: float = 0.0


class RobotsPolicy:
    def __init__(self, client: PoliteClient, *, enabled: bool = True) -> None:
        self.client = client
        self.enabled = enabled
        self.user_agent = client.settings.user_agent
        self._rules: dict[str, _HostRules] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self.records: list[FetchRecord] = []

    @staticmethod
    def robots_url(url: str) -> str:
        p = urlsplit(url)
        return f"{p.scheme}://{p.netloc}/robots.txt"

    async def _rules_for(
        self, url: str, *, source_name: str, allow_private: bool, min_delay: float
    ) -> _HostRules:
        robots_url = self.robots_url(url)
        lock = self._locks.setdefault(robots_url, asyncio.Lock())
        async with lock:
            if robots_url in self._rules:
                return self._rules[robots_url]
            rules = await self._load(robots_url, source_name, allow_private, min_delay)
            self._rules[robots_url] = rules
            return rules

    async def _load(
        self, robots_url: str, source_name: str, allow_private: bool, min_delay: float
    ) -> _HostRules:
        started = time.monotonic()
        record = FetchRecord(
            source_name=source_name,
            url_kind=UrlKind.ROBOTS,
            url=robots_url,
            canonical_url=canonicalize_url(robots_url),
            outcome=Outcome.FETCHED,
            fetched_at=datetime.now(UTC),
        )
        try:
            resp = await self.client.fetch(
                robots_url,
                allow_private=allow_private,
                min_delay=min_delay,
                accept=accepts_discovery_document,
            )
        except FetchFailure as exc:
            record.outcome = Outcome(exc.outcome)
            record.error = exc.reason
            record.http_status = exc.status
            record.attempts = exc.attempts
            record.elapsed_ms = (time.monotonic() - started) * 1000
            self.records.append(record)
            if record.outcome == Outcome.REFUSED:
                # The host itself is refused; each URL on it will be refused with the reason.
                return _HostRules(parser=None)
            if exc.status is not None and 400 <= exc.status < 500:
                record.error = f"{exc.reason}: no robots.txt, so everything is allowed"
                return _HostRules(parser=None)
            record.error = f"{exc.reason}: robots.txt unreachable, so the host is skipped"
            return _HostRules(parser=None, disallow_all=True)
        record.http_status = resp.status
        record.final_url = resp.final_url
        record.bytes = len(resp.body)
        record.attempts = resp.attempts
        record.elapsed_ms = resp.elapsed_ms
        self.records.append(record)
        parser = RobotFileParser()
        parser.parse(_integer_crawl_delays(resp.body.decode("utf-8", errors="replace")))
        delay = parser.crawl_delay(self.user_agent)
        return _HostRules(parser=parser, crawl_delay=float(delay or 0.0))

    async def allowed(
        self, url: str, *, source_name: str, allow_private: bool, min_delay: float
    ) -> bool:
        if not self.enabled:
            return True
        if urlsplit(url).scheme not in ("http", "https"):
            return True  # the client refuses it with a clearer reason
        rules = await self._rules_for(
            url, source_name=source_name, allow_private=allow_private, min_delay=min_delay
        )
        if rules.disallow_all:
            return False
        if rules.parser is None:
            return True
        return rules.parser.can_fetch(self.user_agent, url)

    async def crawl_delay(
        self, url: str, *, source_name: str, allow_private: bool, min_delay: float
    ) -> float:
        if not self.enabled:
            return 0.0
        rules = await self._rules_for(
            url, source_name=source_name, allow_private=allow_private, min_delay=min_delay
        )
        return rules.crawl_delay
