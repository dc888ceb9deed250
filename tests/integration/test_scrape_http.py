"""The scraper against a real HTTP server on 127.0.0.1: feeds, sitemaps, redirects, errors,
politeness, robots.txt, charsets, de-duplication and the safety rules."""

from __future__ import annotations

import gzip
import time

import pytest

from orchestration.scrape.archive import sha256_hex
from orchestration.scrape.client import StaticResolver
from tests.conftest import NIGHT, article_fetches, rows, scrape
from tests.support.httpd import Reply, RoutedTransport

PAGE = "<html><head><title>{t}</title></head><body><article><p>{t} body text.</p></article></body></html>"


def page(title: str) -> Reply:
    return Reply(body=PAGE.format(t=title))


def urls_source(server, *paths, **extra) -> dict:
    return {
        "name": "Local",
        "kind": "urls",
        "urls": [server.url(p) for p in paths],
        "allow_private_network": True,
        **extra,
    }


def assert_accounted(warehouse, night=NIGHT):
    """Every discovered URL has exactly one article fetch row, and nothing else has one."""
    disc = rows(
        warehouse, "select source_name, position from raw.discoveries where night = ?", [night]
    )
    fet = rows(
        warehouse,
        "select source_name, position from raw.fetches where night = ? and url_kind = 'article'",
        [night],
    )
    assert sorted((d["source_name"], d["position"]) for d in disc) == sorted(
        (f["source_name"], f["position"]) for f in fet
    )


# -- feeds ------------------------------------------------------------------------------------

RSS2 = """<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>
<item><title>One</title><link>{base}/a1.html</link><pubDate>Mon, 02 Mar 2026 08:00:00 GMT</pubDate></item>
<item><title>Two</title><link>{base}/a2.html?utm_source=rss&amp;utm_medium=feed</link></item>
<item><title>Two again</title><link>{base}/a2.html?fbclid=xyz#top</link></item>
</channel></rss>"""

