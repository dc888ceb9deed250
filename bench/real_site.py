"""Real news articles served as a news site over loopback, for benchmarks and scale tests.

The texts are the PolNeAR training split (`../shared/corpora/polnear-train/text`, or
`$NEWSCLAIMS_POLNEAR_DIR`): 840 real US political news articles from seven outlets. They are read
in place, never copied: each request renders one article as a plain news page (title, outlet,
publication date, paragraphs) and `/rss.xml` lists the first N articles, in a fixed order, as an
RSS 2.0 feed. Pages answer conditional requests with 304, so a rerun of the same night is
`unchanged` page by page, as on a real site behind a CDN.

The corpus has 840 articles. A site of more (the benchmark's 1,000) carries reprints for the
rest, as real nights do: article 840 + i is article i again, printed by another of the seven
outlets under its own URL, with a credit line ("Reprinted from Politico") and that outlet's
name in the page furniture, so its bytes, and its parse and extract, are its own; syndication
groups it with the original.

    with RealSite(n_articles=250) as site:
        site.feed_url        # http://127.0.0.1:<port>/rss.xml
        site.sources_yaml()  # a sources.yml that scrapes it with no politeness delay
"""

from __future__ import annotations

import hashlib
import html
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parents[1]
OUTLETS = {
    "breitbart": "Breitbart",
    "huff-post": "HuffPost",
    "nyt": "The New York Times",
    "politico": "Politico",
    "usa-today": "USA Today",
    "wash-post": "The Washington Post",
    "west-journal": "Western Journalism",
}
_MTIME = 1477958400  # 2016-11-01T00:00:00Z: the pages never change


# columns that say when we fetched, a fact about the run and not about the article
VOLATILE = {"articles": ["fetched_at"]}


def marts_digest(published: Path) -> dict[str, tuple[int, str]]:
    """Each published mart's row count and a hash of its rows in a canonical order, leaving out
    the VOLATILE columns: equal digests mean the same marts, row for row, column for column."""
    import duckdb

    out = {}
    with duckdb.connect() as con:
        for f in sorted((published / "parquet").glob("*.parquet")):
            mart = f.stem
            exclude = VOLATILE.get(mart)
            cols = f"* exclude ({', '.join(exclude)})" if exclude else "*"
            rows = con.execute(
                f"select {cols} from read_parquet(?) order by all",  # noqa: S608
                [str(f)],
            ).fetchall()
            out[mart] = (len(rows), hashlib.sha256(repr(rows).encode("utf-8")).hexdigest())
    return out


def corpus_dir() -> Path:
    """The PolNeAR folder, as the quality scorer finds it ($NEWSCLAIMS_POLNEAR_DIR, else
    ../shared/corpora/polnear-train beside the repository)."""
    from score_attribution import default_corpus_dir

    return default_corpus_dir()


def article_files(limit: int | None = None) -> list[Path]:
    """The corpus's articles in a fixed order that mixes the outlets (round robin by outlet)."""
    text_dir = corpus_dir() / "text"
    if not text_dir.is_dir():
        raise FileNotFoundError(f"no PolNeAR texts at {text_dir} (set NEWSCLAIMS_POLNEAR_DIR)")
    by_outlet: dict[str, list[Path]] = {}
    for p in sorted(text_dir.glob("*.txt")):
        by_outlet.setdefault(p.name.split("_", 1)[0], []).append(p)
    mixed: list[Path] = []
    for i in range(max(len(v) for v in by_outlet.values())):
        for key in sorted(by_outlet):
            if i < len(by_outlet[key]):
                mixed.append(by_outlet[key][i])
    return mixed[:limit] if limit is not None else mixed


def reprinter(path: Path) -> str:
    """The outlet that reprints an article on a site larger than the corpus: the next one."""
    keys = sorted(OUTLETS)
    key = path.stem.split("_", 1)[0]
    return keys[(keys.index(key) + 1) % len(keys)] if key in keys else keys[0]


