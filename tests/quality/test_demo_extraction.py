"""Extraction quality on the demo site, scored against its gold (bench/score_demo.py).

Floors sit a little under the measured figures (README, "Extraction quality"); they only go up.
"""

from __future__ import annotations

import pytest

from bench.score_demo import format_report, score_demo

FLOORS = {
    ("mentions", "f1"): 0.75,
    ("mentions", "recall"): 0.85,
    ("attributed", "f1"): 0.85,
    ("attributed", "recall"): 0.95,
    ("attributed", "precision"): 0.75,
    ("unattributed", "f1"): 0.50,
    "attribution_kind_accuracy": 0.95,
    "source_resolution_accuracy": 0.80,
    "source_kind_accuracy": 0.95,
    "source_type_accuracy": 0.95,
    "source_affiliation_accuracy": 0.80,
    "quantity_accuracy": 0.95,
    "hedged_accuracy": 0.95,
    "denial_accuracy": 0.95,
    "unverified_accuracy": 0.90,
}


@pytest.fixture(scope="module")
def figures(extractor):
    fig = score_demo(extractor)
    print("\n" + format_report(fig))
    return fig


@pytest.mark.parametrize(
    "key", list(FLOORS), ids=lambda k: "-".join(k) if isinstance(k, tuple) else k
)
def test_floor(figures, key):
    value = figures[key[0]][key[1]] if isinstance(key, tuple) else figures[key]
    assert value >= FLOORS[key], f"{key}: {value:.3f} < floor {FLOORS[key]}"


def test_every_span_is_the_text_at_its_offsets(figures):
    assert figures["bad_spans"] == 0
    assert figures["gold_missing_in_text"] == 0  # the parser keeps every annotated sentence
