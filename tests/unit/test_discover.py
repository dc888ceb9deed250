"""Feed and sitemap parsing on bytes; the archive; address checks."""

from __future__ import annotations

import gzip

import pytest

from orchestration.scrape.archive import ArchiveError, RawArchive, sha256_hex
from orchestration.scrape.client import address_refusal, parse_retry_after
from orchestration.scrape.discover import DiscoveryError, maybe_gunzip, parse_feed, parse_sitemap

RSS091 = b"""<?xml version="1.0"?><rss version="0.91"><channel><title>Old</title>
<link>http://old.example/</link><description>d</description>
<item><title>Item</title><link>http://old.example/item1</link></item></channel></rss>"""


def test_rss_091_feed():
    entries, warning = parse_feed(RSS091, "http://old.example/rss", "text/xml")
    assert [e.url for e in entries] == ["http://old.example/item1"]
    assert warning is None


def test_not_a_feed_is_an_error():
    with pytest.raises(DiscoveryError, match="not an RSS or Atom feed"):
        parse_feed(b"<html><body><p>hello</p></body></html>", "http://x/", "text/html")


def test_sitemap_rejects_other_xml():
    with pytest.raises(DiscoveryError, match="root element is <html>"):
        parse_sitemap(b"<html/>", "http://x/s.xml", 10_000)
    with pytest.raises(DiscoveryError, match="not well-formed"):
        parse_sitemap(b"<urlset><url>", "http://x/s.xml", 10_000)


def test_sitemap_ignores_external_entities():
    evil = b"""<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://x/a&x;</loc></url></urlset>"""
    content = parse_sitemap(evil, "http://x/s.xml", 10_000)
    assert all("root:" not in e.url for e in content.entries)


def test_gzip_bomb_is_capped():
    bomb = gzip.compress(b"<" * 1_000_000)
    with pytest.raises(DiscoveryError, match="expands beyond the cap"):
        maybe_gunzip(bomb, 10_000)
    assert maybe_gunzip(gzip.compress(b"abc"), 10) == b"abc"
    assert maybe_gunzip(b"plain", 10) == b"plain"


def test_archive_round_trip_and_corruption(tmp_path):
    archive = RawArchive(tmp_path)
    digest = archive.put(b"hello")
    assert digest == sha256_hex(b"hello")
    assert archive.put(b"hello") == digest  # idempotent
    assert archive.get(digest) == b"hello"
    path = archive.path_for(digest)
    path.write_bytes(gzip.compress(b"tampered"))
    with pytest.raises(ArchiveError, match="corrupt"):
        archive.get(digest)
    with pytest.raises(ArchiveError, match="no object"):
        archive.get("0" * 64)


@pytest.mark.parametrize(
    ("ip", "fragment"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("172.16.5.4", "private"),
        ("169.254.169.254", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("::ffff:127.0.0.1", "loopback"),
        ("fd00::1", "private"),
    ],
)
def test_unsafe_addresses(ip, fragment):
    assert fragment in (address_refusal(ip) or "")


@pytest.mark.parametrize("ip", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses(ip):
    assert address_refusal(ip) is None


def test_retry_after_forms():
    assert parse_retry_after("5") == 5.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
