"""`newsclaims parse` and `newsclaims extract` on local files, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.conftest import newsclaims

DEMO = Path(__file__).parents[2] / "orchestration" / "demo_site" / "site"


def test_extract_prints_spans_that_are_the_text_at_their_offsets_on_every_demo_article():
    pages = sorted(p for p in DEMO.rglob("*") if p.suffix in (".html", ".htm"))
    parsed = newsclaims("parse", *map(str, pages))
    assert parsed.returncode == 0, parsed.stderr
    texts = {r["file"]: r["text"] for r in map(json.loads, parsed.stdout.splitlines())}
    assert len(texts) == len(pages) >= 39
    result = newsclaims("extract", *map(str, pages))
    assert result.returncode == 0, result.stderr
    mentions = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(mentions) > 300
    for m in mentions:
        text = texts[m["file"]]
        assert text[m["char_start"] : m["char_end"]] == m["claim_text"]
        if m["source_text"] is not None:
            assert text[m["source_start"] : m["source_end"]] == m["source_text"]
        if m["cue"] is not None:
            assert text[m["cue_start"] : m["cue_end"]] == m["cue"]
    assert {m["attribution_kind"] for m in mentions} == {
        "direct_quote",
        "indirect",
        "according_to",
        "unattributed",
    }


def test_txt_offsets_index_the_file_as_read(tmp_path):
    text = (
        "BRUSSELS (Reuters) - About 8,000 troops have crossed the border, the defence minister\r\n"
        "warned on Monday, according to a statement. “We will defend every metre,” she said.\n\n"
        "Ministry spokesman Piet Janssen said the figure could not be independently verified.\n"
    )
    path = tmp_path / "wire.txt"
    path.write_bytes(text.encode("utf-8"))
    (tmp_path / "wire.json").write_text(
        json.dumps({"url": "https://example.org/wire", "outlet": "Example Wire"})
    )
    result = newsclaims("extract", str(path))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows
    raw = path.read_bytes().decode("utf-8")
    for r in rows:
        assert raw[r["char_start"] : r["char_end"]] == r["claim_text"]
    quantities = [r for r in rows if r["quantity_value"] == 8000]
    assert quantities and quantities[0]["quantity_unit"] == "troops"
    assert quantities[0]["is_quantity_approximate"] is True


def test_parse_table_format_and_bad_files(tmp_path):
    good = tmp_path / "a.html"
    good.write_text(
        "<html><head><title>Hello</title></head><body><p>"
        + "Some words here. " * 20
        + "</p></body></html>"
    )
    bad = tmp_path / "b.txt"
    bad.write_bytes(b"\xff\xfe not utf-8 \xff")
    broken_sidecar = tmp_path / "c.html"
    broken_sidecar.write_text("<html><body><p>x</p></body></html>")
    (tmp_path / "c.json").write_text("{")
    result = newsclaims("parse", "--format", "table", str(good), str(bad), str(broken_sidecar))
    assert result.returncode == 1  # some files failed; the good one was still printed
    assert "title  Hello" in result.stdout
    assert f"{bad}: a .txt file must be UTF-8" in result.stderr
    assert "c.json is not valid JSON" in result.stderr
