"""sources.yml validation: clear errors naming the file, the entry and the field."""

from __future__ import annotations

import pytest

from orchestration.config import ConfigError, load_sources


def write(tmp_path, text: str):
    p = tmp_path / "sources.yml"
    p.write_text(text, encoding="utf-8")
    return p


def test_the_minimal_documented_shape_loads(tmp_path):
    (tmp_path / "saved").mkdir()
    cfg = load_sources(
        write(
            tmp_path,
            """
sources:
  - name: Demo Gazette
    kind: feed
    url: https://example.org/rss.xml
  - name: Example Wire
    kind: sitemap
    url: https://example.org/sitemap.xml
    allow_private_network: true
  - name: Saved pages
    kind: directory
    path: ./saved
  - name: Hand-picked
    kind: urls
    urls: [https://example.org/a.html]
""",
        )
    )
    assert [s.kind for s in cfg.sources] == ["feed", "sitemap", "directory", "urls"]
    assert cfg.sources[1].allow_private_network is True
    assert cfg.sources[0].allow_private_network is False
    assert cfg.sources[2].path == str((tmp_path / "saved").resolve())  # relative to the file
    assert cfg.settings.min_delay_seconds == 1.0
    assert cfg.sources[0].outlet_name == "Demo Gazette"


def test_the_shipped_sources_file_is_valid():
    from pathlib import Path

    cfg = load_sources(Path(__file__).parents[2] / "sources.yml")
    assert [s.kind for s in cfg.sources] == ["demo"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "sources:\n  - name: A\n    kind: rss\n    url: https://x.org/f\n",
            ["sources[0] ('A')", "field 'kind'", "feed"],
        ),
        ("sources:\n  - name: A\n    kind: feed\n", ["sources[0] ('A')", "needs 'url'"]),
        (
            "sources:\n  - name: A\n    kind: feed\n    url: https://x.org/f\n"
            "  - name: B\n    kind: urls\n    urls: [notaurl]\n",
            ["sources[1] ('B')", "urls[0]", "http(s) URL"],
        ),
        (
            "sources:\n  - name: A\n    kind: feed\n    url: https://x.org/f\n    max_articles: -3\n",
            ["sources[0] ('A')", "field 'max_articles'", "greater than or equal to 1"],
        ),
        (
            "sources:\n  - name: A\n    kind: feed\n    url: https://x.org/f\n    urll: typo\n",
            ["sources[0] ('A')", "field 'urll'", "Extra inputs are not permitted"],
        ),
        (
            "sources:\n  - name: A\n    kind: feed\n    url: https://x.org/f\n"
            "  - name: A\n    kind: feed\n    url: https://x.org/g\n",
            ["two sources are named 'A'"],
        ),
        (
            "settings:\n  concurrency: 0\nsources:\n  - name: A\n    kind: demo\n",
            ["field 'settings'", "field 'concurrency'"],
        ),
        ("sources: []\n", ["field 'sources'", "at least 1"]),
        ("- just a list\n", ["expected a mapping"]),
        (
            "sources:\n  - name: A\n    kind: feed\n   url: bad indent\n",
            ["line 4", "not valid YAML"],
        ),
        (
            "sources:\n  - name: A\n    kind: directory\n    url: https://x.org\n",
            ["sources[0] ('A')", "needs 'path'"],
        ),
    ],
)
def test_malformed_sources_file_gives_a_clear_error(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_sources(path)
    message = str(info.value)
    assert str(path) in message
    for fragment in expected:
        assert fragment in message, message


def test_missing_sources_file(tmp_path):
    with pytest.raises(ConfigError, match="sources file not found"):
        load_sources(tmp_path / "nope.yml")
