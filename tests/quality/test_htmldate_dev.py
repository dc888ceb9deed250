"""Publication days against htmldate's own evaluation pages, side by side with htmldate.

The scorer is tested on a small corpus made here; a slow test scores the real parse and
htmldate's extensive mode on the 250 pages of htmldate-dev in the same run (skipped where the
corpus is absent; it is read in place, never copied into the repository)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from bench import score_dates as sd

# Floors for the slow test. Set from measured figures (bench/score_dates.py prints them), a
# little under the measurement; they only ever go up. Ours must also be at least htmldate's
# extensive mode on the same pages in the same run, whatever the floors.
# measured 2026-12-02: English 0.921 (76 pages; htmldate 0.908), all 0.904 (htmldate 0.896);
# the parser before htmldate and the publisher's day: English 0.750, all 0.696
ENGLISH_FLOOR = 0.91
ALL_FLOOR = 0.90

# ---------------------------------------------------------------- a small corpus made here

BODY = " ".join(
    ["The minister said on Monday that thousands of troops had crossed the border overnight."] * 4
)
PAGES = {
    # English, dated by OpenGraph
    "https://example.org/world/troops.html": (
        f"""<html lang="en-US"><head><title>Troops</title>
        <meta property="article:published_time" content="2021-03-02T22:30:00-05:00"></head>
        <body><article><h1>Troops</h1><p>{BODY}</p></article></body></html>""",
        "2021-03-02",
    ),
    # German, dated only in a German byline (htmldate's formats)
    "https://example.de/politik/truppen": (
        """<html lang="de"><head><title>Truppen</title></head><body><article>
        <p class="datum">4. März 2021</p><p>"""
        + "Der Minister sagte am Montag, Tausende Soldaten hätten die Grenze überquert. " * 4
        + "</p></article></body></html>",
        "2021-03-04",
    ),
    # English, no language declared, no date anywhere: the right answer is none
    "https://example.com/about": (
        f"<html><head><title>About us</title></head><body><p>{BODY}</p></body></html>",
        None,
    ),
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "pages").mkdir()
    gold = {}
    for n, (url, (html, day)) in enumerate(PAGES.items()):
        name = f"pages/p{n}.html.gz"
        (tmp_path / name).write_bytes(gzip.compress(html.encode("utf-8")))
        gold[url] = {"file": name, "date": day, "set": "made-here"}
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    return tmp_path


def test_score_a_small_corpus(corpus: Path):
    fig = sd.score_corpus(corpus)
    by_url = {p.url: p for p in fig.pages}
    en, de, about = (by_url[u] for u in PAGES)
    assert (en.is_english, de.is_english, about.is_english) == (True, False, True)
    assert en.english_rule.startswith("whole page detected en (")
    assert de.english_rule.startswith("whole page detected de (")
    # the publisher's day, not the UTC day (2021-03-03 03:30 UTC)
    assert (en.ours, en.ours_source) == ("2021-03-02", "opengraph")
    assert (de.ours, de.ours_source, de.status) == ("2021-03-04", "htmldate", "non_english")
    assert about.ours is None and about.gold is None
    assert fig.accuracy("ours") == 1.0
    assert fig.accuracy("ours", english=True) == 1.0
    assert fig.refused_english() == []
    d = fig.as_dict()
    assert (d["pages"], d["english_pages"]) == (3, 2)
    assert set(d) >= {"all_ours", "all_htmldate", "english_ours", "english_htmldate"}


def test_accuracy_counts_a_wrong_day_and_a_missed_day(corpus: Path):
    fig = sd.score_corpus(corpus)
    fig.pages[0].ours = "2021-03-03"  # the UTC day: wrong
    fig.pages[1].ours = None  # nothing found: wrong
    assert fig.accuracy("ours") == pytest.approx(1 / 3)
    assert fig.accuracy("ours", english=True) == pytest.approx(1 / 2)
    fig.pages[0].status = "non_english"
    assert [p.url for p in fig.refused_english()] == [fig.pages[0].url]
    assert "refused as non_english: 1" in sd.format_report(fig)


def test_default_corpus_dir_env_override(monkeypatch, tmp_path: Path):
    monkeypatch.setenv(sd.CORPUS_ENV_VAR, str(tmp_path))
    assert sd.default_corpus_dir() == tmp_path
    monkeypatch.delenv(sd.CORPUS_ENV_VAR)
    assert sd.default_corpus_dir() == (sd.REPO_ROOT / ".." / "shared" / "corpora" /
                                       "htmldate-dev").resolve()  # fmt: skip


def test_cli_skips_cleanly_without_corpus(monkeypatch, tmp_path: Path, capsys):
    monkeypatch.setattr(sd, "default_corpus_dir", lambda: tmp_path / "absent")
    monkeypatch.delenv(sd.CORPUS_ENV_VAR, raising=False)
    assert sd.main([]) == 0
    assert "skipped" in capsys.readouterr().err
    assert sd.main(["--corpus", str(tmp_path / "absent")]) == 2


def test_cli_json_output(corpus: Path, tmp_path: Path, capsys):
    out = tmp_path / "figures.json"
    assert sd.main(["--corpus", str(corpus), "--json", str(out), "--misses"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["pages"] == 3 and len(data["per_page"]) == 3
    assert "publication-day accuracy, 3 pages (2 English)" in capsys.readouterr().out


# ---------------------------------------------------------------- the real corpus


@pytest.fixture(scope="module")
def figures():
    corpus_dir = sd.default_corpus_dir()
    if not sd.corpus_available(corpus_dir):
        pytest.skip(
            f"htmldate-dev corpus absent at {corpus_dir} (set {sd.CORPUS_ENV_VAR} to score it)"
        )
    fig = sd.score_corpus(corpus_dir)
    print(f"\nhtmldate-dev, {corpus_dir}:\n{sd.format_report(fig)}")
    return fig


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_publication_days_at_least_htmldate_on_the_same_pages(figures):
    assert len(figures.pages) == 250
    for english in (True, None):
        ours = figures.accuracy("ours", english)
        for reference in ("htmldate", "htmldate_url"):
            theirs = figures.accuracy(reference, english)
            assert ours >= theirs, (english, reference, ours, theirs)
    assert figures.accuracy("ours", english=True) >= ENGLISH_FLOOR
    assert figures.accuracy("ours") >= ALL_FLOOR


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_no_english_page_refused_as_non_english(figures):
    english = figures.subset(True)
    assert len(english) >= 30  # the rule finds the English pages: it is not vacuous
    refused = [(p.url, p.language_reason) for p in figures.refused_english()]
    assert refused == []
