"""Finding article URLs: RSS 0.9x/1.0/2.0 and Atom feeds, sitemaps (indexes, gzipped, Google
News), and folders of saved pages. Pure functions over bytes; fetching is the runner's job."""

from __future__ import annotations

import gzip
import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

ARTICLE_SUFFIXES = (".html", ".htm", ".txt")
SIDECAR_FIELDS = {"url", "outlet", "title", "published_at", "language"}


class DiscoveryError(ValueError):
    """A feed, sitemap or sidecar that cannot be used. The message says why."""


@dataclass
class Entry:
    url: str
    title: str | None = None
    published_at: datetime | None = None
    outlet: str | None = None
    language: str | None = None


@dataclass
class SitemapContent:
    entries: list[Entry] = field(default_factory=list)
    child_sitemaps: list[str] = field(default_factory=list)


def maybe_gunzip(data: bytes, max_bytes: int) -> bytes:
    """Decompress gzip data (a .xml.gz sitemap), refusing more than `max_bytes` of output."""
    if not data.startswith(b"\x1f\x8b"):
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            out = gz.read(max_bytes + 1)
    except (OSError, EOFError) as exc:
        raise DiscoveryError(f"corrupt gzip data: {exc}") from exc
    if len(out) > max_bytes:
        raise DiscoveryError(f"gzip data expands beyond the cap of {max_bytes:,} bytes")
    return out


def _struct_time_to_dt(value) -> datetime | None:
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def parse_feed(
    data: bytes, feed_url: str, content_type: str | None = None
) -> tuple[list[Entry], str | None]:
    """Entries of an RSS or Atom feed, in document order, with absolute links.

    Returns (entries, warning). Raises DiscoveryError when nothing usable can be read."""
    import feedparser

    headers = {"content-location": feed_url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(data, response_headers=headers)
    version = parsed.get("version") or ""
    warning = None
    exc = parsed.get("bozo_exception")
    if parsed.get("bozo") and type(exc).__name__ not in (
        "NonXMLContentType",
        "CharacterEncodingOverride",
    ):
        warning = f"feed is not well-formed: {type(exc).__name__}: {exc}"
        if not parsed.entries:
            raise DiscoveryError(f"not a readable RSS or Atom feed ({warning})")
    if not version and not parsed.entries:
        raise DiscoveryError("not an RSS or Atom feed (no channel or feed element found)")
    # A feed's title is not reliably the outlet's name ("Wire - Top stories"): no outlet hint.
    language = (parsed.feed.get("language") or "").strip() or None
    entries: list[Entry] = []
    for item in parsed.entries:
        link = item.get("link")
        if not link:
            for candidate in item.get("links", []):
                if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                    link = candidate["href"]
                    break
        if not link:
            guid = item.get("id") or ""
            link = guid if guid.startswith(("http://", "https://")) else None
        if not link:
            continue
        published = _struct_time_to_dt(
            item.get("published_parsed") or item.get("updated_parsed") or item.get("created_parsed")
        )
        entries.append(
            Entry(
                url=urljoin(feed_url, link.strip()),
                title=(item.get("title") or "").strip() or None,
                published_at=published,
                language=language,
            )
        )
    return entries, warning


_SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def _parse_w3c_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    value = value.strip()
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(data: bytes, sitemap_url: str, max_bytes: int) -> SitemapContent:
    """A sitemap (<urlset>, with Google News extensions) or a sitemap index (<sitemapindex>)."""
    from lxml import etree

    xml = maybe_gunzip(data, max_bytes)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, recover=False
    )
    try:
        root = etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise DiscoveryError(f"not well-formed XML: {exc}") from exc
    kind = _local(root.tag)
    content = SitemapContent()
    if kind == "sitemapindex":
        for sm in root:
            if _local(sm.tag) != "sitemap":
                continue
            loc = next((c.text for c in sm if _local(c.tag) == "loc" and c.text), None)
            if loc:
                content.child_sitemaps.append(urljoin(sitemap_url, loc.strip()))
        return content
    if kind != "urlset":
        raise DiscoveryError(f"not a sitemap: root element is <{kind}>")
    for url_el in root:
        if _local(url_el.tag) != "url":
            continue
        loc = lastmod = title = outlet = language = news_date = None
        for child in url_el:
            name = _local(child.tag)
            if name == "loc" and child.text:
                loc = child.text.strip()
            elif name == "lastmod":
                lastmod = child.text
            elif name == "news":
                for n in child.iter():
                    nn = _local(n.tag)
                    if nn == "title" and n.text:
                        title = n.text.strip()
                    elif nn == "publication_date":
                        news_date = n.text
                    elif nn == "name" and n.text:
                        outlet = n.text.strip()
                    elif nn == "language" and n.text:
                        language = n.text.strip()
        if not loc:
            continue
        content.entries.append(
            Entry(
                url=urljoin(sitemap_url, loc),
                title=title,
                published_at=_parse_w3c_datetime(news_date) or _parse_w3c_datetime(lastmod),
                outlet=outlet,
                language=language,
            )
        )
    return content


def list_directory(path: str | Path) -> list[Path]:
    """Every .html/.htm/.txt file under `path` (recursively), in a stable order."""
    root = Path(path)
    if not root.is_dir():
        raise DiscoveryError(f"directory not found: {root}")
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES and not p.name.startswith(".")
    )


def read_sidecar(article: Path) -> Entry | None:
    """The sidecar NAME.json beside NAME.html/NAME.txt, if any. Raises DiscoveryError if invalid."""
    sidecar = article.with_suffix(".json")
    if not sidecar.is_file():
        return None
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DiscoveryError(f"sidecar {sidecar.name} is not valid JSON: {exc}") from exc
    if not isinstance(meta, dict):
        raise DiscoveryError(f"sidecar {sidecar.name} must hold a JSON object")
    unknown = sorted(set(meta) - SIDECAR_FIELDS)
    if unknown:
        raise DiscoveryError(
            f"sidecar {sidecar.name} has unknown fields {unknown}; "
            f"allowed: {sorted(SIDECAR_FIELDS)}"
        )
    for key, value in meta.items():
        if value is not None and not isinstance(value, str):
            raise DiscoveryError(f"sidecar {sidecar.name}: field {key!r} must be a string")
    published = None
    if meta.get("published_at"):
        published = _parse_w3c_datetime(meta["published_at"])
        if published is None:
            raise DiscoveryError(
                f"sidecar {sidecar.name}: published_at {meta['published_at']!r} is not ISO 8601"
            )
    url = meta.get("url")
    if url and not url.startswith(("http://", "https://")):
        raise DiscoveryError(f"sidecar {sidecar.name}: url {url!r} is not an http(s) URL")
    return Entry(
        url=url or article.resolve().as_uri(),
        title=meta.get("title"),
        published_at=published,
        outlet=meta.get("outlet"),
        language=meta.get("language"),
    )
