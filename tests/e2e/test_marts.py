"""The dbt marts on the demo warehouse: gold storyline outcomes night by night, syndication,
numbers, and the README's example SQL."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from orchestration.defs.dbt_project import DBT_PROJECT_DIR, dbt_env, dbt_executable
from orchestration.warehouse import Warehouse
from tests.conftest import rows

GOLD = Path(__file__).parents[2] / "orchestration" / "demo_site" / "gold"
README = Path(__file__).parents[2] / "README.md"
# Share of (claim, night) pairs whose status matches the gold; measured 0.958 on 2026-11-30
# (0.654 before claims were told apart from requests and pledges, stance was made relative to
# the claim and outlet statements were taken clause by clause).
STATUS_ACCURACY_FLOOR = 0.94


def _gold():
    articles, claims = {}, {}
    for f in sorted(GOLD.glob("*.yml")):
        g = yaml.safe_load(f.read_text(encoding="utf-8"))
        articles.update({a["path"]: a for a in g["articles"]})
        claims.update(g["claims"])
    return articles, claims


def _claims_by_key(wh: Warehouse) -> dict[str, str]:
    """Each gold claim key -> the warehouse claim holding most of its gold mentions."""
    articles, _claims = _gold()
    found = rows(
        wh,
        """
        select m.claim_id, m.char_start, m.char_end, a.canonical_url, r.text
        from marts.claim_mentions as m
        join marts.articles as a using (article_id)
        join raw.articles as r on r.article_id = m.article_id
        qualify row_number() over (partition by m.mention_id order by r.night desc) = 1
    """,
    )
    by_path: dict[str, list[dict]] = {}
    for r in found:
        by_path.setdefault(re.sub(r"^https?://[^/]+", "", r["canonical_url"]), []).append(r)
    votes: dict[str, Counter] = {}
    for path, mentions in by_path.items():
        text = mentions[0]["text"]
        for claim in articles[path]["claims"]:
            i = text.find(claim["text"])
            if i < 0:
                continue
            start, end = i, i + len(claim["text"])

            def dice(m, start=start, end=end):
                overlap = max(0, min(end, m["char_end"]) - max(start, m["char_start"]))
                return 2 * overlap / ((end - start) + (m["char_end"] - m["char_start"]))

            # the mention that matches the gold span best, by the extraction scorer's measure
            best = max(mentions, key=dice)
            if dice(best) >= 0.5:
                votes.setdefault(claim["claim_key"], Counter())[best["claim_id"]] += 1
    # a key split evenly over claims goes to the claim first seen (the gold's nights start
    # from the first report), then by id, so the choice doesn't depend on row order
    first_seen = {
        r["claim_id"]: r["first_seen_at"]
        for r in rows(wh, "select claim_id, first_seen_at from marts.claims")
    }
    return {
        key: min(c, key=lambda cid, c=c: (-c[cid], first_seen[cid], cid))
        for key, c in votes.items()
    }


@pytest.fixture(scope="module")
def history(demo_runs):
    """The gold claim keys, and each (claim, night) -> the history interval holding that night."""
    wh = demo_runs.warehouse
    by_key = _claims_by_key(wh)
    hist = {}
    for r in rows(wh, "select * from marts.claim_status_history"):
        night = r["valid_from"]
        while night <= r["valid_to"]:
            assert (r["claim_id"], str(night)) not in hist  # intervals never overlap
            hist[(r["claim_id"], str(night))] = r
            night += timedelta(days=1)
    return by_key, hist


# Each storyline's outcome: the claims whose status changes over the week, or that are only
# denied, must match the gold on every night, status and reported range alike.
STORYLINE_OUTCOMES = [
    "border.troops_crossed",  # single_source (Valdoria only) -> corroborated (NIS, via the
    # wire and its two reprints, one report) -> contested (Kestrania denies); 7,500-9,000
    "grain.tonnes_stuck",  # single_source -> corroborated (WFP) -> contested ("exaggerating");
    # 2.5m, then 2.3m-2.5m, then 1.8m-2.5m
    "grain.ships_waiting",  # "40 ships" and "38 vessels" one claim; corroborated by the ICMS
    "grain.kestrania_blockade",  # denied: only Kestrania's denials, no support
    "grain.port_mined",  # denied -> contested once Valdoria accuses
    "grid.kestranian_hackers",  # single_source -> contested
    "grid.substations_offline",  # single_source -> corroborated (GridSec Labs, Norland)
]


@pytest.mark.parametrize("key", STORYLINE_OUTCOMES)
def test_storyline_outcome_night_by_night(history, key):
    by_key, hist = history
    claim = by_key[key]
    _articles, claims = _gold()
    for night, expected in claims[key]["expected"].items():
        got = hist[(claim, str(night))]
        assert got["status"] == expected["status"], (night, got["status_reason"])
        assert (got["quantity_min"], got["quantity_max"]) == (
            expected["quantity_min"],
            expected["quantity_max"],
        ), night


def test_status_accuracy_over_all_gold_claims(history):
    by_key, hist = history
    _articles, claims = _gold()
    total = right = 0
    for key, spec in claims.items():
        for night, expected in spec["expected"].items():
            total += 1
            got = hist.get((by_key.get(key), str(night)))
            right += bool(got and got["status"] == expected["status"])
    accuracy = right / total
    print(f"\nstatus accuracy over {total} (claim, night) pairs: {accuracy:.3f}")
    assert accuracy >= STATUS_ACCURACY_FLOOR


def test_wire_story_and_its_reprints_are_one_report(demo_runs):
    wh = demo_runs.warehouse
    group = rows(
        wh,
        """
        select syndication_group_id, count(*) as n, count(*) filter (where is_syndicated_copy)
            as copies, string_agg(distinct outlet_id, ',') as outlets
        from marts.articles group by 1 having count(*) > 1
    """,
    )
    assert len(group) == 1 and group[0]["n"] == 3 and group[0]["copies"] == 2
    original = rows(
        wh,
        "select canonical_url from marts.articles where article_id = ?",
        [group[0]["syndication_group_id"]],
    )
    assert "/cpa/wire/" in original[0]["canonical_url"]
    # The main claim counts the wire story and its two reprints as one independent report.
    claim = rows(
        wh,
        """
        select c.claim_id, c.n_independent_reports
        from marts.corroboration as c join marts.claim_mentions as m using (claim_id)
        where m.claim_text like 'As many as 9,000 Kestranian troops have crossed%'
        limit 1
    """,
    )[0]
    articles = rows(
        wh,
        """
        select count(distinct article_id) as n_articles,
               count(distinct syndication_group_id) as n_groups
        from marts.claim_mentions where claim_id = ? and stance = 'supports'
    """,
        [claim["claim_id"]],
    )[0]
    assert claim["n_independent_reports"] == articles["n_groups"]
    assert claim["n_independent_reports"] <= articles["n_articles"] - 2


def _build_copy_as_of(demo_runs, tmp_path, night: str) -> Warehouse:
    """dbt build for `night` on a copy of the demo warehouse."""
    copy = tmp_path / "wh"
    copy.mkdir()
    shutil.copy(demo_runs.warehouse.db_path, copy / "newsclaims.duckdb")
    result = subprocess.run(
        [
            dbt_executable(),
            "build",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--vars",
            f'{{"as_of_date": "{night}"}}',
            "--exclude",
            "test_type:unit",
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
        ],
        capture_output=True,
        text=True,
        env=dbt_env(copy),
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    return Warehouse(copy)


MAIN_CLAIM = "k.canonical_text like '%8,000 Kestranian troops%crossed%'"


def test_building_an_earlier_night_replays_history(demo_runs, tmp_path):
    """dbt build for 2026-03-03 on a copy of the warehouse: the main claim is one side's word,
    as the README's "status as of night D" query on the history built on 2026-03-08 says."""
    wh = _build_copy_as_of(demo_runs, tmp_path, "2026-03-03")
    claims = rows(
        wh,
        f"""
        select c.status, c.as_of_date, c.quantity_min, c.quantity_max
        from marts.corroboration as c join marts.claims as k using (claim_id)
        where {MAIN_CLAIM}
    """,
    )
    assert claims and claims[0]["status"] == "single_source"
    assert str(claims[0]["as_of_date"]) == "2026-03-03"
    assert (claims[0]["quantity_min"], claims[0]["quantity_max"]) == (7500, 8000)
    latest = rows(wh, "select max(published_at) as p from marts.articles")[0]["p"]
    assert latest.date().isoformat() <= "2026-03-03"

    (as_of_query,) = [q for q in _readme_queries() if "between h.valid_from and h.valid_to" in q]
    assert "date '2026-03-03'" in as_of_query
    replayed = rows(
        demo_runs.warehouse,
        f"select * from ({as_of_query.rstrip().rstrip(';')}) as k where {MAIN_CLAIM}",
    )
    assert [(r["status"], r["quantity_min"], r["quantity_max"]) for r in replayed] == [
        (claims[0]["status"], claims[0]["quantity_min"], claims[0]["quantity_max"])
    ]


