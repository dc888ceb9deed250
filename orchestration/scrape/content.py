"""Content type, character set and <link rel=canonical> from raw response bytes."""

from __future__ import annotations

import codecs
import re
from urllib.parse import urljoin

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
XML_HINTS = ("xml", "rss", "atom", "rdf")
GZIP_TYPES = ("application/gzip", "application/x-gzip", "application/octet-stream")


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """'text/html; charset=ISO-8859-1' -> ('text/html', 'iso-8859-1')."""
    if not value:
        return None, None
    parts = [p.strip() for p in value.split(";")]
    mime = parts[0].lower() or None
    charset = None
    for p in parts[1:]:
        key, _, val = p.partition("=")
        if key.strip().lower() == "charset" and val:
            charset = val.strip().strip("\"'").lower() or None
    return mime, charset


def accepts_article(content_type: str | None) -> bool:
    mime, _ = parse_content_type(content_type)
    return mime is None or mime in HTML_TYPES or mime in TEXT_TYPES


def accepts_discovery_document(content_type: str | None) -> bool:
    """Feeds and sitemaps are served under many types; refuse only what cannot be one."""
    mime, _ = parse_content_type(content_type)
    if mime is None or mime in GZIP_TYPES or mime.startswith("text/"):
        return True
    return any(h in mime for h in XML_HINTS)


def _valid_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE
)
_XML_DECL = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)["']""")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def detect_charset(body: bytes, header_charset: str | None = None) -> str:
    """The body's character set: BOM, then the HTTP header, then a <meta> tag or the XML
    declaration, then UTF-8 if it decodes, then statistical sniffing. Returns a codec name."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    found = _valid_codec(header_charset)
    if found:
        return found
    head = body[:4096]
    m = _META_CHARSET.search(head) or _XML_DECL.search(head)
    if m:
        found = _valid_codec(m.group(1).decode("ascii", "ignore"))
        if found:
            return found
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(body[:200_000]).best()
    if best is not None and _valid_codec(best.encoding):
        return _valid_codec(best.encoding) or "cp1252"
    return "cp1252"


def decode_body(body: bytes, charset: str) -> str:
    return body.decode(charset, errors="replace")


def find_rel_canonical(html: str, base_url: str) -> str | None:
    """The absolute URL of the page's <link rel="canonical">, if it has one."""
    import lxml.html

    try:
        doc = lxml.html.document_fromstring(html[:500_000])
    except (ValueError, TypeError, lxml.etree.ParserError):
        return None
    for link in doc.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" in rels and href:
            return urljoin(base_url, href)
    return None