def render_article(path: Path, reprinted_by: str | None = None) -> bytes:
    """One article as the HTML page a news site would serve (or its reprint by another)."""
    outlet_key, day, _ = path.stem.split("_", 2)
    original = OUTLETS.get(outlet_key, outlet_key)
    outlet = OUTLETS.get(reprinted_by, reprinted_by) if reprinted_by else original
    text = path.read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    title = paragraphs[0] if paragraphs else path.stem
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs[1:])
    if reprinted_by:
        body += f"\n<p>Reprinted from {html.escape(original)}.</p>"
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)} | {html.escape(outlet)}</title>
<meta property="og:site_name" content="{html.escape(outlet)}">
<meta property="og:title" content="{html.escape(title)}">
<meta property="article:published_time" content="{day}T12:00:00Z">
</head><body>
<header><nav><a href="/">Home</a> <a href="/politics">Politics</a></nav></header>
<main><article>
<h1>{html.escape(title)}</h1>
<time datetime="{day}T12:00:00Z">{day}</time>
{body}
</article></main>
<footer><p>Copyright {html.escape(outlet)}</p></footer>
</body></html>
"""
    return page.encode("utf-8")


def render_feed(entries: list[tuple[str, Path, str | None]], base_url: str) -> bytes:
    items = []
    for stem, p, _by in entries:
        outlet_key, day, _ = p.stem.split("_", 2)
        first = p.read_text(encoding="utf-8").strip().split("\n", 1)[0]
        items.append(
            f"<item><title>{html.escape(first)}</title>"
            f"<link>{base_url}/a/{stem}</link><guid>{base_url}/a/{stem}</guid>"
            f"<pubDate>{formatdate(_date_ts(day), usegmt=True)}</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>PolNeAR news</title><link>{base_url}/</link>"
        "<description>Real articles served over loopback</description>"
        + "".join(items)
        + "</channel></rss>\n"
    ).encode("utf-8")


def _date_ts(day: str) -> float:
    from datetime import UTC, datetime

    return datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC).timestamp()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # headers and body leave in two writes: without TCP_NODELAY, Nagle's algorithm holds the
    # body until the client's delayed ACK, 40 ms per response on loopback
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:
        site: RealSite = self.server.site  # type: ignore[attr-defined]
        path = unquote(urlsplit(self.path).path)
        if path == "/robots.txt":
            body, ctype = b"User-agent: *\nAllow: /\n", "text/plain"
        elif path == "/rss.xml":
            body, ctype = render_feed(site.entries, site.base_url), "application/rss+xml"
        elif path.startswith("/a/") and path[3:] in site.by_stem:
            _stem, source, by = site.by_stem[path[3:]]
            body, ctype = render_article(source, by), "text/html; charset=utf-8"
        else:
            self._send(404, b"not found\n", {"Content-Type": "text/plain"})
            return
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        headers = {
            "Content-Type": ctype,
            "ETag": etag,
            "Last-Modified": formatdate(_MTIME, usegmt=True),
        }
        if self.headers.get("If-None-Match") == etag:
            self._send(304, b"", {"ETag": etag})
            return
        self._send(200, body, headers)

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)


class RealSite:
    """Context manager: N real articles and their feed on 127.0.0.1:<ephemeral port>."""

    def __init__(self, n_articles: int) -> None:
        corpus = article_files()
        if n_articles > 2 * len(corpus):
            raise ValueError(f"the corpus has {len(corpus)} articles: at most {2 * len(corpus)}")
        # (URL stem, the corpus file, the outlet reprinting it or None)
        self.entries: list[tuple[str, Path, str | None]] = [(p.stem, p, None) for p in corpus]
        self.entries += [(f"reprint-{p.stem}", p, reprinter(p)) for p in corpus]
        self.entries = self.entries[:n_articles]
        self.files = [p for _, p, _ in self.entries]
        self.by_stem = {e[0]: e for e in self.entries}
        self._server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def feed_url(self) -> str:
        return self.base_url + "/rss.xml"

    def page_urls(self) -> list[str]:
        return [f"{self.base_url}/a/{stem}" for stem, _, _ in self.entries]

    def sources_yaml(self) -> str:
        return (
            "sources:\n"
            "  - name: PolNeAR news\n"
            "    kind: feed\n"
            f"    url: {self.feed_url}\n"
            f"    max_articles: {len(self.files)}\n"
            "    min_delay_seconds: 0\n"
            "    allow_private_network: true\n"
        )

    def start(self) -> RealSite:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.site = self  # type: ignore[attr-defined]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> RealSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