RSS1 = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="{base}/index.rdf"><title>Daily</title><link>{base}/</link>
<description>d</description><items><rdf:Seq><rdf:li rdf:resource="{base}/r1.html"/></rdf:Seq></items>
</channel>
<item rdf:about="{base}/r1.html"><title>R one</title><link>{base}/r1.html</link>
<dc:date>2026-03-03T06:10:00Z</dc:date></item>
</rdf:RDF>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="{base}/wire/"><title>Wire</title>
<id>tag:wire</id><updated>2026-03-04T11:00:00Z</updated>
<entry><title>W one</title><link rel="alternate" href="w1.html"/><id>tag:w1</id>
<published>2026-03-04T11:02:00Z</published><updated>2026-03-04T11:02:00Z</updated></entry>
<entry><title>W two</title><link rel="alternate" href="{base}/wire/w2.html"/><id>tag:w2</id>
<updated>2026-03-05T09:00:00Z</updated></entry>
</feed>"""


def test_rss2_rss1_and_atom_feeds_are_discovered_and_fetched(server, fast_settings, warehouse):
    base = server.url("")
    server.route("/rss.xml", Reply(body=RSS2.format(base=base), content_type="application/rss+xml"))
    server.route(
        "/index.rdf", Reply(body=RSS1.format(base=base), content_type="application/rdf+xml")
    )
    server.route(
        "/atom.xml", Reply(body=ATOM.format(base=base), content_type="application/atom+xml")
    )
    for p in ("/a1.html", "/a2.html", "/r1.html", "/wire/w1.html", "/wire/w2.html"):
        server.route(p, page(p))
    stage = scrape(
        warehouse,
        fast_settings,
        {
            "name": "Gazette",
            "kind": "feed",
            "url": server.url("/rss.xml"),
            "allow_private_network": True,
        },
        {
            "name": "Daily",
            "kind": "feed",
            "url": server.url("/index.rdf"),
            "allow_private_network": True,
        },
        {
            "name": "Wire",
            "kind": "feed",
            "url": server.url("/atom.xml"),
            "allow_private_network": True,
        },
    )
    by_source = {s.source_name: s for s in stage.result.summaries}
    assert (by_source["Gazette"].discovered, by_source["Gazette"].fetched) == (3, 2)
    assert by_source["Gazette"].duplicates == 1  # a2 with fbclid is a2 with utm_*: one page
    assert (by_source["Daily"].discovered, by_source["Daily"].fetched) == (1, 1)
    assert (by_source["Wire"].discovered, by_source["Wire"].fetched) == (2, 2)  # relative link

    disc = rows(warehouse, "select * from raw.discoveries where source_name = 'Daily'")
    assert disc[0]["hint_title"] == "R one"
    assert disc[0]["hint_published_at"].isoformat().startswith("2026-03-03T06:10:00")
    pages = rows(warehouse, "select canonical_url from raw.pages order by canonical_url")
    assert [p["canonical_url"].removeprefix(base) for p in pages] == [
        "/a1.html",
        "/a2.html",
        "/r1.html",
        "/wire/w1.html",
        "/wire/w2.html",
    ]
    feeds = rows(warehouse, "select url, outcome from raw.fetches where url_kind = 'feed'")
    assert {f["outcome"] for f in feeds} == {"fetched"}
    assert len(server.hits("/a2.html")) == 1  # the duplicate was never fetched
    assert_accounted(warehouse)


def test_broken_feed_is_recorded_and_other_sources_go_on(server, fast_settings, warehouse):
    server.route("/bad.xml", Reply(body="<html><body>Not a feed</body></html>"))
    server.route("/ok.html", page("ok"))
    stage = scrape(
        warehouse,
        fast_settings,
        {
            "name": "Broken",
            "kind": "feed",
            "url": server.url("/bad.xml"),
            "allow_private_network": True,
        },
        {
            "name": "Missing",
            "kind": "feed",
            "url": server.url("/missing.xml"),
            "allow_private_network": True,
        },
        urls_source(server, "/ok.html"),
    )
    feeds = {
        r["source_name"]: r
        for r in rows(warehouse, "select * from raw.fetches where url_kind = 'feed'")
    }
    assert feeds["Broken"]["outcome"] == "error"
    assert "not" in feeds["Broken"]["error"] and "feed" in feeds["Broken"]["error"]
    assert feeds["Missing"]["outcome"] == "error" and feeds["Missing"]["http_status"] == 404
    local = next(s for s in stage.result.summaries if s.source_name == "Local")
    assert local.fetched == 1


# -- sitemaps -----------------------------------------------------------------------------------

INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{base}/sm-1.xml.gz</loc></sitemap>
<sitemap><loc>{base}/news.xml</loc></sitemap>
</sitemapindex>"""
URLSET = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/s1.html</loc><lastmod>2026-03-02T10:00:00+02:00</lastmod></url>
<url><loc>{base}/s2.html</loc></url>
</urlset>"""
NEWS = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{base}/n1</loc><news:news><news:publication><news:name>Observer</news:name>
<news:language>en</news:language></news:publication>
<news:publication_date>2026-03-04T07:00:00Z</news:publication_date>
<news:title>News one</news:title></news:news></url>
</urlset>"""


def test_sitemap_index_with_gzipped_child_and_news_sitemap(server, fast_settings, warehouse):
    base = server.url("")
    server.route(
        "/sitemap_index.xml", Reply(body=INDEX.format(base=base), content_type="application/xml")
    )
    server.route(
        "/sm-1.xml.gz",
        Reply(
            body=gzip.compress(URLSET.format(base=base).encode()), content_type="application/x-gzip"
        ),
    )
    server.route("/news.xml", Reply(body=NEWS.format(base=base), content_type="text/xml"))
    for p in ("/s1.html", "/s2.html", "/n1"):
        server.route(p, page(p))
    stage = scrape(
        warehouse,
        fast_settings,
        {
            "name": "Maps",
            "kind": "sitemap",
            "url": server.url("/sitemap_index.xml"),
            "allow_private_network": True,
        },
    )
    s = stage.result.summaries[0]
    assert (s.discovered, s.fetched, s.errors) == (3, 3, 0)
    docs = rows(
        warehouse,
        "select url, outcome, discovered_from from raw.fetches "
        "where url_kind = 'sitemap' order by position",
    )
    assert [d["url"].removeprefix(base) for d in docs] == [
        "/sitemap_index.xml",
        "/sm-1.xml.gz",
        "/news.xml",
    ]
    assert docs[1]["discovered_from"] == server.url("/sitemap_index.xml")
    hints = {
        r["url"].removeprefix(base): r for r in rows(warehouse, "select * from raw.discoveries")
    }
    assert hints["/n1"]["hint_title"] == "News one"
    assert hints["/n1"]["hint_outlet"] == "Observer"
    assert hints["/s1.html"]["hint_published_at"].isoformat().startswith("2026-03-02T08:00:00")
    assert_accounted(warehouse)


