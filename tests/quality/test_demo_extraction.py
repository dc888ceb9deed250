"""Extraction quality on the demo site, scored against its gold (bench/score_demo.py).

Floors sit a little under the measured figures (README, "Extraction quality"); they only go up.
"""

from __future__ import annotations

import pytest

from bench.score_demo import format_report, score_demo

FLOORS = {  # each with the figure measured on 2026-11-30
    ("mentions", "f1"): 0.78,  # 0.806
    ("mentions", "recall"): 0.96,  # 0.979
    ("attributed", "f1"): 0.90,  # 0.922
    ("attributed", "recall"): 0.97,  # 0.990
    ("attributed", "precision"): 0.84,  # 0.863
    ("unattributed", "f1"): 0.57,  # 0.590
    "attribution_kind_accuracy": 0.98,  # 0.996
    "source_resolution_accuracy": 0.83,  # 0.851
    "source_kind_accuracy": 0.97,  # 0.981
    "source_type_accuracy": 0.97,  # 0.986
    "source_affiliation_accuracy": 0.82,  # 0.841
    "quantity_accuracy": 0.95,  # 0.958
    "hedged_accuracy": 0.95,  # 0.975
    "denial_accuracy": 0.96,  # 0.982
    "unverified_accuracy": 0.92,  # 0.940
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
