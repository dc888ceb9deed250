"""Rules of the claim extractor, one behaviour per test, on sentences written for the purpose
(the real spaCy model parses them)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def extract(extractor):
    def run(text: str, outlet: str | None = None):
        return extractor.extract([text], [outlet])[0]

    return run


def _claims(mentions):
    return [m for m in mentions if m.is_claim]


def _by_cue(mentions, cue: str):
    return [m for m in mentions if m.cue is not None and m.cue.text == cue]


def test_a_request_is_an_attribution_but_not_a_claim(extract):
    text = (
        "The Aurelian Bakers' Federation asked the government to keep a close eye on flour "
        "prices over the coming weeks."
    )
    mentions = extract(text)
    request = _by_cue(mentions, "asked")
    assert request and request[0].speech_act == "directive" and not request[0].is_claim
    # that the request was made is the outlet's own claim
    claims = _claims(mentions)
    assert [m.attribution_kind for m in claims] == ["unattributed"]
    assert claims[0].content.text.startswith("The Aurelian Bakers' Federation asked")


@pytest.mark.parametrize(
    ("text", "cue", "act"),
    [
        ("Opposition leaders pledged their support for the government in the crisis.",
         "pledged", "commissive"),
        ("Speaker after speaker praised the discipline of the troops and their commanders.",
         "praised", "evaluative"),
        ("The harbour master declined to confirm the name of the vessel or its flag.",
         "confirm", "withheld"),
    ],
)  # fmt: skip
def test_commitments_evaluations_and_withheld_statements_are_not_claims(extract, text, cue, act):
    mentions = _by_cue(extract(text), cue)
    assert mentions and mentions[0].speech_act == act and not mentions[0].is_claim


def test_agreeing_that_asserts_but_agreeing_to_commits(extract):
    (asserted,) = [
        m for m in extract("The two ministers agreed that the talks had failed.") if m.cue
    ]
    assert asserted.speech_act == "assertion"
    committed = [
        m for m in extract("Maristan agreed to open a humanitarian corridor for grain ships.")
        if m.cue
    ]  # fmt: skip
    assert committed and committed[0].speech_act == "commissive"


def test_said_a_and_that_b_is_two_claims(extract):
    text = (
        "Moen said the attackers may have probed other grids in the region before they struck "
        "Aurelia, and that operators had been asked to check their remote-access logs."
    )
    said = _by_cue(_claims(extract(text)), "said")
    assert [m.content.text for m in said] == [
        "the attackers may have probed other grids in the region before they struck Aurelia",
        "operators had been asked to check their remote-access logs",
    ]
    assert {m.source_name for m in said} == {"Moen"}


def test_trailing_attribution_misparsed_as_a_conjunct(extract):
    text = (
        "Maristan and the International Committee for Maritime Safety have agreed to open a "
        "humanitarian corridor for grain ships stranded in Port Celan, Maristan's transport "
        "minister said on Saturday."
    )
    (said,) = _by_cue(extract(text), "said")
    assert said.attribution_kind == "indirect" and said.is_claim
    assert said.source.text == "Maristan's transport minister"
    assert said.content.text.startswith("Maristan and the International Committee")
    assert said.content.text.endswith("stranded in Port Celan")


def test_reporting_verb_misparsed_as_a_modifier_of_the_speaker(extract):
    text = (
        "Dr. Helen Okafor, a military analyst at the Halvik Institute for Strategic Studies, "
        "estimated from commercial satellite images that the build-up could amount to "
        "8-thousand troops, supported by artillery."
    )
    (m,) = _by_cue(extract(text), "estimated")
    assert m.source_name == "Helen Okafor"
    assert m.content.text.startswith("the build-up could amount to 8-thousand troops")
    assert m.quantity is not None and m.quantity.value == 8000 and m.quantity.unit == "troops"


def test_short_reference_to_an_acronym_the_article_spells_out(extract):
    text = (
        "Maristan and the International Committee for Maritime Safety met on Friday. Between "
        "1.8 million and 2.5 million tonnes of grain remain in the port, according to ICMS "
        "estimates. About 40 ships are waiting to leave, the committee said."
    )
    attributed = [m for m in extract(text) if m.attribution_kind != "unattributed"]
    assert [m.source_name for m in attributed] == [
        "International Committee for Maritime Safety",
        "International Committee for Maritime Safety",
    ]


def test_bare_government_takes_the_country_in_context(extract):
    text = (
        "Kestrania's navy command said on Friday there was no evidence that the approaches had "
        "been mined, and the government accused Maristan of exaggerating the amount of grain "
        "stuck in the port."
    )
    (accused,) = _by_cue(extract(text), "accused")
    assert accused.source_name == "Kestranian government"
    assert accused.source_description.affiliation == "XK"
    # calling a figure exaggerated disputes it
    assert accused.is_denial


def test_outlet_statements_are_taken_clause_by_clause(extract):
    text = (
        "Power has since returned to most of Aurelia, and schools in the south are due to "
        "reopen on Monday."
    )
    claims = _claims(extract(text))
    assert [(m.attribution_kind, m.content.text) for m in claims] == [
        ("unattributed", "Power has since returned to most of Aurelia")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Neither account could be independently verified.",
        "Kestrania's embassy in Ostrava could not be reached by telephone on Monday morning.",
        "The council, which ended its session on Thursday, is due to meet again next week.",
    ],
)
def test_notes_and_announcements_are_not_outlet_claims(extract, text):
    assert not [m for m in extract(text) if m.attribution_kind == "unattributed"]


def test_a_relative_clause_about_the_future_does_not_hide_a_past_event(extract):
    text = (
        "The minister spoke after an overnight meeting of the national security council, which "
        "is due to meet again on Tuesday."
    )
    claims = _claims(extract(text))
    assert [m.attribution_kind for m in claims] == ["unattributed"]
