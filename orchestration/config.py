"""`sources.yml` and run settings, validated with errors naming the file, the entry and the field.

The file has two top-level keys:

```yaml
settings:            # optional; global scraper settings (see ScrapeSettings)
  user_agent: newsclaims/0.1
sources:             # required; one entry per source
  - name: Demo Gazette
    kind: feed       # feed | sitemap | urls | directory | demo
    url: https://example.org/rss.xml
```

Nothing here is read at import time: callers pass a path (or rely on `resolve_*` helpers, which read
the environment when called).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

DEFAULT_SOURCES_FILE = "sources.yml"
DEFAULT_WAREHOUSE_DIR = "warehouse"
WAREHOUSE_ENV = "NEWSCLAIMS_WAREHOUSE"
SOURCES_ENV = "NEWSCLAIMS_SOURCES"

SourceKind = Literal["feed", "sitemap", "urls", "directory", "demo"]


class ConfigError(ValueError):
    """A configuration file is missing, unreadable or invalid. The message says where and why."""


class ScrapeSettings(BaseModel):
    """Global scraper settings. Every limit lives here, not as a literal in the code."""

    model_config = ConfigDict(extra="forbid")

    user_agent: str = "newsclaims/0.1 (news-claims research crawler; polite, honours robots.txt)"
    connect_timeout_seconds: float = Field(10.0, gt=0)
    read_timeout_seconds: float = Field(20.0, gt=0)
    total_timeout_seconds: float = Field(60.0, gt=0)
    max_body_bytes: int = Field(5_000_000, gt=0, description="cap on a decoded response body")
    max_redirects: int = Field(5, ge=0)
    max_retries: int = Field(3, ge=0, description="retries after the first attempt")
    backoff_base_seconds: float = Field(1.0, ge=0)
    backoff_max_seconds: float = Field(30.0, ge=0)
    max_retry_after_seconds: float = Field(
        120.0, ge=0, description="a longer Retry-After gives up instead of waiting"
    )
    concurrency: int = Field(4, ge=1, description="requests in flight across all hosts")
    per_host_concurrency: int = Field(1, ge=1, description="requests in flight per host")
    min_delay_seconds: float = Field(
        1.0, ge=0, description="minimum pause between two requests to the same host"
    )
    respect_robots_txt: bool = True
    max_sitemap_depth: int = Field(3, ge=0, description="nesting of sitemap indexes followed")
    max_sitemap_urls: int = Field(50_000, ge=1)


class SourceConfig(BaseModel):
    """One entry of `sources:`."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    kind: SourceKind
    url: str | None = None
    urls: list[str] | None = None
    path: str | None = None
    enabled: bool = True
    max_articles: int | None = Field(None, ge=1)
    min_delay_seconds: float | None = Field(None, ge=0)
    allow_private_network: bool = False
    outlet: str | None = Field(None, description="outlet name when the page does not say")

    @model_validator(mode="after")
    def _fields_for_kind(self) -> SourceConfig:
        needs = {"feed": "url", "sitemap": "url", "urls": "urls", "directory": "path"}
        field = needs.get(self.kind)
        if field and not getattr(self, field):
            raise ValueError(f"a '{self.kind}' source needs '{field}'")
        if self.kind in ("feed", "sitemap") and self.url:
            _check_http_url(self.url, "url")
        if self.kind == "urls":
            for i, u in enumerate(self.urls or []):
                _check_http_url(u, f"urls[{i}]")
        unused = [
            f
            for f in ("url", "urls", "path")
            if f != field and getattr(self, f) is not None and self.kind != "demo"
        ]
        if unused:
            raise ValueError(f"a '{self.kind}' source does not take {', '.join(unused)}")
        return self

    @property
    def outlet_name(self) -> str:
        return self.outlet or self.name


def _check_http_url(value: str, field: str) -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"'{field}' must be an http(s) URL with a host, got {value!r}")


class SourcesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    settings: ScrapeSettings = Field(default_factory=ScrapeSettings)
    sources: list[SourceConfig] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> SourcesFile:
        seen: set[str] = set()
        for s in self.sources:
            if s.name in seen:
                raise ValueError(f"two sources are named {s.name!r}; names must be unique")
            seen.add(s.name)
        return self


class SourcesConfig(BaseModel):
    """A validated sources file, with relative directory paths resolved against its folder."""

    path: Path
    settings: ScrapeSettings
    sources: list[SourceConfig]

    @property
    def enabled_sources(self) -> list[SourceConfig]:
        return [s for s in self.sources if s.enabled]


def _describe_location(raw: Any, loc: tuple[Any, ...]) -> str:
    """Turn a pydantic error location into 'sources[2] ("Saved pages"), field 'path''."""
    parts: list[str] = []
    node = raw
    i = 0
    while i < len(loc):
        key = loc[i]
        if key == "sources" and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            idx = loc[i + 1]
            entry = node.get("sources", [])[idx] if isinstance(node, dict) else None
            name = entry.get("name") if isinstance(entry, dict) else None
            label = f"sources[{idx}]" + (f" ({name!r})" if name else "")
            parts.append(label)
            node = entry
            i += 2
            continue
        if isinstance(key, str) and key not in ("function-after",) and not key.startswith("["):
            parts.append(f"field {key!r}")
        i += 1
    return ", ".join(parts) if parts else "top level"


def load_sources(path: str | os.PathLike[str]) -> SourcesConfig:
    """Read and validate a sources file. Raises ConfigError naming file, entry and field."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"{p}: sources file not found")
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{p}: {where}not valid YAML ({problem})") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{p}: not UTF-8 text ({exc})") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{p}: expected a mapping with a 'sources' list at the top level")
    try:
        parsed = SourcesFile.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            where = _describe_location(raw, tuple(err["loc"]))
            msg = err["msg"].removeprefix("Value error, ")
            lines.append(f"{p}: {where}: {msg}")
        raise ConfigError("\n".join(lines)) from exc
    sources = []
    for s in parsed.sources:
        if s.kind == "directory" and s.path and not Path(s.path).is_absolute():
            s = s.model_copy(update={"path": str((p.parent / s.path).resolve())})
        sources.append(s)
    return SourcesConfig(path=p.resolve(), settings=parsed.settings, sources=sources)


def resolve_warehouse_dir(value: str | os.PathLike[str] | None = None) -> Path:
    """The warehouse directory: the argument, else $NEWSCLAIMS_WAREHOUSE, else ./warehouse."""
    chosen = value or os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE_DIR
    return Path(chosen).expanduser().resolve()


def resolve_sources_file(value: str | os.PathLike[str] | None = None) -> Path:
    """The sources file: the argument, else $NEWSCLAIMS_SOURCES, else ./sources.yml."""
    chosen = value or os.environ.get(SOURCES_ENV) or DEFAULT_SOURCES_FILE
    return Path(chosen).expanduser().resolve()
