from __future__ import annotations

import pytest

from orchestration.scrape.urls import canonicalize_url, host_key


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("HTTPS://Example.ORG/News/A.html#section", "https://example.org/News/A.html"),
        ("http://example.org:80/a", "http://example.org/a"),
        ("https://example.org:8443/a", "https://example.org:8443/a"),
        ("https://example.org", "https://example.org/"),
        ("https://example.org/a?utm_source=x&utm_medium=y&id=7", "https://example.org/a?id=7"),
        ("https://example.org/a?fbclid=1&gclid=2&b=2&a=1", "https://example.org/a?a=1&b=2"),
        ("https://example.org/a?mc_cid=1&_ga=2&msclkid=3", "https://example.org/a"),
        ("https://example.org/a/./b/../c", "https://example.org/a/c"),
        ("https://example.org/caf%C3%A9", "https://example.org/caf%C3%A9"),
        ("https://example.org/%7Euser", "https://example.org/~user"),
        ("  https://example.org/a  ", "https://example.org/a"),
        ("https://example.org./a", "https://example.org/a"),
    ],
)
def test_canonicalize_url(raw, canonical):
    assert canonicalize_url(raw) == canonical


def test_canonicalize_is_idempotent():
    url = "HTTPS://Example.org:443/x/../y?utm_campaign=z&q=a%20b#frag"
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once


def test_file_urls_keep_their_path():
    assert canonicalize_url("file:///tmp/Saved/A.html") == "file:///tmp/Saved/A.html"


def test_host_key_separates_ports_and_schemes():
    assert host_key("http://a.org/x") == "http://a.org:80"
    assert host_key("https://A.org/y") == "https://a.org:443"
    assert host_key("http://a.org:8080/") != host_key("http://a.org/")
