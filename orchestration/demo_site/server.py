"""Serve the demo site over real HTTP on an ephemeral loopback port.

The site has a stable host name, ``demo.newsclaims.localhost``, so the URLs stored in the
warehouse are the same on every run even though the port changes: the scraper is told to connect
that name to 127.0.0.1:<port> (like curl's --connect-to). Pages are templates: ``{{BASE_URL}}`` is
replaced with ``http://<Host header>`` when served. The server sends ETag and Last-Modified and
answers conditional requests with 304, like a real news site behind a CDN.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

SITE_ROOT = Path(__file__).parent / "site"
OUTLETS_FILE = Path(__file__).parent / "outlets.yml"
DEMO_HOST = "demo.newsclaims.localhost"
# A fixed modification time: the demo's pages never change, so revalidation always gives 304.
_SITE_MTIME = 1772409600  # 2026-03-02T00:00:00Z

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".rdf": "application/rdf+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".gz": "application/gzip",
}


def demo_outlets() -> list[dict]:
    return yaml.safe_load(OUTLETS_FILE.read_text(encoding="utf-8"))["outlets"]


def expand_demo_source(source, base_url: str) -> list:
    """One feed or sitemap source per demo outlet, inheriting the demo entry's settings."""
    from orchestration.config import SourceConfig

    expanded = []
    for outlet in demo_outlets():
        expanded.append(
            SourceConfig(
                name=outlet["name"],
                kind=outlet["kind"],
                url=base_url + outlet["path"],
                enabled=True,
                max_articles=source.max_articles,
                min_delay_seconds=source.min_delay_seconds,
                allow_private_network=True,  # the demo lives on 127.0.0.1
                outlet=outlet["name"],
            )
        )
    return expanded


def _resolve(path: str) -> tuple[Path, bool] | None:
    """Map a URL path to (file, gzip-it). None when there is no such page."""
    rel = unquote(path).lstrip("/")
    if ".." in Path(rel).parts:
        return None
    target = SITE_ROOT / rel
    gzip_it = False
    if rel.endswith(".gz") and not target.is_file():
        target = SITE_ROOT / rel[: -len(".gz")]
        gzip_it = True
    if target.is_dir():
        target = target / "index.html"
    elif not target.suffix and not target.is_file():
        target = target.with_suffix(".html")
    if not target.is_file() or SITE_ROOT.resolve() not in target.resolve().parents:
        return None
    return target, gzip_it


class _Handler(BaseHTTPRequestHandler):
    server_version = "DemoNews/1.0"
    protocol_version = "HTTP/1.1"
    # headers and body leave in two writes: without TCP_NODELAY, Nagle's algorithm holds the
    # body until the client's delayed ACK, 40 ms per response on loopback
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _send(self, status: int, body: bytes, headers: dict[str, str], head: bool) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head and body:
            self.wfile.write(body)

    def _serve(self, head: bool) -> None:
        site: DemoSite = self.server.site  # type: ignore[attr-defined]
        path = urlsplit(self.path).path
        site.log_request(self.command, path, dict(self.headers))
        found = _resolve(path)
        if found is None:
            self._send(404, b"not found\n", {"Content-Type": "text/plain"}, head)
            return
        target, gzip_it = found
        host = self.headers.get("Host") or f"127.0.0.1:{self.server.server_address[1]}"
        body = target.read_bytes().replace(b"{{BASE_URL}}", f"http://{host}".encode())
        ctype = _TYPES.get(target.suffix.lower(), "application/octet-stream")
        if gzip_it:
            body = gzip.compress(body, mtime=0)
            ctype = _TYPES[".gz"]
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        last_modified = formatdate(_SITE_MTIME, usegmt=True)
        headers = {
            "Content-Type": ctype,
            "ETag": etag,
            "Last-Modified": last_modified,
            "Cache-Control": "max-age=300",
        }
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        not_modified = False
        if inm is not None:
            not_modified = etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
        elif ims:
            try:
                not_modified = parsedate_to_datetime(ims).timestamp() >= _SITE_MTIME
            except (TypeError, ValueError):
                not_modified = False
        if not_modified:
            self._send(304, b"", {"ETag": etag, "Last-Modified": last_modified}, head=True)
            return
        self._send(200, body, headers, head)


class DemoSite:
    """Context manager: the demo site on 127.0.0.1:<ephemeral port> in a background thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._bind = (host, port)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.requests: list[tuple[str, str, dict[str, str]]] = []

    def log_request(self, method: str, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.requests.append((method, path, headers))

    @property
    def port(self) -> int:
        assert self._server is not None, "the demo site is not running"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """The stable base URL (connect it to `address` to reach this server)."""
        return f"http://{DEMO_HOST}"

    @property
    def local_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def resolver_table(self) -> dict[str, tuple[str, int]]:
        return {DEMO_HOST: ("127.0.0.1", self.port)}

    def start(self) -> DemoSite:
        self._server = ThreadingHTTPServer(self._bind, _Handler)
        self._server.daemon_threads = True
        self._server.site = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="demo-site", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> DemoSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