# -- redirects ----------------------------------------------------------------------------------


def test_redirect_chain_is_followed_and_loop_is_detected(server, fast_settings, warehouse):
    server.route("/old", Reply(301, headers={"Location": "/older"}))
    server.route("/older", Reply(302, headers={"Location": server.url("/new.html")}))
    server.route("/new.html", page("new"))
    server.route("/loop-a", Reply(302, headers={"Location": "/loop-b"}))
    server.route("/loop-b", Reply(301, headers={"Location": "/loop-a"}))
    scrape(warehouse, fast_settings, urls_source(server, "/old", "/loop-a"))
    f = article_fetches(warehouse)
    assert f["/old"]["outcome"] == "fetched"
    assert f["/old"]["final_url"] == server.url("/new.html")
    assert f["/loop-a"]["outcome"] == "error"
    assert "redirect loop" in f["/loop-a"]["error"]
    assert len(server.hits("/loop-a")) == 1  # detected, not hammered


def test_too_many_redirects(server, fast_settings, warehouse):
    settings = fast_settings.model_copy(update={"max_redirects": 2})
    for i in range(5):
        server.route(f"/r{i}", Reply(302, headers={"Location": f"/r{i + 1}"}))
    scrape(warehouse, settings, urls_source(server, "/r0"))
    r = article_fetches(warehouse)["/r0"]
    assert r["outcome"] == "error" and "more than 2 redirects" in r["error"]


# -- conditional GET ----------------------------------------------------------------------------


def test_conditional_get_gives_not_modified_on_the_next_night(server, fast_settings, warehouse):
    etag = '"v1"'

    def handler(req):
        if req.headers.get("If-None-Match") == etag:
            return Reply(304, headers={"ETag": etag})
        return Reply(
            body=PAGE.format(t="cached"),
            headers={"ETag": etag, "Last-Modified": "Mon, 02 Mar 2026 08:00:00 GMT"},
        )

    server.route("/c.html", handler)
    scrape(warehouse, fast_settings, urls_source(server, "/c.html"), night=NIGHT)
    from datetime import timedelta

    later = NIGHT + timedelta(days=1)
    scrape(warehouse, fast_settings, urls_source(server, "/c.html"), night=later)
    first, second = server.hits("/c.html")
    assert "If-None-Match" not in first.headers
    assert second.headers["If-None-Match"] == etag
    assert second.headers["If-Modified-Since"] == "Mon, 02 Mar 2026 08:00:00 GMT"
    r = article_fetches(warehouse, later)["/c.html"]
    assert (r["outcome"], r["http_status"]) == ("not_modified", 304)
    # The unchanged page is still a page of that night, read from the archive.
    pages = rows(warehouse, "select * from raw.pages where night = ?", [later])
    assert len(pages) == 1 and pages[0]["is_changed"] is False
    assert pages[0]["content_hash"] == sha256_hex(PAGE.format(t="cached").encode())
    assert warehouse.archive.get(pages[0]["content_hash"]).startswith(b"<html>")


# -- errors, retries, limits ----------------------------------------------------------------------


def test_404_and_500_are_errors_and_500_is_retried(server, fast_settings, warehouse):
    server.route("/gone.html", Reply(404, body="nope"))
    server.route("/broken.html", Reply(500, body="oops"))
    scrape(warehouse, fast_settings, urls_source(server, "/gone.html", "/broken.html"))
    f = article_fetches(warehouse)
    assert (f["/gone.html"]["outcome"], f["/gone.html"]["http_status"]) == ("error", 404)
    assert len(server.hits("/gone.html")) == 1  # a 404 is final
    assert (f["/broken.html"]["outcome"], f["/broken.html"]["http_status"]) == ("error", 500)
    assert len(server.hits("/broken.html")) == fast_settings.max_retries + 1
    assert f["/broken.html"]["attempts"] == fast_settings.max_retries + 1
    assert "gave up after 3 attempts" in f["/broken.html"]["error"]


