"""Regenerate the demo outlets' feeds and sitemaps from the gold files.

    python -m orchestration.demo_site.make_feeds

Each outlet lists its articles the way real sites do, in a different format each (see WORLD.md):
RSS 2.0, RSS 1.0 (RDF), Atom, a Google News sitemap, and a sitemap index with a gzipped child
(the server gzips ``*.xml.gz`` on the fly from the ``.xml`` beside it). Some entries carry
tracking parameters or appear twice, as they do in the wild, so the scraper's de-duplication has
work to do. The output is committed; run this only after changing the articles.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

HERE = Path(__file__).parent
SITE = HERE / "site"
BASE = "{{BASE_URL}}"


def _articles() -> list[dict]:
    out = []
    for f in sorted((HERE / "gold").glob("*.yml")):
        out.extend(yaml.safe_load(f.read_text(encoding="utf-8"))["articles"])
    return out


def _when(a: dict) -> datetime:
    return datetime.fromisoformat(str(a["published_at"]).replace("Z", "+00:00")).astimezone(UTC)


def _by_outlet(articles: list[dict], outlet: str) -> list[dict]:
    listed = [a for a in articles if a["outlet"] == outlet and a.get("in_feed", True)]
    return sorted(listed, key=lambda a: (_when(a), a["id"]), reverse=True)  # newest first


def rss2(outlet: str, home: str, items: list[dict], tracked: int = 0) -> str:
    """RSS 2.0; the first `tracked` items carry utm_* parameters, and the newest item is listed a
    second time with tracking parameters (a common CMS slip)."""
    parts = []
    for i, a in enumerate(items):
        link = BASE + a["path"]
        if i < tracked:
            link += "?utm_source=rss&amp;utm_medium=feed&amp;utm_campaign=morning"
        parts.append(
            f"""    <item>
      <title>{escape(a["title"])}</title>
      <link>{link}</link>
      <guid isPermaLink="false">{escape(a["id"])}</guid>
      <pubDate>{format_datetime(_when(a), usegmt=True)}</pubDate>
      <description>{escape(a["title"])}</description>
    </item>"""
        )
    if items:
        a = items[0]
        parts.append(
            f"""    <item>
      <title>{escape(a["title"])}</title>
      <link>{BASE}{a["path"]}?fbclid=IwAR0demo&amp;gclid=demo123#comments</link>
      <guid isPermaLink="false">{escape(a["id"])}-social</guid>
      <pubDate>{format_datetime(_when(a), usegmt=True)}</pubDate>
    </item>"""
        )
    body = "\n".join(parts)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>{escape(outlet)}</title>
    <link>{BASE}{home}</link>
    <description>Latest news from {escape(outlet)}</description>
    <language>en</language>
{body}
  </channel>
</rss>
"""


def rss1(outlet: str, home: str, items: list[dict]) -> str:
    seq = "\n".join(f'        <rdf:li rdf:resource="{BASE}{a["path"]}"/>' for a in items)
    body = "\n".join(
        f"""  <item rdf:about="{BASE}{a["path"]}">
    <title>{escape(a["title"])}</title>
    <link>{BASE}{a["path"]}</link>
    <dc:date>{_when(a).strftime("%Y-%m-%dT%H:%M:%SZ")}</dc:date>
  </item>"""
        for a in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="{BASE}{home}index.rdf">
    <title>{escape(outlet)}</title>
    <link>{BASE}{home}</link>
    <description>{escape(outlet)}: news from Drevnik</description>
    <items>
      <rdf:Seq>
{seq}
      </rdf:Seq>
    </items>
  </channel>
{body}
</rdf:RDF>
"""


def atom(outlet: str, home: str, items: list[dict]) -> str:
    updated = max(_when(a) for a in items).strftime("%Y-%m-%dT%H:%M:%SZ") if items else ""
    entries = "\n".join(
        f"""  <entry>
    <title>{escape(a["title"])}</title>
    <link rel="alternate" type="text/html" href="{a["path"]}"/>
    <id>tag:cpa.demo,2026:{escape(a["id"])}</id>
    <published>{_when(a).strftime("%Y-%m-%dT%H:%M:%SZ")}</published>
    <updated>{_when(a).strftime("%Y-%m-%dT%H:%M:%SZ")}</updated>
    <author><name>{escape(", ".join(a.get("authors") or []) or outlet)}</name></author>
  </entry>"""
        for a in items
    )
    # Links are relative: Atom readers resolve them against xml:base.
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="{BASE}/">
  <title>{escape(outlet)} — wire</title>
  <link rel="self" href="{BASE}{home}atom.xml"/>
  <link rel="alternate" href="{BASE}{home}"/>
  <id>tag:cpa.demo,2026:wire</id>
  <updated>{updated}</updated>
{entries}
</feed>
"""


def news_sitemap(outlet: str, items: list[dict]) -> str:
    urls = "\n".join(
        f"""  <url>
    <loc>{BASE}{a["path"]}</loc>
    <news:news>
      <news:publication><news:name>{escape(outlet)}</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>{_when(a).strftime("%Y-%m-%dT%H:%M:%SZ")}</news:publication_date>
      <news:title>{escape(a["title"])}</news:title>
    </news:news>
  </url>"""
        for a in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{urls}
</urlset>
"""


def sitemap(items: list[dict]) -> str:
    urls = "\n".join(
        f"""  <url>
    <loc>{BASE}{a["path"]}</loc>
    <lastmod>{_when(a).strftime("%Y-%m-%dT%H:%M:%S+00:00")}</lastmod>
    <changefreq>never</changefreq>
  </url>"""
        for a in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{urls}
</urlset>
"""


def sitemap_index(children: list[str]) -> str:
    body = "\n".join(
        f"  <sitemap><loc>{BASE}{c}</loc><lastmod>2026-03-08T00:00:00+00:00</lastmod></sitemap>"
        for c in children
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{body}
</sitemapindex>
"""


def main() -> None:
    arts = _articles()

    def write(rel: str, text: str) -> None:
        path = SITE / rel.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(HERE)}")

    write(
        "/herald/rss.xml",
        rss2(
            "The Valdorian Herald", "/herald/", _by_outlet(arts, "The Valdorian Herald"), tracked=2
        ),
    )
    write(
        "/aurelia-today/feed.xml",
        rss2("Aurelia Today", "/aurelia-today/", _by_outlet(arts, "Aurelia Today"), tracked=1),
    )
    write(
        "/drevnik-daily/index.rdf",
        rss1("Drevnik Daily", "/drevnik-daily/", _by_outlet(arts, "Drevnik Daily")),
    )
    write(
        "/cpa/atom.xml",
        atom("Continental Press Agency", "/cpa/", _by_outlet(arts, "Continental Press Agency")),
    )
    write(
        "/observer/news-sitemap.xml",
        news_sitemap("Norland Observer", _by_outlet(arts, "Norland Observer")),
    )
    mt = _by_outlet(arts, "Maritime Times")
    older = [a for a in mt if _when(a) < datetime(2026, 3, 5, tzinfo=UTC)]
    newer = [a for a in mt if a not in older]
    write("/maritime-times/sitemap-2026-03a.xml", sitemap(older))  # served as .xml.gz
    write("/maritime-times/sitemap-2026-03b.xml", sitemap(newer))
    write(
        "/maritime-times/sitemap_index.xml",
        sitemap_index(
            ["/maritime-times/sitemap-2026-03a.xml.gz", "/maritime-times/sitemap-2026-03b.xml"]
        ),
    )


if __name__ == "__main__":
    main()
