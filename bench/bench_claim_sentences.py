"""Would parsing only the sentences that can hold a claim pay? The upper bound, measured.

    .venv/bin/python bench/bench_claim_sentences.py [--articles 840]

The extractor needs a reporting cue to find a claim: a reporting verb or noun of the lexicon
(orchestration/extract/lexicon.py, in any inflection), "according to", or a quotation mark. A
sentence with none of them cannot hold an attributed claim, so spaCy could skip it. This prints
the share of the sentences, and of the characters (spaCy's cost is about linear in them), of the
real articles (PolNeAR, read in place) that have a cue: what is left to parse. The saving is at
most one minus that share, and it would cost what the extractor reads outside the claim's
sentence (a speaker named in full two sentences before "he said", the people and organisations
of the whole article that resolve a short name), so it is kept only if it pays clearly.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

IRREGULAR = {
    "said", "told", "thought", "knew", "known", "found", "wrote", "written", "saw", "seen",
    "heard", "felt", "meant", "spoke", "spoken", "understood", "sought", "swore", "sworn",
    "read", "according",
}  # fmt: skip


def cue_pattern() -> re.Pattern[str]:
    from orchestration.extract.lexicon import REPORTING_NOUNS, REPORTING_VERBS

    forms = set(IRREGULAR)
    for w in REPORTING_VERBS | REPORTING_NOUNS:
        stem = w[:-1] if w.endswith("e") else w
        forms |= {w, w + "s", w + "es", w + "ed", w + "d", stem + "ing", w + "ing"}
        if w.endswith("y"):
            forms |= {w[:-1] + "ies", w[:-1] + "ied"}
    words = "|".join(sorted(map(re.escape, forms), key=len, reverse=True))
    # double quotes, and an opening single one (’ is mostly an apostrophe: "don’t")
    return re.compile(r"[\"“”‘]|\b(?:" + words + r")\b", re.IGNORECASE)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=840)
    args = ap.parse_args()
    from real_site import article_files

    from orchestration.parse.sentences import split_sentences

    pattern = cue_pattern()
    n_sent = n_cue = chars = cue_chars = 0
    for path in article_files(args.articles):
        for s in split_sentences(path.read_text(encoding="utf-8")):
            n_sent += 1
            chars += len(s.text)
            if pattern.search(s.text):
                n_cue += 1
                cue_chars += len(s.text)
    print(f"{args.articles} articles, {n_sent} sentences")
    print(f"sentences with a cue: {n_cue} ({n_cue / n_sent:.1%}), "
          f"their characters: {cue_chars / chars:.1%} of the text")  # fmt: skip
    print(f"at most {1 - cue_chars / chars:.1%} of spaCy's work could be skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
