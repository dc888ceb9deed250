"""Score publication days against htmldate's own evaluation pages, side by side with htmldate.

Reproduce the figures
---------------------
From the repository root, with the corpus beside the repository (``../shared/corpora/
htmldate-dev``; elsewhere set ``NEWSCLAIMS_HTMLDATE_DIR`` or pass ``--corpus DIR``)::

    .venv/bin/python bench/score_dates.py                  # the figures
    .venv/bin/python bench/score_dates.py --misses         # and every page we get wrong
    .venv/bin/python bench/score_dates.py --json dates.json

The corpus is 250 web pages with their publication day (or null when the page has none) from
the evaluation set of htmldate's test suite; many are not in English. It is read in place and
never copied into the repository; where it is absent the script and the quality test skip.

What is run, on the same pages in the same process
--------------------------------------------------
- **ours**: the parse stage exactly as a night runs it (``orchestration.parse.article.
  parse_page``: the body decoded with the scraper's charset rule, trafilatura, every date
  candidate including htmldate's, the comparer), scored on ``published_date_local`` (the
  publisher's day). The pages have no fetch time: the bound is the time of the run.
- **htmldate**: ``find_date(body, extensive_search=True, original_date=True)``, the call of
  htmldate's own evaluation (the page alone), and the same with the page's URL
  (``url=...``), as our parse gives it.

Scoring, as htmldate's evaluation does: a page is right when the day is exactly the gold day,
or when both the gold and the answer are null. Accuracy is the share of pages right.

Which pages are English
-----------------------
The corpus has no language metadata of its own. A page is English when py3langid finds English
with probability >= 0.9 in the page's whole visible text (title, navigation and body, scripts and
styles removed: not the main text our parse extracts), or when the detector is less sure than
that and the page declares English (``<html lang>``, else ``content-language``, else
``og:locale``: primary subtag ``en``). A declaration alone is not enough: seven pages of the
corpus declare ``en`` or ``en-US`` in a template and are written in German, Spanish or Tagalog
(their titles say so: "Warum Wien zu blöd für eine staufreie Mahü ist", "Pescadores
gestionarán crías de peces", ...), and two declare ``de`` and ``fr`` and are English. Every page
the parse refuses as ``non_english`` among the English pages is listed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

DEFAULT_CORPUS_RELATIVE = Path("..") / "shared" / "corpora" / "htmldate-dev"
CORPUS_ENV_VAR = "NEWSCLAIMS_HTMLDATE_DIR"
ENGLISH_CONFIDENCE = 0.9


def default_corpus_dir() -> Path:
    """``$NEWSCLAIMS_HTMLDATE_DIR`` if set, else ``../shared/corpora/htmldate-dev`` from the
    repository root."""
    env = os.environ.get(CORPUS_ENV_VAR)
    if env:
        return Path(env).expanduser()
    return (REPO_ROOT / DEFAULT_CORPUS_RELATIVE).resolve()


def corpus_available(corpus_dir: Path | str) -> bool:
    return (Path(corpus_dir) / "gold.json").is_file()


@dataclass
class PageResult:
    url: str
    file: str
    gold: str | None
    ours: str | None
    ours_source: str | None
    htmldate: str | None
    htmldate_url: str | None
    declared: str | None
    language: str | None
    language_reason: str | None
    status: str
    is_english: bool
    english_rule: str


@dataclass
class Figures:
    pages: list[PageResult] = field(default_factory=list)
    seconds_ours: float = 0.0
    seconds_htmldate: float = 0.0

    def subset(self, english: bool | None) -> list[PageResult]:
        return [p for p in self.pages if english is None or p.is_english == english]

    def accuracy(self, who: str, english: bool | None = None) -> float:
        pages = self.subset(english)
        if not pages:
            return 0.0
        return sum(getattr(p, who) == p.gold for p in pages) / len(pages)

    def refused_english(self) -> list[PageResult]:
        return [p for p in self.pages if p.is_english and p.status == "non_english"]

    def as_dict(self) -> dict:
        out: dict = {
            "pages": len(self.pages),
            "english_pages": len(self.subset(True)),
            "seconds_ours": round(self.seconds_ours, 2),
            "seconds_htmldate": round(self.seconds_htmldate, 2),
            "refused_english": [p.url for p in self.refused_english()],
        }
        for name, english in (("all", None), ("english", True)):
            for who in ("ours", "htmldate", "htmldate_url"):
                out[f"{name}_{who}"] = round(self.accuracy(who, english), 4)
        return out


def load_gold(corpus_dir: Path | str) -> dict[str, dict]:
    return json.loads((Path(corpus_dir) / "gold.json").read_text(encoding="utf-8"))


def _visible_text(doc) -> str:
    for el in doc.xpath("//script|//style|//noscript|//template"):
        el.drop_tree()
    return " ".join(" ".join(doc.itertext()).split())


def english_rule(body_html: str) -> tuple[bool, str, str | None]:
    """(is English, why, declared primary subtag) by the rule in the module docstring."""
    from orchestration.parse.dates import parse_document
    from orchestration.parse.language import _identifier, declared_language

    doc = parse_document(body_html)
    if doc is None:
        return False, "no document", None
    declared, where = declared_language(doc)
    lang, prob = _identifier().classify(_visible_text(doc)[:20_000])
    detected = f"whole page detected {lang} ({prob:.2f})"
    if prob >= ENGLISH_CONFIDENCE:
        return lang == "en", detected, declared
    return declared == "en", f"{detected}, unsure; {where or 'nothing declared'}", declared


def score_corpus(corpus_dir: Path | str, limit: int | None = None) -> Figures:
    """Run our parse and htmldate on every page of the corpus (the first `limit` in gold
    order, if given) and keep each page's answers."""
    from htmldate import find_date

    from orchestration.parse.article import parse_page
    from orchestration.scrape.content import decode_body, detect_charset

    corpus_dir = Path(corpus_dir)
    gold = load_gold(corpus_dir)
    figures = Figures()
    for n, (url, entry) in enumerate(gold.items()):
        if limit is not None and n >= limit:
            break
        body = gzip.decompress((corpus_dir / entry["file"]).read_bytes())
        charset = detect_charset(body)
        start = time.perf_counter()
        article = parse_page(
            body, charset=charset, content_type="text/html", url=url, fetched_at=None
        )
        figures.seconds_ours += time.perf_counter() - start
        start = time.perf_counter()
        # bytes, never a str: htmldate fetches a string that looks like a URL
        plain = find_date(body, extensive_search=True, original_date=True)
        figures.seconds_htmldate += time.perf_counter() - start
        with_url = find_date(body, extensive_search=True, original_date=True, url=url)
        is_en, why, declared = english_rule(decode_body(body, charset))
        day = article.published_date_local
        figures.pages.append(
            PageResult(
                url=url,
                file=entry["file"],
                gold=entry["date"],
                ours=day.isoformat() if day else None,
                ours_source=article.published_at_source,
                htmldate=plain,
                htmldate_url=with_url,
                declared=declared,
                language=article.language,
                language_reason=article.language_reason,
                status=article.status,
                is_english=is_en,
                english_rule=why,
            )
        )
    return figures