TRACKED = (
    "status",
    "status_reason",
    "n_supporting_affiliations",
    "n_disputing_affiliations",
    "quantity_min",
    "quantity_max",
)


def test_status_history_has_one_row_per_change(demo_runs):
    """Each claim's intervals start on the night of its first mention, follow on night after
    night (no overlap, no gap), each differs from the one before in some tracked column, and
    the last, current one ends on the night built with corroboration's state."""
    wh = demo_runs.warehouse
    history = rows(wh, "select * from marts.claim_status_history order by claim_id, valid_from")
    first_nights = {
        r["claim_id"]: r["night"]
        for r in rows(
            wh,
            "select claim_id, min(cast(timezone('UTC', published_at) as date)) as night "
            "from marts.claim_mentions group by claim_id",
        )
    }
    current = {r["claim_id"]: r for r in rows(wh, "select * from marts.corroboration")}
    built = date.fromisoformat("2026-03-08")
    by_claim: dict[str, list[dict]] = {}
    for r in history:
        by_claim.setdefault(r["claim_id"], []).append(r)
    assert set(by_claim) == set(current)
    for claim_id, intervals in by_claim.items():
        assert intervals[0]["valid_from"] == first_nights[claim_id]
        for before, after in zip(intervals, intervals[1:], strict=False):
            assert before["valid_from"] <= before["valid_to"]
            assert after["valid_from"] == before["valid_to"] + timedelta(days=1)
            assert any(before[c] != after[c] for c in TRACKED), (claim_id, after["valid_from"])
            assert not before["is_current"]
        last = intervals[-1]
        assert last["is_current"] and last["valid_to"] == built
        assert current[claim_id]["as_of_date"] == built
        assert {c: last[c] for c in TRACKED} == {c: current[claim_id][c] for c in TRACKED}
    # far fewer rows than claims x nights (one row per claim per night before)
    nights = sum((i[-1]["valid_to"] - i[0]["valid_from"]).days + 1 for i in by_claim.values())
    assert len(history) < nights / 2


