"""The bundled demo site is what the foundation issue promises, and its gold matches its pages."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import lxml.html
import pytest
import yaml

DEMO = Path(__file__).parents[2] / "orchestration" / "demo_site"


def gold_files() -> dict[str, dict]:
    return {
        f.stem: yaml.safe_load(f.read_text(encoding="utf-8"))
        for f in sorted((DEMO / "gold").glob("*.yml"))
    }


def articles() -> list[dict]:
    return [a for g in gold_files().values() for a in g["articles"]]


def paragraphs(article: dict) -> list[str]:
    doc = lxml.html.fromstring((DEMO / article["file"]).read_bytes())
    return [p.text_content() for p in doc.iter("p")]


def test_size_and_spread_of_the_demo_world():
    published = [a for a in articles() if a["in_feed"] and not a["robots_disallowed"]]
    assert len(published) >= 36
    assert len({a["outlet"] for a in published}) >= 6
    assert len(gold_files()) >= 3
    days = {str(a["published_at"])[:10] for a in published}
    assert len(days) >= 5
    kinds = Counter(a["kind"] for a in published)
    assert kinds["opinion"] >= 1 and kinds["wire"] >= 1 and kinds["wire_reprint"] >= 2
    assert any(not a["claims"] for a in published)  # an article with no claims at all
    assert {a["date_on_page"] for a in published} >= {
        "json-ld",
        "opengraph",
        "time-tag",
        "url",
        "meta-date",
        "none",
    }


def test_ids_are_unique_and_files_exist():
    ids = [a["id"] for a in articles()]
    assert len(ids) == len(set(ids))
    for a in articles():
        assert (DEMO / a["file"]).is_file(), a["file"]


@pytest.mark.parametrize("article", articles(), ids=lambda a: a["id"])
def test_gold_spans_are_verbatim_in_one_paragraph(article):
    paras = paragraphs(article)
    for claim in article["claims"]:
        spans = [claim["text"]] + [claim[k] for k in ("source_text", "cue") if claim.get(k)]
        assert any(all(s in p for s in spans) for p in paras), (article["id"], claim["text"])


def test_claim_keys_are_declared_with_expected_outcomes():
    for name, g in gold_files().items():
        used = {c["claim_key"] for a in g["articles"] for c in a["claims"]}
        assert used <= set(g["claims"]), (name, used - set(g["claims"]))
        for key, spec in g["claims"].items():
            assert spec["expected"], key
            for night, outcome in spec["expected"].items():
                assert outcome["status"] in {
                    "corroborated",
                    "contested",
                    "single_source",
                    "denied",
                    "unattributed",
                }, (key, night)


def test_wire_reprints_repeat_the_wire_text_verbatim():
    by_id = {a["id"]: a for a in articles()}
    reprints = [a for a in articles() if a["kind"] == "wire_reprint"]
    assert len(reprints) >= 2
    for r in reprints:
        original = [p.strip() for p in paragraphs(by_id[r["reprint_of"]])]
        copy = [p.strip() for p in paragraphs(r)]
        body = [p for p in original if len(p) > 80]
        assert body and all(p in copy for p in body), r["id"]


def test_every_feed_lists_only_pages_that_exist():
    from orchestration.demo_site.server import _resolve

    listed = 0
    for feed in DEMO.glob("site/**/*"):
        if feed.suffix not in (".xml", ".rdf"):
            continue
        text = feed.read_text(encoding="utf-8")
        for path in __import__("re").findall(r"\{\{BASE_URL\}\}(/[^\"<?#\s]+)", text):
            if path.endswith(
                (
                    ".xml",
                    ".rdf",
                    ".gz",
                    "/herald/",
                    "/cpa/",
                    "/aurelia-today/",
                    "/drevnik-daily/",
                    "/observer/",
                    "/maritime-times/",
                )
            ):
                continue
            assert _resolve(path) is not None, (feed.name, path)
            listed += 1
    assert listed >= 38