def test_transient_503_then_success(server, fast_settings, warehouse):
    server.sequence("/flaky.html", [Reply(503), Reply(502), page("finally")])
    scrape(warehouse, fast_settings, urls_source(server, "/flaky.html"))
    r = article_fetches(warehouse)["/flaky.html"]
    assert (r["outcome"], r["attempts"]) == ("fetched", 3)


def test_429_honours_retry_after(server, fast_settings, warehouse):
    server.sequence("/busy.html", [Reply(429, headers={"Retry-After": "1"}), page("ok")])
    scrape(warehouse, fast_settings, urls_source(server, "/busy.html"))
    first, second = server.hits("/busy.html")
    assert second.started - first.finished >= 0.95  # waited as told, not the 10 ms backoff
    assert article_fetches(warehouse)["/busy.html"]["outcome"] == "fetched"


def test_429_with_a_retry_after_beyond_the_cap_gives_up(server, fast_settings, warehouse):
    settings = fast_settings.model_copy(update={"max_retry_after_seconds": 5})
    server.route("/later.html", Reply(429, headers={"Retry-After": "3600"}))
    scrape(warehouse, settings, urls_source(server, "/later.html"))
    r = article_fetches(warehouse)["/later.html"]
    assert r["outcome"] == "error" and "Retry-After of 3600s exceeds" in r["error"]
    assert len(server.hits("/later.html")) == 1


def test_timeout_is_an_error_after_retries(server, fast_settings, warehouse):
    settings = fast_settings.model_copy(
        update={"total_timeout_seconds": 0.3, "read_timeout_seconds": 0.3, "max_retries": 1}
    )
    server.route("/slow.html", Reply(body="late", delay=1.0))
    server.route("/fast.html", page("fast"))
    scrape(warehouse, settings, urls_source(server, "/slow.html", "/fast.html"))
    f = article_fetches(warehouse)
    assert f["/slow.html"]["outcome"] == "error" and "timed out" in f["/slow.html"]["error"]
    assert f["/slow.html"]["attempts"] == 2
    assert f["/fast.html"]["outcome"] == "fetched"


def test_oversized_body_is_refused_while_streaming(server, fast_settings, warehouse):
    settings = fast_settings.model_copy(update={"max_body_bytes": 10_000})
    big = "<html><body>" + "x" * 50_000 + "</body></html>"
    server.route("/big.html", Reply(body=big))
    # A gzip bomb: small on the wire, huge once decoded.
    server.route("/bomb.html", Reply(body=big * 20, gzip=True))
    scrape(warehouse, settings, urls_source(server, "/big.html", "/bomb.html"))
    f = article_fetches(warehouse)
    for path in ("/big.html", "/bomb.html"):
        assert f[path]["outcome"] == "error"
        assert "exceeds the cap of 10,000" in f[path]["error"]
    assert rows(warehouse, "select count(*) as n from raw.pages")[0]["n"] == 0


def test_unexpected_content_type_is_an_error(server, fast_settings, warehouse):
    server.route("/photo.jpg", Reply(body=b"\xff\xd8\xff", content_type="image/jpeg"))
    scrape(warehouse, fast_settings, urls_source(server, "/photo.jpg"))
    r = article_fetches(warehouse)["/photo.jpg"]
    assert r["outcome"] == "error" and "unexpected content type 'image/jpeg'" in r["error"]


def test_gzip_content_encoding_is_decoded(server, fast_settings, warehouse):
    server.route("/gz.html", Reply(body=PAGE.format(t="zipped"), gzip=True))
    scrape(warehouse, fast_settings, urls_source(server, "/gz.html"))
    r = article_fetches(warehouse)["/gz.html"]
    assert r["outcome"] == "fetched"
    assert b"zipped body text" in warehouse.archive.get(r["content_hash"])


# -- charsets -----------------------------------------------------------------------------------

CP1251_PAGE = "<html><head><title>Новости</title></head><body><p>Министр заявил, что войска пересекли границу.</p></body></html>"


