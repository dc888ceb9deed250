"""A folder of saved pages with sidecar JSON: every file accounted for, bad sidecars reported."""

from __future__ import annotations

import json

from tests.conftest import rows, scrape


def test_directory_source_with_sidecars(tmp_path, fast_settings, warehouse):
    saved = tmp_path / "saved"
    (saved / "older").mkdir(parents=True)
    (saved / "a.html").write_text("<html><body><p>Alpha story.</p></body></html>")
    (saved / "a.json").write_text(
        json.dumps(
            {
                "url": "https://news.example.org/alpha?utm_source=x",
                "outlet": "Example News",
                "title": "Alpha",
                "published_at": "2026-03-02T09:30:00+02:00",
                "language": "en",
            }
        )
    )
    (saved / "b.txt").write_bytes("Plain text story with a café.\n".encode())
    (saved / "c.htm").write_text("<html><body><p>Gamma.</p></body></html>")
    (saved / "c.json").write_text("{not json")
    (saved / "d.html").write_text("<html><body><p>Delta.</p></body></html>")
    (saved / "d.json").write_text(json.dumps({"published_at": "last Tuesday"}))
    (saved / "older" / "e.html").write_text("<html><body><p>Alpha story.</p></body></html>")
    (saved / "notes.md").write_text("not an article")
    (saved / "photo.png").write_bytes(b"\x89PNG")

    stage = scrape(
        warehouse, fast_settings, {"name": "Saved", "kind": "directory", "path": str(saved)}
    )
    summary = stage.result.summaries[0]
    assert (summary.discovered, summary.fetched, summary.errors, summary.duplicates) == (5, 2, 2, 1)

    fetches = {
        r["url"].rsplit("/", 1)[-1]: r
        for r in rows(warehouse, "select * from raw.fetches where url_kind = 'article'")
    }
    alpha = fetches["alpha?utm_source=x"]
    assert alpha["outcome"] == "fetched"
    assert alpha["canonical_url"] == "https://news.example.org/alpha"
    assert fetches["b.txt"]["outcome"] == "fetched"
    assert fetches["b.txt"]["content_type"] == "text/plain"
    assert fetches["b.txt"]["url"] == (saved / "b.txt").resolve().as_uri()
    assert fetches["c.htm"]["outcome"] == "error"
    assert "c.json is not valid JSON" in fetches["c.htm"]["error"]
    assert fetches["d.html"]["outcome"] == "error"
    assert "'last Tuesday' is not ISO 8601" in fetches["d.html"]["error"]
    assert fetches["e.html"]["outcome"] == "duplicate"  # same bytes as a.html

    page = rows(warehouse, "select * from raw.pages where url like 'https://%'")[0]
    assert page["hint_outlet"] == "Example News"
    assert page["hint_title"] == "Alpha"
    assert page["hint_language"] == "en"
    assert page["hint_published_at"].isoformat().startswith("2026-03-02T07:30:00")
    assert page["outlet_name"] == "Saved"
    text = warehouse.archive.get(
        rows(warehouse, "select content_hash from raw.pages where url like 'file:%'")[0][
            "content_hash"
        ]
    )
    assert text.decode("utf-8") == "Plain text story with a café.\n"

    # The same night again: unchanged files are not_modified; nothing is duplicated.
    scrape(warehouse, fast_settings, {"name": "Saved", "kind": "directory", "path": str(saved)})
    outcomes = rows(
        warehouse,
        "select outcome, count(*) as n from raw.fetches "
        "where url_kind = 'article' group by 1 order by 1",
    )
    assert outcomes == [
        {"outcome": "duplicate", "n": 1},
        {"outcome": "error", "n": 2},
        {"outcome": "not_modified", "n": 2},
    ]


def test_missing_directory_is_reported_not_fatal(tmp_path, fast_settings, warehouse):
    stage = scrape(
        warehouse,
        fast_settings,
        {"name": "Gone", "kind": "directory", "path": str(tmp_path / "nope")},
    )
    assert stage.result.summaries[0].discovery_errors == [
        f"directory not found: {tmp_path / 'nope'}"
    ]
