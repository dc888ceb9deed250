"""Parse and extract through Dagster on a folder of saved pages: an English article, a German
one and an empty one. Every page gets an article row with its status; only English text is
extracted; a rerun of the night replaces the rows."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.parse_extract import parse_extract, parse_extract_checks
from orchestration.defs.resources import NewsclaimsSettings
from orchestration.defs.scrape import scrape
from orchestration.warehouse import Warehouse
from tests.conftest import rows

NIGHT = "2026-03-05"
ENGLISH = (
    "<html><head><title>Troops cross border</title></head><body><article><p>Defence Minister "
    "Marek Halloran said on Monday that about 8,000 troops had crossed the border overnight. "
    "\u201cWe will defend every metre of our land,\u201d he told reporters in the capital.</p>"
    "<p>The foreign ministry summoned the ambassador, according to a statement.</p>"
    "</article></body></html>"
)
GERMAN = (
    "<html lang='de'><body><article><p>Der Verteidigungsminister sagte am Montag, dass etwa "
    "8000 Soldaten die Grenze in der Nacht \u00fcberschritten h\u00e4tten und dass die Regierung "
    "ihre Verb\u00fcndeten um Hilfe bitten werde, wie es in einer Erkl\u00e4rung hie\u00df."
    "</p></article></body></html>"
)
EMPTY = "<html><body><nav>Home | World</nav><p>Subscribe now.</p></body></html>"


def test_statuses_extraction_and_rerun(tmp_path):
    saved = tmp_path / "saved"
    saved.mkdir()
    (saved / "en.html").write_text(ENGLISH, encoding="utf-8")
    (saved / "de.html").write_text(GERMAN, encoding="utf-8")
    (saved / "empty.html").write_text(EMPTY, encoding="utf-8")
    sources = tmp_path / "sources.yml"
    sources.write_text(f"sources:\n  - name: Saved\n    kind: directory\n    path: {saved}\n")
    wh = Warehouse(tmp_path / "wh")
    resources = {
        "settings": NewsclaimsSettings(warehouse_dir=str(wh.root), sources_file=str(sources))
    }
    with dg.instance_for_test() as instance:
        for _ in range(2):
            result = dg.materialize(
                [scrape, parse_extract, *parse_extract_checks],
                resources=resources,
                partition_key=NIGHT,
                instance=instance,
            )
            assert result.success
            assert all(c.passed for c in result.get_asset_check_evaluations())
    statuses = {
        r["url"].rsplit("/", 1)[-1]: (r["status"], r["status_reason"])
        for r in rows(wh, "select url, status, status_reason from raw.articles")
    }
    assert statuses["en.html"] == ("ok", None)
    assert statuses["de.html"][0] == "non_english"
    assert "not English" in statuses["de.html"][1]
    assert statuses["empty.html"][0] == "empty"
    mentions = rows(
        wh,
        "select a.url, m.* from raw.claim_mentions m join raw.articles a using (night, article_id)",
    )
    assert mentions and {m["url"].rsplit("/", 1)[-1] for m in mentions} == {"en.html"}
    halloran = [m for m in mentions if m["source_name"] == "Marek Halloran"]
    assert {m["attribution_kind"] for m in halloran} == {"indirect", "direct_quote"}
    crossed = next(m for m in halloran if m["attribution_kind"] == "indirect")
    assert (crossed["quantity_value"], crossed["quantity_unit"]) == (8000, "troops")
    assert crossed["source_role"] == "Defence Minister"
    # the rerun replaced the night's rows
    assert rows(wh, "select count(*) as n from raw.articles")[0]["n"] == 3
    assert (
        rows(wh, "select mention_id from raw.claim_mentions group by 1 having count(*) > 1") == []
    )