@pytest.mark.parametrize(
    ("path", "content_type", "body", "expected"),
    [
        ("/header.html", "text/html; charset=windows-1251", CP1251_PAGE, "cp1251"),
        (
            "/meta.html",
            "text/html",
            CP1251_PAGE.replace("<head>", '<head><meta charset="windows-1251">'),
            "cp1251",
        ),
        (
            "/latin.html",
            "text/html",
            '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
            "</head><body><p>Le ministre a déclaré à Genève qu'il était prêt.</p></body></html>",
            "latin-1",
        ),
        ("/sniffed.html", "text/html", CP1251_PAGE * 3, "cp1251"),
    ],
)
def test_charset_from_header_meta_or_sniffing(
    server, fast_settings, warehouse, path, content_type, body, expected
):
    raw = body.encode("cp1251" if "Министр" in body else "latin-1")
    server.route(path, Reply(body=raw, content_type=content_type))
    scrape(warehouse, fast_settings, urls_source(server, path))
    r = article_fetches(warehouse)[path]
    assert r["outcome"] == "fetched"
    import codecs

    assert codecs.lookup(r["charset"]).name == codecs.lookup(expected).name
    page_row = rows(warehouse, "select charset, content_hash from raw.pages")[0]
    text = warehouse.archive.get(page_row["content_hash"]).decode(page_row["charset"])
    assert ("Министр" in text) or ("déclaré" in text)


# -- robots.txt and politeness --------------------------------------------------------------------


