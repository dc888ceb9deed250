"""Score the extractor against the demo site's gold annotations.

    .venv/bin/python bench/score_demo.py            # prints the figures (and --json OUT)

Each demo article (every page listed in a feed and allowed by robots.txt) is parsed from its
HTML file as the pipeline parses it, then all articles go through the extractor in one batch.
A predicted claim mention matches a gold claim when their content spans have a character-level
Dice coefficient >= 0.5, one-to-one, best first (as for PolNeAR, bench/score_attribution.py).

Figures:
- mentions: precision, recall, F1 over all mentions; again for attributed mentions only (both
  sides without `unattributed`); and for unattributed statements alone;
- among matched pairs: attribution kind, source resolution (the resolved name equals gold's
  `source`, case- and article-insensitive), source kind/type/affiliation, quantity (value, low,
  high, unit and approximation all equal; only pairs whose gold has a quantity), and each flag
  (hedged, denial, explicitly unverified);
- spans: how many printed spans differ from the text at their offsets (must be 0).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "orchestration" / "demo_site"
DEMO_BASE = "http://demo.newsclaims.localhost"


def gold_articles() -> list[dict]:
    out = []
    for f in sorted((DEMO / "gold").glob("*.yml")):
        out.extend(yaml.safe_load(f.read_text(encoding="utf-8"))["articles"])
    return [a for a in out if a["in_feed"] and not a["robots_disallowed"]]


def parse_demo_article(a: dict):
    from orchestration.parse.article import parse_html

    html = (DEMO / a["file"]).read_text(encoding="utf-8").replace("{{BASE_URL}}", DEMO_BASE)
    return parse_html(html, url=DEMO_BASE + a["path"], source_outlet=a["outlet"])


def match(preds: list, golds: list[tuple[int, int, dict]]) -> list[tuple[int, int]]:
    """One-to-one pairs (prediction, gold) by content Dice >= 0.5, best first: the same matcher
    as the PolNeAR score."""
    from bench.score_attribution import greedy_match

    pairs = greedy_match(
        [((p.content.start, p.content.end),) for p in preds], [((s, e),) for s, e, _ in golds]
    )
    return [(pi, gi) for pi, gi, _d in pairs]


def _norm(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().casefold()
    return name.removeprefix("the ").strip()


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "matched": tp, "predicted": n_pred, "gold": n_gold}  # fmt: skip


def _quantity_equal(q, g: dict) -> bool:
    if q is None:
        return False

    def same(a, b) -> bool:
        return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-6)

    return (
        same(q.value, g.get("value"))
        and same(q.low, g.get("low"))
        and same(q.high, g.get("high"))
        and (q.unit or None) == (g.get("unit") or None)
        and bool(q.approximate) == bool(g.get("approximate"))
    )


def score_demo(extractor: Any = None) -> dict[str, Any]:
    if extractor is None:
        from orchestration.extract.pipeline import Extractor

        extractor = Extractor()
    articles = gold_articles()
    parsed = [parse_demo_article(a) for a in articles]
    started = time.perf_counter()
    predictions = extractor.extract([p.text for p in parsed], [a["outlet"] for a in articles])
    elapsed = time.perf_counter() - started

    c: dict[str, int] = dict.fromkeys(
        ["tp_all", "pred_all", "gold_all", "tp_attr", "pred_attr", "gold_attr", "tp_un",
         "pred_un", "gold_un", "kind_ok", "pairs", "src_pairs", "src_ok", "desc_pairs",
         "kind_src_ok", "type_ok", "aff_ok", "q_pairs", "q_ok", "hedge_ok", "denial_ok",
         "unverified_ok", "bad_spans", "gold_missing_in_text"], 0)  # fmt: skip
    for article, doc, preds in zip(articles, parsed, predictions, strict=True):
        # the gold annotates claims: attributions that request, commit or evaluate are not
        preds = [m for m in preds if m.is_claim]
        text = doc.text
        for m in preds:
            for span in (m.content, m.source, m.cue):
                if span is not None and text[span.start : span.end] != span.text:
                    c["bad_spans"] += 1
        golds = []
        for g in article["claims"]:
            i = text.find(g["text"])
            if i < 0:
                c["gold_missing_in_text"] += 1
                continue
            golds.append((i, i + len(g["text"]), g))
        # all mentions
        pairs = match(preds, golds)
        c["tp_all"] += len(pairs)
        c["pred_all"] += len(preds)
        c["gold_all"] += len(golds)
        # attributed only, and unattributed only
        for flavour, keep_p, keep_g in (
            ("attr", lambda p: p.attribution_kind != "unattributed",
             lambda g: g[2]["attribution_kind"] != "unattributed"),
            ("un", lambda p: p.attribution_kind == "unattributed",
             lambda g: g[2]["attribution_kind"] == "unattributed"),
        ):  # fmt: skip
            ps = [p for p in preds if keep_p(p)]
            gs = [g for g in golds if keep_g(g)]
            c[f"tp_{flavour}"] += len(match(ps, gs))
            c[f"pred_{flavour}"] += len(ps)
            c[f"gold_{flavour}"] += len(gs)
        for pi, gi in pairs:
            p, g = preds[pi], golds[gi][2]
            c["pairs"] += 1
            c["kind_ok"] += p.attribution_kind == g["attribution_kind"]
            if g.get("source"):
                c["src_pairs"] += 1
                c["src_ok"] += _norm(p.source_name) == _norm(g["source"])
                d = p.source_description
                c["desc_pairs"] += 1
                if d is not None:
                    c["kind_src_ok"] += d.kind == g.get("source_kind")
                    c["type_ok"] += d.type == g.get("source_type")
                    c["aff_ok"] += d.affiliation == g.get("affiliation")
            if g.get("quantity"):
                c["q_pairs"] += 1
                c["q_ok"] += _quantity_equal(p.quantity, g["quantity"])
            c["hedge_ok"] += p.is_hedged == bool(g.get("hedged"))
            c["denial_ok"] += p.is_denial == bool(g.get("denial"))
            c["unverified_ok"] += p.is_explicitly_unverified == bool(g.get("unverified"))

    def ratio(a: str, b: str) -> float:
        return c[a] / c[b] if c[b] else 0.0

    return {
        "documents": len(articles),
        "elapsed_s": elapsed,
        "mentions": _prf(c["tp_all"], c["pred_all"], c["gold_all"]),
        "attributed": _prf(c["tp_attr"], c["pred_attr"], c["gold_attr"]),
        "unattributed": _prf(c["tp_un"], c["pred_un"], c["gold_un"]),
        "attribution_kind_accuracy": ratio("kind_ok", "pairs"),
        "source_resolution_accuracy": ratio("src_ok", "src_pairs"),
        "source_kind_accuracy": ratio("kind_src_ok", "desc_pairs"),
        "source_type_accuracy": ratio("type_ok", "desc_pairs"),
        "source_affiliation_accuracy": ratio("aff_ok", "desc_pairs"),
        "quantity_accuracy": ratio("q_ok", "q_pairs"),
        "quantity_pairs": c["q_pairs"],
        "hedged_accuracy": ratio("hedge_ok", "pairs"),
        "denial_accuracy": ratio("denial_ok", "pairs"),
        "unverified_accuracy": ratio("unverified_ok", "pairs"),
        "bad_spans": c["bad_spans"],
        "gold_missing_in_text": c["gold_missing_in_text"],
    }


def format_report(fig: dict[str, Any]) -> str:
    lines = [f"documents: {fig['documents']}  (extraction {fig['elapsed_s']:.1f} s)"]
    for key in ("mentions", "attributed", "unattributed"):
        m = fig[key]
        lines.append(
            f"{key:<13} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}  "
            f"({m['matched']} matched, {m['predicted']} predicted, {m['gold']} gold)"
        )
    for key in ("attribution_kind", "source_resolution", "source_kind", "source_type",
                "source_affiliation", "quantity", "hedged", "denial", "unverified"):  # fmt: skip
        lines.append(f"{key + ' accuracy':<30} {fig[key + '_accuracy']:.3f}")
    lines.append(f"spans not matching their offsets: {fig['bad_spans']}")
    lines.append(f"gold claims not found in the parsed text: {fig['gold_missing_in_text']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    fig = score_demo()
    print(format_report(fig))
    if args.json:
        args.json.write_text(json.dumps(fig, indent=2))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
