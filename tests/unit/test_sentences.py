"""The sentence splitter: offsets into the text, and the hard cases of real pages."""

from __future__ import annotations

import pytest

from orchestration.parse.sentences import split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Officials met for talks.The minister left.",
            ["Officials met for talks.", "The minister left."],
        ),
        (
            "U.S. troops stayed. Gen. Kessel said so.",
            ["U.S. troops stayed.", "Gen. Kessel said so."],
        ),
        (
            "He lives in the U.S. The minister said so.",
            ["He lives in the U.S.", "The minister said so."],
        ),
        (
            "J. Smith met Dr. Who at No. 10 Downing St. on Monday.",
            ["J. Smith met Dr. Who at No. 10 Downing St. on Monday."],
        ),
        (
            '"We will not retreat," he said. "Never."',
            ['"We will not retreat," he said.', '"Never."'],
        ),
        ("“It is over.” Then he left.", ["“It is over.”", "Then he left."]),
        ("Prices rose 2.5 percent. Wages fell.", ["Prices rose 2.5 percent.", "Wages fell."]),
        ("Is it true? Yes! It is.", ["Is it true?", "Yes!", "It is."]),
        (
            "First paragraph without a stop\nSecond one.",
            ["First paragraph without a stop", "Second one."],
        ),
        ("The firm, Acme Inc. said profits rose.", ["The firm, Acme Inc. said profits rose."]),
        ("e.g. this stays together", ["e.g. this stays together"]),
    ],
)
def test_split(text, expected):
    assert texts(text) == expected


def test_offsets_point_into_the_text():
    text = "  One sentence here.  Two?\n\n  Three!  "
    for i, s in enumerate(split_sentences(text)):
        assert s.index == i
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