def format_report(fig: Figures) -> str:
    d = fig.as_dict()
    n_all, n_en = d["pages"], d["english_pages"]
    lines = [
        f"publication-day accuracy, {n_all} pages ({n_en} English)",
        f"{'':34}{'English':>10}{'all':>10}",
        f"{'ours (parse stage)':34}{d['english_ours']:>10.3f}{d['all_ours']:>10.3f}",
        f"{'htmldate extensive (page)':34}{d['english_htmldate']:>10.3f}{d['all_htmldate']:>10.3f}",
        f"{'htmldate extensive (page + URL)':34}"
        f"{d['english_htmldate_url']:>10.3f}{d['all_htmldate_url']:>10.3f}",
        f"time: ours {d['seconds_ours']:.1f} s (whole parse), "
        f"htmldate {d['seconds_htmldate']:.1f} s (dates only)",
        f"English pages refused as non_english: {len(d['refused_english'])}",
    ]
    lines += [f"  {u}" for u in d["refused_english"]]
    return "\n".join(lines)


def format_misses(fig: Figures) -> str:
    lines = []
    for p in fig.pages:
        if p.ours != p.gold:
            mark = "EN" if p.is_english else "--"
            lines.append(
                f"{mark} gold {p.gold} ours {p.ours} ({p.ours_source}) htmldate {p.htmldate}"
                f" / {p.htmldate_url}  {p.url}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help=f"htmldate-dev folder (default: ${CORPUS_ENV_VAR} or {DEFAULT_CORPUS_RELATIVE} "
        "from the repository root)",
    )
    parser.add_argument("--limit", type=int, default=None, help="score the first N pages only")
    parser.add_argument("--misses", action="store_true", help="list the pages we get wrong")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = parser.parse_args(argv)

    explicit = args.corpus is not None or bool(os.environ.get(CORPUS_ENV_VAR))
    corpus_dir = args.corpus if args.corpus is not None else default_corpus_dir()
    if not corpus_available(corpus_dir):
        msg = f"htmldate-dev corpus not found at {corpus_dir} (expects gold.json and pages/)"
        if explicit:
            print(f"error: {msg}", file=sys.stderr)
            return 2
        print(f"skipped: {msg}; pass --corpus DIR or set {CORPUS_ENV_VAR}", file=sys.stderr)
        return 0
    print(f"htmldate-dev {corpus_dir}, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    fig = score_corpus(corpus_dir, limit=args.limit)
    print(format_report(fig))
    if args.misses:
        print(format_misses(fig))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {**fig.as_dict(), "per_page": [p.__dict__ for p in fig.pages]}
        args.json.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", "utf-8")
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
