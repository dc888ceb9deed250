"""Score the attribution extractor against PolNeAR (who said what, hand-annotated).

Reproduce the figures
---------------------
From the repository root, with the corpus beside the repository (``../shared/corpora/
polnear-train``; elsewhere set ``NEWSCLAIMS_POLNEAR_DIR`` or pass ``--corpus DIR``)::

    .venv/bin/python bench/score_attribution.py               # fixed sample: 60 articles, seed 13
    .venv/bin/python bench/score_attribution.py --all --json polnear.json   # the whole split

The sample is ``random.Random(seed).sample`` over the sorted article list, so a given
``--sample N --seed S`` always scores the same articles. The quality test
(``tests/quality/test_polnear.py``, marked ``slow``) scores the same 60-article sample.

What is scored
--------------
Gold: the BRAT standoff in ``<corpus>/attributions``; for an article annotated by several
annotators (``<article>_<annotator>.ann``) the lexicographically first file is used. Each ``E``
line whose trigger is ``Attribution`` or ``Attribution-no-source`` is one relation, with roles
``Source``, ``Cue``, ``Content`` and, rarely, ``Content2`` (a second content part, unioned with
the first). Spans may be discontinuous (``s1 e1;s2 e2``): fragments are unioned.

Parts of one quotation interrupted by its attribution (mentions sharing a ``quote_group``) are
scored as one relation with a discontinuous content, as PolNeAR annotates them.

A predicted relation matches a gold one when their content spans have a character-level Dice
coefficient >= 0.5 (over sets of character offsets); pairs are taken greedily, best Dice first,
each side used at most once. Precision, recall and F1 follow. Among matched pairs, the source
is correct when the predicted source span overlaps the gold source span, or when both are
absent (``Attribution-no-source``); the cue likewise. Predictions of kind ``unattributed``
(check-worthy statements with no attribution, which PolNeAR does not annotate) are excluded
unless ``--include-unattributed`` is given.

The corpus must never be copied into the repository; where it is absent the script and the
tests skip.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS_RELATIVE = Path("..") / "shared" / "corpora" / "polnear-train"
CORPUS_ENV_VAR = "NEWSCLAIMS_POLNEAR_DIR"
DEFAULT_SAMPLE = 60
DEFAULT_SEED = 13
DICE_THRESHOLD = 0.5
RELATION_TYPES = ("Attribution", "Attribution-no-source")
UNATTRIBUTED = "unattributed"

Fragments = tuple[tuple[int, int], ...]

_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t?(.*)$")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")
_ROLE_SUFFIX = re.compile(r"\d+$")


# --------------------------------------------------------------------------- corpus location


def default_corpus_dir() -> Path:
    """``$NEWSCLAIMS_POLNEAR_DIR`` if set, else ``../shared/corpora/polnear-train`` from the
    repository root."""
    env = os.environ.get(CORPUS_ENV_VAR)
    if env:
        return Path(env).expanduser()
    return (REPO_ROOT / DEFAULT_CORPUS_RELATIVE).resolve()


def corpus_available(corpus_dir: Path | str) -> bool:
    corpus_dir = Path(corpus_dir)
    return (corpus_dir / "text").is_dir() and (corpus_dir / "attributions").is_dir()


# --------------------------------------------------------------------------- BRAT reading


@dataclass(frozen=True)
class TextBound:
    """A BRAT ``T`` line: a typed span, possibly discontinuous."""

    id: str
    type: str
    fragments: Fragments
    text: str


@dataclass(frozen=True)
class GoldRelation:
    """One attribution relation (an ``E`` line). ``source`` is None for
    ``Attribution-no-source`` (and for the odd ``Attribution`` left without a source)."""

    id: str
    type: str
    content: Fragments
    source: Fragments | None
    cue: Fragments | None


@dataclass
class Article:
    id: str
    text: str
    ann_path: Path
    relations: list[GoldRelation]
    skipped_without_content: int = 0


def _parse_fragments(spec: str) -> Fragments:
    frags = []
    for part in spec.split(";"):
        start, end = part.split()
        frags.append((int(start), int(end)))
    return tuple(frags)


def _union(fragment_lists: Iterable[Fragments]) -> Fragments:
    merged = sorted({f for frags in fragment_lists for f in frags})
    return tuple(merged)


def parse_ann(content: str) -> tuple[dict[str, TextBound], list[GoldRelation], int]:
    """Parse BRAT standoff text. Returns (text-bound spans by id, attribution relations,
    number of relation lines skipped because they have no content).

    Lines other than ``T`` and ``E`` (notes, attributes, and the stray continuation lines left
    where an annotated span contained a line break) are ignored.
    """
    spans: dict[str, TextBound] = {}
    events: list[tuple[str, str, list[tuple[str, str]]]] = []
    for line in content.splitlines():
        m = _T_LINE.match(line)
        if m:
            tid, ttype, frag_spec, text = m.groups()
            spans[tid] = TextBound(tid, ttype, _parse_fragments(frag_spec), text)
            continue
        m = _E_LINE.match(line)
        if m:
            eid, rest = m.groups()
            args = [a.split(":", 1) for a in rest.split() if ":" in a]
            if not args:
                continue
            trigger_type = args[0][0]
            roles = [(role, ref) for role, ref in args[1:]]
            events.append((eid, trigger_type, roles))

    relations: list[GoldRelation] = []
    skipped = 0
    for eid, trigger_type, roles in events:
        if trigger_type not in RELATION_TYPES:
            continue
        by_role: dict[str, list[Fragments]] = {}
        for role, ref in roles:
            span = spans.get(ref)
            if span is None:
                continue
            base = _ROLE_SUFFIX.sub("", role)  # Content2 -> Content
            by_role.setdefault(base, []).append(span.fragments)
        if "Content" not in by_role:
            skipped += 1
            continue
        relations.append(
            GoldRelation(
                id=eid,
                type=trigger_type,
                content=_union(by_role["Content"]),
                source=_union(by_role["Source"]) if "Source" in by_role else None,
                cue=_union(by_role["Cue"]) if "Cue" in by_role else None,
            )
        )
    return spans, relations, skipped


def _read_text(path: Path) -> str:
    # newline="" keeps offsets exact: BRAT counts characters of the file as it is.
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def annotation_files(corpus_dir: Path | str) -> dict[str, list[Path]]:
    """Article id -> its ``.ann`` files, sorted by name. Files are ``<article>_<annotator>.ann``
    (article ids contain underscores too, so the suffix is stripped only when a text exists)."""
    corpus_dir = Path(corpus_dir)
    text_dir = corpus_dir / "text"
    out: dict[str, list[Path]] = {}
    for ann in sorted((corpus_dir / "attributions").glob("*.ann")):
        stem = ann.stem
        head = stem.rsplit("_", 1)[0] if "_" in stem else stem
        if (text_dir / f"{head}.txt").is_file():
            article = head
        elif (text_dir / f"{stem}.txt").is_file():
            article = stem
        else:
            continue
        out.setdefault(article, []).append(ann)
    return {k: sorted(v, key=lambda p: p.name) for k, v in sorted(out.items())}


def list_articles(corpus_dir: Path | str) -> list[str]:
    """Sorted ids of the articles that have a text and at least one annotation file."""
    return list(annotation_files(corpus_dir))


def choose_annotation(files: Sequence[Path]) -> Path:
    """One annotator per article, deterministically: the lexicographically first file."""
    return min(files, key=lambda p: p.name)


def load_article(
    corpus_dir: Path | str, article_id: str, ann_files: Sequence[Path] | None = None
) -> Article:
    corpus_dir = Path(corpus_dir)
    if ann_files is None:
        ann_files = annotation_files(corpus_dir).get(article_id)
        if not ann_files:
            raise FileNotFoundError(f"no annotation for article {article_id!r} in {corpus_dir}")
    ann = choose_annotation(ann_files)
    text = _read_text(corpus_dir / "text" / f"{article_id}.txt")
    _, relations, skipped = parse_ann(_read_text(ann))
    return Article(article_id, text, ann, relations, skipped)


def sample_articles(
    article_ids: Sequence[str], n: int | None, seed: int = DEFAULT_SEED
) -> list[str]:
    """``n`` articles drawn with ``random.Random(seed)`` from the sorted list (all when ``n`` is
    None or not smaller than the list), returned sorted."""
    ids = sorted(article_ids)
    if n is None or n >= len(ids):
        return ids
    return sorted(random.Random(seed).sample(ids, n))


# --------------------------------------------------------------------------- matching


def char_set(fragments: Fragments | None) -> set[int]:
    if not fragments:
        return set()
    return {i for start, end in fragments for i in range(start, end)}


def dice(a: Fragments | set[int], b: Fragments | set[int]) -> float:
    sa = a if isinstance(a, set) else char_set(a)
    sb = b if isinstance(b, set) else char_set(b)
    if not sa and not sb:
        return 0.0
    return 2 * len(sa & sb) / (len(sa) + len(sb))


def overlaps(a: Fragments | None, b: Fragments | None) -> bool:
    if not a or not b:
        return False
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def span_fragments(span: Any) -> Fragments | None:
    """A predicted ``Span(start, end, text)`` (or None) as fragments."""
    if span is None:
        return None
    if span.end <= span.start:
        return None
    return ((int(span.start), int(span.end)),)


def greedy_match(
    predicted: Sequence[Fragments], gold: Sequence[Fragments], threshold: float = DICE_THRESHOLD
) -> list[tuple[int, int, float]]:
    """One-to-one matching of content spans: all pairs with Dice >= threshold, best Dice first
    (ties by predicted then gold index). Returns (pred index, gold index, dice)."""
    gold_sets = [char_set(g) for g in gold]
    candidates = []
    for pi, p in enumerate(predicted):
        ps = char_set(p)
        if not ps:
            continue
        for gi, gs in enumerate(gold_sets):
            if not gs or ps.isdisjoint(gs):
                continue
            d = dice(ps, gs)
            if d >= threshold:
                candidates.append((-d, pi, gi))
    candidates.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for neg_d, pi, gi in candidates:
        if pi in used_p or gi in used_g:
            continue
        used_p.add(pi)
        used_g.add(gi)
        pairs.append((pi, gi, -neg_d))
    return pairs


@dataclass
class Counts:
    documents: int = 0
    gold: int = 0
    gold_no_source: int = 0
    gold_skipped_without_content: int = 0
    predicted: int = 0
    excluded_unattributed: int = 0
    matched: int = 0
    dice_sum: float = 0.0
    source_correct: int = 0
    pairs_gold_no_source: int = 0
    pairs_gold_no_source_correct: int = 0
    cue_correct: int = 0
    pairs_gold_no_cue: int = 0
    pairs_gold_no_cue_correct: int = 0
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            if name == "by_kind":
                for kind, c in other.by_kind.items():
                    mine = self.by_kind.setdefault(kind, {"predicted": 0, "matched": 0})
                    for k, v in c.items():
                        mine[k] += v
            else:
                setattr(self, name, getattr(self, name) + getattr(other, name))


def _role_correct(pred: Fragments | None, gold: Fragments | None) -> bool:
    if gold is None:
        return pred is None
    return overlaps(pred, gold)


@dataclass
class _MergedQuote:
    """Parts of one quotation (same `quote_group`) as one relation with a discontinuous content,
    which is how PolNeAR annotates '"A," she said. "B."'."""

    content: Fragments
    source: Any
    cue: Any
    attribution_kind: str = "direct_quote"


def merge_quote_groups(predictions: Sequence[Any]) -> list[Any]:
    out: list[Any] = []
    groups: dict[int, int] = {}
    for p in predictions:
        group = getattr(p, "quote_group", None)
        if group is None:
            out.append(p)
            continue
        if group in groups:
            merged = out[groups[group]]
            merged.content = merged.content + (span_fragments(p.content) or ())
        else:
            groups[group] = len(out)
            out.append(_MergedQuote(span_fragments(p.content) or (), p.source, p.cue))
    return out


def _content_fragments(p: Any) -> Fragments:
    if isinstance(p, _MergedQuote):
        return p.content
    return span_fragments(p.content) or ()


def score_document(
    predictions: Sequence[Any],
    gold: Sequence[GoldRelation],
    *,
    exclude_unattributed: bool = True,
    threshold: float = DICE_THRESHOLD,
) -> Counts:
    """Counts for one document. ``predictions`` are ClaimMention-like objects (``content``,
    ``source``, ``cue`` spans and ``attribution_kind``)."""
    c = Counts(documents=1, gold=len(gold))
    c.gold_no_source = sum(1 for g in gold if g.source is None)
    kept = []
    for p in merge_quote_groups(predictions):
        kind = getattr(p, "attribution_kind", None)
        if exclude_unattributed and kind == UNATTRIBUTED:
            c.excluded_unattributed += 1
            continue
        kept.append(p)
    c.predicted = len(kept)
    pred_contents = [_content_fragments(p) for p in kept]
    pairs = greedy_match(pred_contents, [g.content for g in gold], threshold)
    c.matched = len(pairs)
    matched_preds = {pi for pi, _, _ in pairs}
    for i, p in enumerate(kept):
        kind = str(getattr(p, "attribution_kind", None))
        entry = c.by_kind.setdefault(kind, {"predicted": 0, "matched": 0})
        entry["predicted"] += 1
        entry["matched"] += i in matched_preds
    for pi, gi, d in pairs:
        p, g = kept[pi], gold[gi]
        c.dice_sum += d
        psrc, pcue = span_fragments(p.source), span_fragments(p.cue)
        ok = _role_correct(psrc, g.source)
        c.source_correct += ok
        if g.source is None:
            c.pairs_gold_no_source += 1
            c.pairs_gold_no_source_correct += ok
        ok = _role_correct(pcue, g.cue)
        c.cue_correct += ok
        if g.cue is None:
            c.pairs_gold_no_cue += 1
            c.pairs_gold_no_cue_correct += ok
    return c


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def figures(counts: Counts, *, exclude_unattributed: bool = True) -> dict[str, Any]:
    precision = _ratio(counts.matched, counts.predicted)
    recall = _ratio(counts.matched, counts.gold)
    f1 = _ratio(2 * precision * recall, precision + recall)
    return {
        "documents": counts.documents,
        "gold": counts.gold,
        "gold_no_source": counts.gold_no_source,
        "gold_skipped_without_content": counts.gold_skipped_without_content,
        "predicted": counts.predicted,
        "excluded_unattributed": counts.excluded_unattributed,
        "exclude_unattributed": exclude_unattributed,
        "matched": counts.matched,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "mean_content_dice": _ratio(counts.dice_sum, counts.matched),
        "source_accuracy": _ratio(counts.source_correct, counts.matched),
        "source_correct": counts.source_correct,
        "pairs_gold_no_source": counts.pairs_gold_no_source,
        "pairs_gold_no_source_correct": counts.pairs_gold_no_source_correct,
        "cue_accuracy": _ratio(counts.cue_correct, counts.matched),
        "cue_correct": counts.cue_correct,
        "pairs_gold_no_cue": counts.pairs_gold_no_cue,
        "pairs_gold_no_cue_correct": counts.pairs_gold_no_cue_correct,
        "by_kind": {
            k: {**v, "precision": _ratio(v["matched"], v["predicted"])}
            for k, v in sorted(counts.by_kind.items())
        },
        "dice_threshold": DICE_THRESHOLD,
    }


def score_predictions(
    predictions: Sequence[Sequence[Any]],
    gold: Sequence[Sequence[GoldRelation]],
    *,
    exclude_unattributed: bool = True,
    threshold: float = DICE_THRESHOLD,
) -> dict[str, Any]:
    """Figures for parallel lists of per-document predictions and gold relations."""
    if len(predictions) != len(gold):
        raise ValueError(f"{len(predictions)} prediction lists for {len(gold)} documents")
    total = Counts()
    for preds, golds in zip(predictions, gold, strict=True):
        total.add(
            score_document(
                preds, golds, exclude_unattributed=exclude_unattributed, threshold=threshold
            )
        )
    return figures(total, exclude_unattributed=exclude_unattributed)


# --------------------------------------------------------------------------- corpus scoring


def _default_extractor() -> Any:
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from orchestration.extract.pipeline import Extractor  # lazy: spaCy loads here

    return Extractor()


def score_corpus(
    corpus_dir: Path | str,
    article_ids: Sequence[str] | None = None,
    extractor: Any = None,
    *,
    exclude_unattributed: bool = True,
    batch_size: int = 32,
) -> dict[str, Any]:
    """Run ``extractor`` (default: a new ``Extractor()``) over the articles (default: all) and
    score it against the gold. Returns the figures plus timing."""
    corpus_dir = Path(corpus_dir)
    if not corpus_available(corpus_dir):
        raise FileNotFoundError(f"PolNeAR corpus not found at {corpus_dir}")
    started = time.perf_counter()
    files = annotation_files(corpus_dir)
    ids = sorted(files) if article_ids is None else list(article_ids)
    missing = [a for a in ids if a not in files]
    if missing:
        raise KeyError(f"articles not in the corpus: {missing[:5]}")
    articles = [load_article(corpus_dir, a, files[a]) for a in ids]

    if extractor is None:
        extractor = _default_extractor()
    load_done = time.perf_counter()

    predictions: list[Sequence[Any]] = []
    for i in range(0, len(articles), batch_size):
        texts = [a.text for a in articles[i : i + batch_size]]
        out = extractor.extract(texts)
        if len(out) != len(texts):
            raise ValueError(f"extractor returned {len(out)} results for {len(texts)} texts")
        predictions.extend(out)
    extract_seconds = time.perf_counter() - load_done

    total = Counts()
    for article, preds in zip(articles, predictions, strict=True):
        c = score_document(preds, article.relations, exclude_unattributed=exclude_unattributed)
        c.gold_skipped_without_content = article.skipped_without_content
        total.add(c)
    result = figures(total, exclude_unattributed=exclude_unattributed)
    elapsed = time.perf_counter() - started
    result.update(
        corpus=str(corpus_dir),
        annotator_choice="lexicographically first .ann per article",
        articles=ids,
        elapsed_seconds=elapsed,
        extract_seconds=extract_seconds,
        docs_per_second=_ratio(len(articles), extract_seconds),
    )
    return result


def format_report(fig: dict[str, Any]) -> str:
    def pct(x: float) -> str:
        return f"{100 * x:5.1f}%"

    rows = [
        ("documents", str(fig["documents"])),
        ("gold relations", f"{fig['gold']} ({fig['gold_no_source']} without source)"),
        (
            "predicted relations",
            f"{fig['predicted']}"
            + (
                f" ({fig['excluded_unattributed']} 'unattributed' excluded)"
                if fig["exclude_unattributed"]
                else " ('unattributed' included)"
            ),
        ),
        ("matched (content Dice >= 0.5)", str(fig["matched"])),
        ("precision", pct(fig["precision"])),
        ("recall", pct(fig["recall"])),
        ("F1", pct(fig["f1"])),
        ("mean content Dice (matched)", f"{fig['mean_content_dice']:.3f}"),
        (
            "source accuracy (matched)",
            f"{pct(fig['source_accuracy'])}  ({fig['source_correct']}/{fig['matched']}; "
            f"{fig['pairs_gold_no_source_correct']}/{fig['pairs_gold_no_source']} "
            "pairs with no gold source)",
        ),
        (
            "cue accuracy (matched)",
            f"{pct(fig['cue_accuracy'])}  ({fig['cue_correct']}/{fig['matched']})",
        ),
    ]
    if "elapsed_seconds" in fig:
        rows += [
            ("elapsed", f"{fig['elapsed_seconds']:.1f} s"),
            ("extraction speed", f"{fig['docs_per_second']:.2f} documents/s"),
        ]
    width = max(len(k) for k, _ in rows)
    lines = [f"{k:<{width}}  {v}" for k, v in rows]
    for kind, v in fig.get("by_kind", {}).items():
        lines.append(
            f"{'  kind ' + kind:<{width}}  {v['matched']}/{v['predicted']} matched "
            f"({pct(v['precision'])})"
        )
    if fig["exclude_unattributed"]:
        lines.append(
            "Predictions of kind 'unattributed' are excluded: PolNeAR does not annotate them."
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- CLI


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help=f"PolNeAR split folder (default: ${CORPUS_ENV_VAR} or {DEFAULT_CORPUS_RELATIVE} "
        "from the repository root)",
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--sample", type=int, default=None, help=f"score N articles (default {DEFAULT_SAMPLE})"
    )
    which.add_argument("--all", action="store_true", help="score the whole split")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="sample seed (13)")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    unattributed = parser.add_mutually_exclusive_group()
    unattributed.add_argument(
        "--exclude-unattributed",
        dest="exclude_unattributed",
        action="store_true",
        default=True,
        help="drop predictions of kind 'unattributed' (the default)",
    )
    unattributed.add_argument(
        "--include-unattributed",
        dest="exclude_unattributed",
        action="store_false",
        help="score predictions of kind 'unattributed' too",
    )
    args = parser.parse_args(argv)

    explicit = args.corpus is not None or bool(os.environ.get(CORPUS_ENV_VAR))
    corpus_dir = args.corpus if args.corpus is not None else default_corpus_dir()
    if not corpus_available(corpus_dir):
        msg = (
            f"PolNeAR corpus not found at {corpus_dir} (expects text/ and attributions/); "
            f"pass --corpus DIR or set {CORPUS_ENV_VAR}."
        )
        if explicit:
            print(f"error: {msg}", file=sys.stderr)
            return 2
        print(f"skipped: {msg}", file=sys.stderr)
        return 0

    all_ids = list_articles(corpus_dir)
    n = None if args.all else (args.sample if args.sample is not None else DEFAULT_SAMPLE)
    ids = sample_articles(all_ids, n, args.seed)
    what = "all" if n is None or n >= len(all_ids) else f"sample of {len(ids)}, seed {args.seed}"
    print(f"PolNeAR {corpus_dir}: {len(ids)} of {len(all_ids)} articles ({what})")

    fig = score_corpus(corpus_dir, ids, exclude_unattributed=args.exclude_unattributed)
    fig.update(sample=n, seed=args.seed, articles_in_split=len(all_ids))
    print(format_report(fig))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(fig, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