def test_robots_disallow_is_skipped_and_never_fetched(server, fast_settings, warehouse):
    server.route(
        "/robots.txt", Reply(body="User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    )
    server.route("/private/secret.html", page("secret"))
    server.route("/public.html", page("public"))
    scrape(warehouse, fast_settings, urls_source(server, "/private/secret.html", "/public.html"))
    f = article_fetches(warehouse)
    assert f["/private/secret.html"]["outcome"] == "skipped_robots"
    assert "robots.txt disallows" in f["/private/secret.html"]["error"]
    assert f["/public.html"]["outcome"] == "fetched"
    assert server.hits("/private/secret.html") == []
    assert len(server.hits("/robots.txt")) == 1  # once per host per run
    robots = rows(warehouse, "select * from raw.fetches where url_kind = 'robots'")
    assert robots[0]["outcome"] == "fetched"


def test_robots_rules_for_our_user_agent(server, fast_settings, warehouse):
    server.route(
        "/robots.txt",
        Reply(
            body="User-agent: newsclaims\nDisallow: /\n\nUser-agent: *\nAllow: /\n",
            content_type="text/plain",
        ),
    )
    server.route("/a.html", page("a"))
    scrape(warehouse, fast_settings, urls_source(server, "/a.html"))
    assert article_fetches(warehouse)["/a.html"]["outcome"] == "skipped_robots"


def test_robots_5xx_means_disallow_all_and_404_means_allow_all(server, fast_settings, warehouse):
    settings = fast_settings.model_copy(update={"max_retries": 0})
    server.route("/robots.txt", Reply(503))
    server.route("/a.html", page("a"))
    scrape(warehouse, settings, urls_source(server, "/a.html"))
    assert article_fetches(warehouse)["/a.html"]["outcome"] == "skipped_robots"
    server.route("/robots.txt", Reply(404))
    scrape(warehouse, settings, urls_source(server, "/a.html"))
    assert article_fetches(warehouse)["/a.html"]["outcome"] == "fetched"


def test_one_request_at_a_time_per_host_with_the_minimum_delay(server, fast_settings, warehouse):
    settings = fast_settings.model_copy(update={"min_delay_seconds": 0.2, "concurrency": 8})
    paths = [f"/p{i}.html" for i in range(5)]
    for p in paths:
        server.route(p, Reply(body=PAGE.format(t=p), delay=0.05))
    scrape(warehouse, settings, urls_source(server, *paths))
    assert server.max_active == 1
    ordered = sorted(server.requests, key=lambda r: r.started)
    gaps = [b.started - a.finished for a, b in zip(ordered, ordered[1:], strict=False)]
    assert len(gaps) == 5  # robots.txt + 5 pages
    assert min(gaps) >= 0.19


def test_per_source_delay_overrides_the_global_one(server, fast_settings, warehouse):
    paths = ["/x1.html", "/x2.html", "/x3.html"]
    for p in paths:
        server.route(p, page(p))
    scrape(warehouse, fast_settings, urls_source(server, *paths, min_delay_seconds=0.3))
    ordered = sorted(server.requests, key=lambda r: r.started)
    gaps = [b.started - a.finished for a, b in zip(ordered, ordered[1:], strict=False)]
    assert min(gaps) >= 0.29


def test_crawl_delay_in_robots_txt_is_honoured(server, fast_settings, warehouse):
    server.route(
        "/robots.txt", Reply(body="User-agent: *\nCrawl-delay: 0.6\n", content_type="text/plain")
    )
    for p in ("/d1.html", "/d2.html"):
        server.route(p, page(p))
    scrape(warehouse, fast_settings, urls_source(server, "/d1.html", "/d2.html"))
    d1, d2 = server.hits("/d1.html")[0], server.hits("/d2.html")[0]
    first, second = sorted([d1, d2], key=lambda r: r.started)
    assert second.started - first.finished >= 0.99  # 0.6 rounded up to a whole second


# -- de-duplication ------------------------------------------------------------------------------


def test_tracking_parameter_and_content_duplicates(server, fast_settings, warehouse):
    server.route("/story.html", page("story"))
    server.route("/copy.html", page("story"))  # same bytes under another URL
    canonical_page = PAGE.format(t="canon").replace(
        "<head>", f'<head><link rel="canonical" href="{server.url("/story.html")}">'
    )
    server.route("/amp/story.html", Reply(body=canonical_page))
    scrape(
        warehouse,
        fast_settings,
        urls_source(
            server,
            "/story.html?utm_source=twitter&utm_campaign=x",
            "/story.html?fbclid=abc&gclid=def#comments",
            "/STORY.html",  # a different path: a different URL
            "/copy.html",
            "/amp/story.html",
        ),
    )
    f = article_fetches(warehouse)
    assert f["/story.html?utm_source=twitter&utm_campaign=x"]["outcome"] == "fetched"
    dup = f["/story.html?fbclid=abc&gclid=def"]
    assert dup["outcome"] == "duplicate" and dup["duplicate_of"] == server.url("/story.html")
    assert f["/STORY.html"]["outcome"] == "error"  # 404: paths are case-sensitive
    assert f["/copy.html"]["outcome"] == "duplicate"
    assert "same content" in f["/copy.html"]["error"]
    amp = f["/amp/story.html"]
    assert amp["rel_canonical"] == server.url("/story.html")
    assert amp["outcome"] == "duplicate"
    assert len(server.hits("/story.html")) == 1
    pages = rows(warehouse, "select canonical_url from raw.pages")
    assert [p["canonical_url"] for p in pages] == [server.url("/story.html")]
    assert_accounted(warehouse)


def test_duplicates_across_sources_count_once(server, fast_settings, warehouse):
    server.route("/shared.html", page("shared"))
    stage = scrape(
        warehouse,
        fast_settings,
        {**urls_source(server, "/shared.html"), "name": "First"},
        {**urls_source(server, "/shared.html?utm_medium=social"), "name": "Second"},
    )
    by = {s.source_name: s for s in stage.result.summaries}
    assert (by["First"].fetched, by["Second"].duplicates) == (1, 1)


# -- safety ---------------------------------------------------------------------------------------


def test_private_addresses_are_refused_by_default(server, fast_settings, warehouse):
    server.route("/a.html", page("a"))
    scrape(
        warehouse, fast_settings, {"name": "Local", "kind": "urls", "urls": [server.url("/a.html")]}
    )
    f = article_fetches(warehouse)
    assert f["/a.html"]["outcome"] == "refused"
    assert "loopback address 127.0.0.1" in f["/a.html"]["error"]
    assert "allow_private_network" in f["/a.html"]["error"]
    assert server.requests == []  # not even robots.txt


def test_only_http_and_https_links_are_followed(server, fast_settings, warehouse):
    feed = (
        RSS2.format(base=server.url(""))
        .replace("{}/a1.html".format(server.url("")), "ftp://files.example.org/a1.html")
        .replace("<title>Two again</title>", "<title>File</title>")
        .replace(server.url("/a2.html?fbclid=xyz#top"), "file:///etc/passwd")
    )
    server.route("/rss.xml", Reply(body=feed, content_type="application/rss+xml"))
    server.route("/a2.html", page("a2"))
    scrape(
        warehouse,
        fast_settings,
        {
            "name": "Feed",
            "kind": "feed",
            "url": server.url("/rss.xml"),
            "allow_private_network": True,
        },
    )
    by_url = {
        r["url"]: r for r in rows(warehouse, "select * from raw.fetches where url_kind = 'article'")
    }
    assert by_url["ftp://files.example.org/a1.html"]["outcome"] == "refused"
    assert "scheme 'ftp' is not allowed" in by_url["ftp://files.example.org/a1.html"]["error"]
    file_rows = [r for u, r in by_url.items() if u.startswith("file:")]
    assert [r["outcome"] for r in file_rows] == ["refused"]
    assert_accounted(warehouse)


def test_redirect_to_a_private_address_is_refused(server, fast_settings, warehouse):
    """A public site (its name resolves to a public address) redirects to loopback and to a
    private network: both are refused before any connection is made."""
    public_ip = "93.184.215.14"
    resolver = StaticResolver(
        {
            "news.example.com": (public_ip, 80),
            "intranet.example.com": ("10.20.30.40", 80),
        }
    )
    transport = RoutedTransport({(public_ip, 80): ("127.0.0.1", server.port)})
    server.route("/ok.html", page("ok"))
    server.route("/to-loopback", Reply(302, headers={"Location": server.url("/secret")}))
    server.route("/to-intranet", Reply(301, headers={"Location": "http://intranet.example.com/"}))
    server.route(
        "/to-metadata", Reply(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    )
    server.route("/secret", page("secret"))
    scrape(
        warehouse,
        fast_settings,
        {
            "name": "Public",
            "kind": "urls",
            "urls": [
                "http://news.example.com/ok.html",
                "http://news.example.com/to-loopback",
                "http://news.example.com/to-intranet",
                "http://news.example.com/to-metadata",
            ],
        },
        resolver=resolver,
        transport=transport,
    )
    f = article_fetches(warehouse)
    assert f["/ok.html"]["outcome"] == "fetched"
    for path, reason in [
        ("/to-loopback", "loopback"),
        ("/to-intranet", "private"),
        ("/to-metadata", "link-local"),
    ]:
        assert f[path]["outcome"] == "refused", path
        assert "redirect to" in f[path]["error"] and reason in f[path]["error"]
    assert server.hits("/secret") == []


def test_rerun_of_the_same_night_replaces_rows(server, fast_settings, warehouse):
    server.route("/a.html", page("a"))
    server.route("/b.html", Reply(404))
    for _ in range(2):
        scrape(warehouse, fast_settings, urls_source(server, "/a.html", "/b.html"))
    counts = rows(
        warehouse,
        """
        select (select count(*) from raw.fetches) as fetches,
               (select count(*) from raw.pages) as pages,
               (select count(*) from raw.discoveries) as discoveries,
               (select count(*) from raw.scrape_runs) as runs""",
    )[0]
    assert counts == {"fetches": 3, "pages": 1, "discoveries": 2, "runs": 1}
    assert article_fetches(warehouse)["/a.html"]["outcome"] == "not_modified"


def test_archive_stores_each_body_once(server, fast_settings, warehouse):
    server.route("/a.html", page("same"))
    server.route("/b.html", page("same"))
    scrape(warehouse, fast_settings, urls_source(server, "/a.html", "/b.html"))
    objects = list((warehouse.root / "archive").rglob("*.gz"))
    assert len(objects) == 1
    assert objects[0].name == sha256_hex(PAGE.format(t="same").encode()) + ".gz"


def test_elapsed_and_timestamps_are_recorded(server, fast_settings, warehouse):
    server.route("/a.html", page("a"))
    before = time.time()
    scrape(warehouse, fast_settings, urls_source(server, "/a.html"))
    r = article_fetches(warehouse)["/a.html"]
    assert r["elapsed_ms"] > 0 and r["bytes"] == len(PAGE.format(t="a"))
    assert r["fetched_at"].timestamp() >= before - 1