def test_a_later_night_without_news_adds_no_history_rows(demo_runs, tmp_path):
    """dbt build for 2026-03-12 on a copy (nothing published after 2026-03-08): the same
    intervals, the current ones now ending on 2026-03-12."""
    before = rows(demo_runs.warehouse, "select * from marts.claim_status_history order by all")
    wh = _build_copy_as_of(demo_runs, tmp_path, "2026-03-12")
    after = rows(wh, "select * from marts.claim_status_history order by all")
    later = date.fromisoformat("2026-03-12")
    assert after == [{**r, "valid_to": later} if r["is_current"] else r for r in before]
    assert {str(r["as_of_date"]) for r in rows(wh, "select * from marts.corroboration")} == {
        "2026-03-12"
    }


def _readme_queries() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Asking the warehouse", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.S)


def test_readme_example_sql_answers_on_the_demo_warehouse(demo_runs):
    queries = _readme_queries()
    assert len(queries) >= 4
    for sql in queries:
        result = rows(demo_runs.warehouse, sql)
        assert result, sql  # every example returns rows on the demo data


def test_only_assertions_are_claim_mentions(demo_runs):
    wh = demo_runs.warehouse
    acts = {
        r["speech_act"]: r["n"]
        for r in rows(
            wh, "select speech_act, count(*) as n from raw.claim_mentions group by speech_act"
        )
    }
    # the demo's requests, pledges, praise and "declined to confirm" are extracted and kept
    assert acts.get("assertion", 0) > 300
    assert {"directive", "commissive", "evaluative", "withheld"} <= set(acts)
    leaked = rows(
        wh,
        """
        select count(*) as n
        from marts.claim_mentions as m
        join raw.claim_mentions as r using (mention_id)
        where r.speech_act <> 'assertion'
    """,
    )[0]["n"]
    assert leaked == 0
    missing = rows(
        wh,
        """
        select count(*) as n
        from raw.claim_mentions as r
        join raw.articles as a on a.article_id = r.article_id and a.night = r.night
        where r.speech_act = 'assertion' and a.status = 'ok'
          and r.mention_id not in (select mention_id from marts.claim_mentions)
    """,
    )[0]["n"]
    assert missing == 0
