"""The morning brief of the demo night, in a real browser (Chromium through Playwright), opened
from disk: offline, without errors, every corroborated and contested claim with its status and
reason, working filters, drawn charts. Expected values are SQL over the published marts."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import lxml.html
import pytest
from playwright.sync_api import sync_playwright

from orchestration.brief import queries
from tests.e2e.conftest import DEMO_NIGHT, newsclaims
from tests.support.browser import PageLog, find_chromium, launch

LABELS = {
    "corroborated": "Corroborated",
    "contested": "Contested",
    "denied": "Denied",
    "single_source": "Single source",
    "unattributed": "Unattributed",
}


def published(demo_runs, sql: str, params=None) -> list[dict]:
    db = demo_runs.warehouse.published_dir / "newsclaims.duckdb"
    with duckdb.connect(str(db), read_only=True) as con:
        cur = con.execute(sql, params or [])
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


@pytest.fixture(scope="module")
def page_path(demo_runs) -> Path:
    return demo_runs.warehouse.published_dir / "brief" / "index.html"


@pytest.fixture(scope="module")
def browser():
    executable = find_chromium()
    if executable is None:
        pytest.skip(
            "no Chromium found: apt-get install chromium (Debian), or set NEWSCLAIMS_CHROMIUM "
            "to a Chromium or Chrome executable"
        )
    with sync_playwright() as p:
        b = launch(p, executable)
        yield b
        b.close()


def open_page(browser, path: Path, **context_options):
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **context_options})
    page = context.new_page()
    log = PageLog().attach(page)
    page.goto(path.as_uri(), wait_until="load")
    if context_options.get("java_script_enabled", True):
        page.evaluate("window.briefChartsDone")  # every chart drawn (or failed)
    return context, page, log


@pytest.fixture(scope="module")
def loaded(browser, page_path):
    """One load of the page for the tests that only read it."""
    context, page, log = open_page(browser, page_path)
    yield page, log
    context.close()


def card_ids(page, visible_only: bool = False) -> list[str]:
    selector = ".card[data-claim-id]" + (":not([hidden])" if visible_only else "")
    return page.eval_on_selector_all(selector, "els => els.map(e => e.dataset.claimId)")


# -- the page and its publish --------------------------------------------------------------------


def test_the_publish_wrote_one_self_contained_page(demo_runs, page_path):
    manifest = json.loads((demo_runs.warehouse.published_dir / "manifest.json").read_text())
    assert manifest["brief"]["path"] == "brief/index.html"
    assert manifest["brief"]["night"] == DEMO_NIGHT
    html = page_path.read_text(encoding="utf-8")
    assert len(html.encode()) == manifest["brief"]["bytes"] < 2_500_000
    doc = lxml.html.fromstring(html)
    assert manifest["brief"]["claim_cards"] == len(doc.xpath("//article[@data-claim-id]"))
    # nothing to fetch: no element loads a file, a style sheet or a font from anywhere
    assert doc.xpath("//*[@src]") == [] and doc.xpath("//link") == []
    styles = " ".join(s.text_content() for s in doc.xpath("//style"))
    assert "url(" not in styles and "@import" not in styles
    # one Vega bundle, inlined once for every chart
    scripts = [s.text_content() for s in doc.xpath("//script[not(@type)]")]
    assert len(scripts) == 2  # the Vega bundle, then the brief's own script
    assert sum("vegaEmbed" in s and len(s) > 100_000 for s in scripts) == 1
    specs = json.loads(doc.xpath("//script[@id='brief-charts']")[0].text_content())
    assert len(specs) == manifest["brief"]["charts"] == len(doc.xpath("//*[@data-chart]"))


def test_newsclaims_brief_prints_the_path_and_opens_it(demo_runs, page_path, tmp_path):
    result = newsclaims("brief", "--warehouse", str(demo_runs.warehouse.root))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(page_path)
    assert DEMO_NIGHT in result.stderr
    opened = tmp_path / "opened.txt"
    browser = f"{sys.executable} -c \"import sys, pathlib; pathlib.Path('{opened}').write_text(sys.argv[1])\" %s"
    result = newsclaims(
        "brief", "--warehouse", str(demo_runs.warehouse.root), "--open", env={"BROWSER": browser}
    )
    assert result.returncode == 0, result.stderr
    assert opened.read_text() == page_path.resolve().as_uri()
    missing = newsclaims("brief", "--warehouse", str(tmp_path / "empty"))
    assert missing.returncode == 1 and "no brief" in missing.stderr


def test_the_nightly_job_materializes_the_brief_asset_after_the_marts(demo_runs):
    from orchestration.cli import _dagster_instance
    from orchestration.definitions import defs

    brief, marts = dg.AssetKey(["published", "brief"]), dg.AssetKey(["published", "marts"])
    assert defs.resolve_asset_graph().get(brief).parent_keys == {marts}
    with _dagster_instance(demo_runs.warehouse.root) as instance:
        records = instance.fetch_materializations(brief, limit=10).records
        marts_records = instance.fetch_materializations(marts, limit=10).records
    # one publish: the second run found the night unchanged and skipped validation and publish
    manifest = json.loads((demo_runs.warehouse.published_dir / "manifest.json").read_text())
    assert [r.run_id for r in records] == [r.run_id for r in marts_records] == [manifest["run_id"]]
    metadata = records[0].asset_materialization.metadata
    assert metadata["claim_cards"].value == manifest["brief"]["claim_cards"] > 0
    assert metadata["charts"].value == manifest["brief"]["charts"] > 0
    assert metadata["path"].value.endswith("published/brief/index.html")


# -- the queries on the demo marts ----------------------------------------------------------------


def test_status_changes_match_the_status_on_each_night_and_the_one_before(demo_runs):
    """The page's changes (intervals starting on the night with another status than the one
    before) are the claims whose status as of night D differs from their status as of D - 1,
    on every night of the demo."""
    db = demo_runs.warehouse.published_dir / "newsclaims.duckdb"
    with queries.open_marts(db) as con:
        assert queries.night_of_marts(con) == date.fromisoformat(DEMO_NIGHT)
        for day in range(3, 9):
            night = date(2026, 3, day)
            found = {(r["claim_id"], r["status"]) for r in queries.status_changes(con, night)}
            expected = {
                (r["claim_id"], r["status"])
                for r in published(
                    demo_runs,
                    """
                    select today.claim_id, today.status
                    from marts.claim_status_history as today
                    left join marts.claim_status_history as before
                      on before.claim_id = today.claim_id
                     and $night - 1 between before.valid_from and before.valid_to
                    where $night between today.valid_from and today.valid_to
                      and today.status in ('corroborated', 'contested', 'denied')
                      and before.status is distinct from today.status""",
                    {"night": night},
                )
            }
            assert found == expected, night
        assert any(queries.status_changes(con, date(2026, 3, d)) for d in range(3, 9))


def test_the_cards_are_every_key_claim_then_the_widest_others(demo_runs):
    db = demo_runs.warehouse.published_dir / "newsclaims.duckdb"
    with queries.open_marts(db) as con:
        cards = queries.select_cards(con)
        quantities = queries.card_quantities(con)
    statuses = {
        r["claim_id"]: r
        for r in published(
            demo_runs,
            "select c.claim_id, c.status, c.n_outlets, c.n_independent_reports, k.n_mentions "
            "from marts.corroboration as c join marts.claims as k using (claim_id)",
        )
    }
    key = {i for i, r in statuses.items() if r["status"] in ("corroborated", "contested")}
    ids = [c["claim_id"] for c in cards]
    assert set(ids[: len(key)]) == key and len(ids) == len(set(ids))
    others = [statuses[i] for i in ids[len(key) :]]
    assert 0 < len(others) <= queries.MAX_OTHER_CARDS
    assert all(o["n_mentions"] >= queries.MIN_MENTIONS_OTHER for o in others)
    reach = [(o["n_outlets"], o["n_independent_reports"], o["n_mentions"]) for o in others]
    assert reach == sorted(reach, reverse=True)
    left_out = [
        (r["n_outlets"], r["n_independent_reports"], r["n_mentions"])
        for i, r in statuses.items()
        if i not in ids and r["n_mentions"] >= queries.MIN_MENTIONS_OTHER
    ]
    assert not left_out or max(left_out) <= min(reach)
    # the numbers charted: every supporting mention of a card's claim that gives one
    n = published(
        demo_runs,
        "select count(*) as n from marts.claim_mentions where stance = 'supports' "
        "and quantity_unit is not null and claim_id in (select unnest(?)) "
        "and coalesce(quantity_value, quantity_low, quantity_high) is not null",
        [ids],
    )[0]["n"]
    assert len(quantities) == n > 0


# -- in the browser -------------------------------------------------------------------------------


def test_the_page_loads_from_disk_offline_without_errors(loaded):
    page, log = loaded
    assert log.errors == [] and log.console_errors == []
    assert log.requests, "the page load was recorded"
    assert log.foreign_requests == []
    assert page.title().startswith("Morning brief")
    assert page.locator("h1").inner_text().startswith("The night of Sunday 8 March 2026")
    headings = page.eval_on_selector_all("h2", "els => els.map(e => e.textContent.trim())")
    assert headings == [
        "The night at a glance",
        "Claims that matter",
        "Status over time",
        "Sources: the track record",
        "Outlets",
    ]


def test_every_corroborated_and_contested_claim_is_shown_with_its_status_and_reason(
    demo_runs, loaded
):
    page, _ = loaded
    expected = published(
        demo_runs,
        """
        select c.claim_id, c.status, c.status_reason, k.canonical_text
        from marts.corroboration as c join marts.claims as k using (claim_id)
        where c.status in ('corroborated', 'contested')""",
    )
    assert {r["status"] for r in expected} == {"corroborated", "contested"}
    for row in expected:
        card = page.locator(f"#claim-{row['claim_id']}")
        assert card.is_visible(), row["canonical_text"]
        assert card.locator(".status-line .badge").inner_text() == LABELS[row["status"]]
        assert card.locator("h3").inner_text() == row["canonical_text"]
        assert card.locator(".reason").text_content() == f"Why: {row['status_reason']}"
    # they come first, before any other status
    ids = card_ids(page)
    assert set(ids[: len(expected)]) == {r["claim_id"] for r in expected}


def test_the_night_at_a_glance_gives_the_marts_counts(demo_runs, loaded):
    page, _ = loaded
    counts = {
        r["status"]: r["n"]
        for r in published(
            demo_runs, "select status, count(*) as n from marts.corroboration group by all"
        )
    }
    shown = page.eval_on_selector_all(
        ".status-counts tbody tr",
        "rows => rows.map(r => [r.querySelector('.badge').dataset.statusLabel,"
        " r.querySelector('td').textContent.trim()])",
    )
    assert {s: int(n.replace(",", "")) for s, n in shown} == {s: counts.get(s, 0) for s in LABELS}
    n_articles = published(demo_runs, "select count(*) as n from marts.articles")[0]["n"]
    stats = page.locator(".stats").inner_text()
    assert f"Articles read, all nights\n{n_articles}" in stats
    # status changes on the night: from the history's intervals, by another route than the page
    became = published(
        demo_runs,
        """
        select today.claim_id, today.status
        from marts.claim_status_history as today
        left join marts.claim_status_history as before
          on before.claim_id = today.claim_id
         and date '2026-03-07' between before.valid_from and before.valid_to
        where date '2026-03-08' between today.valid_from and today.valid_to
          and today.status in ('corroborated', 'contested', 'denied')
          and before.status is distinct from today.status""",
    )
    listed = page.eval_on_selector_all(
        ".change-group li[data-claim-id]", "els => els.map(e => e.dataset.claimId)"
    )
    new = published(
        demo_runs,
        "select claim_id from marts.claim_status_history group by 1 having min(valid_from) = date '2026-03-08'",
    )
    new_ids = {r["claim_id"] for r in new}
    assert {r["claim_id"] for r in became} <= set(listed)
    assert set(listed) <= {r["claim_id"] for r in became} | new_ids


def test_the_filters_narrow_the_claims(demo_runs, browser, page_path):
    context, page, log = open_page(browser, page_path)
    try:
        ids = card_ids(page)
        shown = page.locator("#claims-shown")
        assert shown.inner_text() == f"Showing {len(ids)} of {len(ids)} claims"
        info = {
            r["claim_id"]: r
            for r in published(
                demo_runs,
                """
                select c.claim_id, c.status, k.canonical_text,
                       string_split(coalesce(c.supporting_affiliations, ''), ', ')
                       || string_split(coalesce(c.disputing_affiliations, ''), ', ') as affiliations,
                       coalesce(list(distinct s.name) filter (where s.name is not null), [])
                           as sources,
                       list(distinct lower(m.claim_text)) as wordings
                from marts.corroboration as c
                join marts.claims as k using (claim_id)
                join marts.claim_mentions as m using (claim_id)
                left join marts.sources as s on s.source_id = m.source_id
                group by all""",
            )
        }
        # status: only the contested ones
        for box in page.locator("input[name=status]").all():
            if box.get_attribute("value") != "contested":
                box.uncheck()
        contested = {i for i in ids if info[i]["status"] == "contested"}
        assert set(card_ids(page, visible_only=True)) == contested and contested
        assert shown.inner_text() == f"Showing {len(contested)} of {len(ids)} claims"
        page.get_by_role("button", name="Show all").click()
        assert set(card_ids(page, visible_only=True)) == set(ids)
        # text: words of one claim's canonical text
        words = info[ids[0]]["canonical_text"].lower().split()[:3]
        page.get_by_label("Text").fill(" ".join(words))
        expected = {
            i
            for i in ids
            if all(
                w in " ".join([info[i]["canonical_text"].lower(), *info[i]["wordings"]])
                for w in words
            )
        }
        assert ids[0] in expected
        assert set(card_ids(page, visible_only=True)) == expected
        page.get_by_label("Text").fill("no claim says this zzzz")
        assert card_ids(page, visible_only=True) == []
        assert page.locator("#claims-none").is_visible()
        page.get_by_role("button", name="Show all").click()
        # affiliation
        page.get_by_label("Affiliation", exact=True).first.select_option("XK")
        expected = {i for i in ids if "XK" in info[i]["affiliations"]}
        assert set(card_ids(page, visible_only=True)) == expected and expected
        page.get_by_role("button", name="Show all").click()
        # source: one who speaks in several claims
        page.locator("#filter-source").select_option("Lidia Marchetti")
        expected = {i for i in ids if "Lidia Marchetti" in info[i]["sources"]}
        assert set(card_ids(page, visible_only=True)) == expected and len(expected) > 1
        # the sources table has its own filter
        page.locator("#source-affiliation").select_option("XK")
        rows = page.locator("#track-record tbody tr:not([hidden])")
        n_xk = published(
            demo_runs,
            "select count(*) as n from marts.sources where n_claims > 0 and affiliation = 'XK'",
        )[0]["n"]
        assert rows.count() == n_xk > 0
        assert all(r.get_attribute("data-affiliation") == "XK" for r in rows.all())
        assert log.errors == [] and log.console_errors == []
    finally:
        context.close()


def test_the_charts_are_drawn_from_the_marts(demo_runs, loaded):
    page, _ = loaded
    charts = page.eval_on_selector_all(
        "[data-chart]", "els => els.map(e => [e.dataset.chart, e.dataset.rendered])"
    )
    assert charts and all(state == "true" for _, state in charts), charts
    assert {"status-over-time", "articles-per-night"} <= {name for name, _ in charts}
    ids = card_ids(page)
    intervals = published(
        demo_runs,
        "select count(*) as n from marts.claim_status_history where claim_id in (select unnest(?))",
        [ids],
    )[0]["n"]
    bars = page.locator('[data-chart="status-over-time"] svg g.mark-rect.role-mark path')
    assert bars.count() == intervals
    # a chart of numbers: one dot per supporting mention giving a value
    numbered = published(
        demo_runs,
        """
        select claim_id, count(*) as n from marts.claim_mentions
        where stance = 'supports' and quantity_unit is not null and quantity_value is not null
          and claim_id in (select unnest(?))
        group by all""",
        [ids],
    )
    assert numbered
    for row in numbered:
        dots = page.locator(
            f'[data-chart="numbers-{row["claim_id"]}"] svg g.mark-symbol.role-mark path'
        )
        assert dots.count() == row["n"], row
    articles = published(demo_runs, "select count(*) as n from marts.articles")[0]["n"]
    segments = page.locator('[data-chart="articles-per-night"] svg g.mark-rect.role-mark path')
    per_night_outlet = published(
        demo_runs,
        "select count(distinct (cast(coalesce(published_at, fetched_at) as date), outlet_id)) as n from marts.articles",
    )[0]["n"]
    assert segments.count() == per_night_outlet and articles > 0


def test_without_javascript_the_claims_are_all_there(demo_runs, browser, page_path):
    context, page, _ = open_page(browser, page_path, java_script_enabled=False)
    try:
        n = published(
            demo_runs,
            "select count(*) as n from marts.corroboration where status in ('corroborated', 'contested')",
        )[0]["n"]
        assert page.locator(".card").count() >= n
        assert not page.locator("#claim-filters").is_visible()  # no filters that cannot work
    finally:
        context.close()


def test_it_fits_a_phone_and_prints_without_the_controls(browser, page_path):
    context, page, log = open_page(browser, page_path, viewport={"width": 390, "height": 844})
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width}px wide on a 390px screen"
        too_wide = page.evaluate(
            """Array.from(document.querySelectorAll('[data-chart]'))
                .filter(e => e.querySelector('svg').getBoundingClientRect().width
                             > e.getBoundingClientRect().width + 1)
                .map(e => e.dataset.chart)"""
        )
        assert too_wide == []  # every chart drawn to the width of the phone
        assert page.locator("#claim-filters").is_visible()
        folded = page.locator(".card details.wordings ul").first
        assert not folded.is_visible()
        page.emulate_media(media="print")
        assert not page.locator("#claim-filters").is_visible()
        assert folded.is_visible()  # on paper the folded lists and tables are unfolded
        assert not page.locator(".masthead nav").is_visible()
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
        assert log.errors == []
    finally:
        context.close()
