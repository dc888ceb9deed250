"""Benchmark claim clustering as the number of claim mentions doubles.

    .venv/bin/python bench/bench_clustering.py [--mentions 10000] [--doublings 2] [--repeat 3]
        [--vocab DIR] [--max-key-mentions 100] [--json OUT]

Builds synthetic but realistic claim mentions at three sizes (N, 2N, 4N by default), each in a
fresh DuckDB warehouse under a temporary folder, in the shape of the raw tables the dbt project
reads (raw.articles, raw.sentences, raw.claim_mentions), runs
`dbt build --select +int_claim_mentions_clustered` on it, and times the clustering models
(int_claim_mention_terms, int_claim_mention_pairs, int_claim_mentions_clustered) from dbt's
run_results.json, --repeat runs of those three models. It prints the seconds per size (the
fastest run, the least disturbed by other work on a shared machine, and the median) and the
cost ratio per doubling of the fastest runs (linear is 2.0; the target is at most 2.2).

The mentions are drawn like news: a claim is a handful of key words, repeated by a few mentions
(most claims once, some many times), each mention keeping most of its claim's words and adding
a few of its own. Words are sampled from a real vocabulary (--vocab: a folder of .txt files, read
in place; by default the PolNeAR texts when they are there, else the demo site's pages) with a
Zipf-like distribution over their frequency ranks, so some terms are in a large share of the
mentions. The figures are seeded: the same arguments make the same mentions.

Timings are never asserted in tests; read them as ratios measured together.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NIGHT = date(2026, 3, 8)
POLNEAR_TEXT = Path("/work/shared/corpora/polnear-train/text")
DEMO_SITE = REPO / "orchestration" / "demo_site" / "site"
CLUSTERING_MODELS = (
    "int_claim_mention_terms",
    "int_claim_mention_pairs",
    "int_claim_mentions_clustered",
)
OUTLETS = [
    "The Valdorian Herald", "Drevnik Daily", "Continental Press Agency", "Maritime Times",
    "Aurelia Today", "The Observer", "Northern Courier", "Coastal Gazette", "Metro Ledger",
    "Harbour Post", "Capital Wire", "Evening Standard-Bearer",
]  # fmt: skip
UNITS = ["troops", "tonnes", "ships", "people", "soldiers", "vessels", "refugees", "drones"]
MENTIONS_PER_ARTICLE = 6


def vocabulary(folder: Path | None, limit: int = 20000) -> list[str]:
    """Words of four letters or more from real text, most frequent first."""
    if folder is None:
        folder = POLNEAR_TEXT if POLNEAR_TEXT.is_dir() else DEMO_SITE
    counts: Counter[str] = Counter()
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".txt", ".html", ".htm") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix != ".txt":
            text = html.unescape(re.sub(r"<[^>]+>", " ", text))
        counts.update(w for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 4)
    words = [w for w, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    if len(words) < 500:
        raise SystemExit(f"too small a vocabulary in {folder}: {len(words)} words")
    return words[:limit]


class Zipf:
    """Draws items with weights 1 / rank ** s."""

    def __init__(self, items: list[str], s: float, rng: random.Random) -> None:
        self.items = items
        self.rng = rng
        cum, total = [], 0.0
        for rank in range(1, len(items) + 1):
            total += 1.0 / rank**s
            cum.append(total)
        self.cum = cum

    def draw(self, k: int) -> list[str]:
        return self.rng.choices(self.items, cum_weights=self.cum, k=k)


def claim_sizes(n_mentions: int, rng: random.Random) -> list[int]:
    """Mentions per claim: most claims once, a few repeated many times (heavy tail)."""
    sizes, total = [], 0
    while total < n_mentions:
        size = 1 if rng.random() < 0.6 else min(2 + int(rng.expovariate(0.3)), 60)
        size = min(size, n_mentions - total)
        sizes.append(size)
        total += size
    return sizes


def synthetic_rows(n_mentions: int, words: list[str], seed: int) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    terms = Zipf(words, 1.0, rng)
    verbs = Zipf(words[:3000], 1.1, rng)
    sources = [f"{w.title()} ministry" for w in words[200:260]]
    mentions = []
    for claim_no, size in enumerate(claim_sizes(n_mentions, rng)):
        core = terms.draw(rng.randint(4, 8))
        predicate = verbs.draw(1)[0]
        unit = rng.choice(UNITS) if rng.random() < 0.15 else None
        value = float(rng.choice([40, 300, 2500, 8000, 25000]))
        for _ in range(size):
            kept = [w for w in core if rng.random() < 0.85]
            noise = terms.draw(rng.randint(1, 4))
            text_words = kept + noise
            rng.shuffle(text_words)
            has_unit = unit is not None and rng.random() < 0.9
            mentions.append({
                "claim_no": claim_no,
                "text": " ".join(text_words).capitalize(),
                "predicate": predicate if rng.random() < 0.9 else verbs.draw(1)[0],
                "unit": unit if has_unit else None,
                "value": round(value * rng.uniform(0.9, 1.1)) if has_unit else None,
                "source": rng.choice(sources),
                "is_denial": rng.random() < 0.05,
            })  # fmt: skip
    rng.shuffle(mentions)  # a claim's mentions spread over articles, outlets and days
    fetched = datetime(NIGHT.year, NIGHT.month, NIGHT.day, 23, 0, tzinfo=UTC)
    articles, sentences, claim_mentions = [], [], []
    for a_no in range(0, len(mentions), MENTIONS_PER_ARTICLE):
        chunk = mentions[a_no : a_no + MENTIONS_PER_ARTICLE]
        article_id = hashlib.md5(f"article-{seed}-{a_no}".encode()).hexdigest()  # noqa: S324
        text, offsets = "", []
        for m in chunk:
            sentence = f"{m['source'].capitalize()} said that {m['text']}."
            offsets.append((len(text), len(text) + len(sentence), sentence))
            text += sentence + " "
        outlet = OUTLETS[rng.randrange(len(OUTLETS))]
        published = fetched - timedelta(minutes=rng.randrange(60 * 24 * 30))
        articles.append({
            "night": NIGHT, "article_id": article_id, "run_id": "bench",
            "source_name": "Bench", "url": f"https://bench.example/{article_id}",
            "canonical_url": f"https://bench.example/{article_id}", "content_hash": article_id,
            "fetched_at": fetched, "outlet": outlet, "title": chunk[0]["text"][:60],
            "authors": [], "published_at": published, "published_at_source": "meta",
            "language": "en", "word_count": len(text.split()), "text": text, "status": "ok",
            "status_reason": None, "parser_version": "bench", "parse_key": None,
            "extractor_version": "bench",
        })  # fmt: skip
        for i, (m, (start, end, sentence)) in enumerate(zip(chunk, offsets, strict=True)):
            sentences.append({
                "night": NIGHT, "article_id": article_id, "sentence_index": i,
                "char_start": start, "char_end": end, "text": sentence,
            })  # fmt: skip
            claim_start = start + sentence.index(" said that ") + len(" said that ")
            claim_mentions.append({
                "night": NIGHT,
                "mention_id": hashlib.md5(f"{article_id}-{i}".encode()).hexdigest(),  # noqa: S324
                "article_id": article_id, "mention_index": i, "run_id": "bench",
                "extractor_version": "bench", "claim_text": m["text"],
                "char_start": claim_start, "char_end": claim_start + len(m["text"]),
                "sentence_index": i, "attribution_kind": "indirect",
                "source_text": m["source"], "source_start": start,
                "source_end": start + len(m["source"]), "source_name": m["source"],
                "source_kind": "organization", "source_type": "government",
                "source_role": None, "source_affiliation": "unknown", "cue": "said",
                "cue_start": None, "cue_end": None,
                "quantity_text": None if m["unit"] is None else f'{m["value"]} {m["unit"]}',
                "quantity_value": m["value"], "quantity_low": None, "quantity_high": None,
                "quantity_unit": m["unit"], "is_quantity_approximate": False,
                "is_hedged": False, "hedges": [], "is_denial": m["is_denial"],
                "is_explicitly_unverified": False, "chain": [], "quote_group": None,
                "predicate": m["predicate"], "is_negated": False, "speech_act": "assertion",
            })  # fmt: skip
    return {"articles": articles, "sentences": sentences, "claim_mentions": claim_mentions}


def load(root: Path, rows: dict[str, list[dict]]) -> None:
    from orchestration.warehouse import (
        ARTICLE_COLUMNS,
        MENTION_COLUMNS,
        SENTENCE_COLUMNS,
        Warehouse,
        replace_night,
    )

    wh = Warehouse(root)
    wh.ensure_schema()
    replace_night(wh, NIGHT, {
        "raw.articles": (rows["articles"], ARTICLE_COLUMNS),
        "raw.sentences": (rows["sentences"], SENTENCE_COLUMNS),
        "raw.claim_mentions": (rows["claim_mentions"], MENTION_COLUMNS),
    })  # fmt: skip


def dbt(root: Path, command: str, select: list[str], dbt_vars: dict) -> dict[str, float]:
    """Run dbt on the warehouse at `root`; seconds per model node from run_results.json."""
    from orchestration.defs.dbt_project import DBT_PROJECT_DIR, dbt_env, dbt_executable

    target = root / "dbt_target"
    subprocess.run(
        [dbt_executable(), command, "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir",
         str(DBT_PROJECT_DIR), "--select", *select, "--exclude", "test_type:unit",
         "--vars", json.dumps(dbt_vars), "--target-path", str(target),
         "--log-path", str(root / "dbt_logs"), "--quiet"],
        check=True, env=dbt_env(root),
    )  # fmt: skip
    results = json.loads((target / "run_results.json").read_text())["results"]
    return {
        r["unique_id"].split(".")[-1]: r["execution_time"]
        for r in results
        if r["unique_id"].startswith("model.")
    }


def counts(root: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(root / "newsclaims.duckdb"), read_only=True)
    try:
        one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "mentions": one("select count(*) from intermediate.int_claim_mentions_clustered"),
            "terms": one("select count(*) from intermediate.int_claim_mention_terms"),
            "max_term_mentions": one(
                "select max(n) from (select count(*) as n from "
                "intermediate.int_claim_mention_terms group by term)"
            ),
            "pairs": one("select count(*) from intermediate.int_claim_mention_pairs"),
            "claims": one(
                "select count(distinct claim_id) from intermediate.int_claim_mentions_clustered"
            ),
        }
    finally:
        con.close()


def one_size(n_mentions: int, words: list[str], args, tmp: Path) -> dict:
    root = tmp / f"wh-{n_mentions}"
    load(root, synthetic_rows(n_mentions, words, args.seed))
    dbt_vars = {"as_of_date": NIGHT.isoformat()}
    if args.max_key_mentions is not None:
        dbt_vars["cluster_max_key_mentions"] = args.max_key_mentions
    # the first build makes the seeds, the staging views and int_claim_mentions_enriched too
    first = dbt(root, "build", ["+int_claim_mentions_clustered"], dbt_vars)
    runs = [sum(first[m] for m in CLUSTERING_MODELS)]
    per_model = [first]
    for _ in range(args.repeat - 1):
        again = dbt(root, "run", list(CLUSTERING_MODELS), dbt_vars)
        runs.append(sum(again[m] for m in CLUSTERING_MODELS))
        per_model.append(again)
    return {
        "n_mentions": n_mentions,
        "seconds": min(runs),
        "seconds_median": statistics.median(runs),
        "runs": runs,
        "per_model_median": {
            m: statistics.median(r[m] for r in per_model) for m in CLUSTERING_MODELS
        },
        **counts(root),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=20000, help="the smallest size")
    parser.add_argument("--doublings", type=int, default=2, help="sizes after the first")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20260308)
    parser.add_argument("--vocab", type=Path, help="folder of .txt/.html files")
    parser.add_argument(
        "--max-key-mentions", type=int, help="dbt var cluster_max_key_mentions (default: 100)"
    )
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", type=Path, help="build the warehouses here and keep them")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))

    words = vocabulary(args.vocab)
    sizes = [args.mentions * 2**i for i in range(args.doublings + 1)]
    if args.keep:
        results = [one_size(n, words, args, args.keep) for n in sizes]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            results = [one_size(n, words, args, Path(tmp)) for n in sizes]
    ratios = [b["seconds"] / a["seconds"] for a, b in zip(results, results[1:], strict=False)]
    print(f"clustering models ({', '.join(CLUSTERING_MODELS)}), {args.repeat} runs each:")
    for r in results:
        print(
            f"  {r['n_mentions']:>7} mentions  fastest {r['seconds']:6.2f} s, "
            f"median {r['seconds_median']:6.2f} s   "
            f"terms {r['terms']}, most common term in {r['max_term_mentions']} mentions, "
            f"pairs {r['pairs']}, claims {r['claims']}"
        )
    for a, b, ratio in zip(results, results[1:], ratios, strict=False):
        median_ratio = b["seconds_median"] / a["seconds_median"]
        print(
            f"  {a['n_mentions']} -> {b['n_mentions']}: x{ratio:.2f} (medians: x{median_ratio:.2f})"
        )
    if ratios:
        print(f"  worst ratio per doubling: x{max(ratios):.2f} (target <= 2.2)")
    if args.json:
        args.json.write_text(json.dumps({"sizes": results, "ratios": ratios}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
