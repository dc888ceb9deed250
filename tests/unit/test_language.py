"""Language: py3langid weighed against the page's declared language, with the reason kept."""

from __future__ import annotations

import lxml.html
import pytest

from orchestration.parse.language import declared_language, detect_language

ENGLISH = (
    "The defence minister said on Monday that thousands of troops had crossed the border "
    "overnight, and that the government would ask its allies for help. "
) * 3
GERMAN = (
    "Der Verteidigungsminister sagte am Montag, Tausende Soldaten hätten in der Nacht die "
    "Grenze überquert, und die Regierung werde ihre Verbündeten um Hilfe bitten. "
) * 3
FRENCH = (
    "Le ministre de la Défense a déclaré lundi que des milliers de soldats avaient franchi la "
    "frontière pendant la nuit et que le gouvernement demanderait l'aide de ses alliés. "
) * 3
# English, but hardly a sentence: the detector is unsure what it is
BOX_SCORE = (
    "Lakers 112, Celtics 108. LAL: James 31 pts 8 reb 9 ast; Davis 24 pts 14 reb; Reaves 17. "
    "BOS: Tatum 28 pts 7 reb; Brown 22; Holiday 12 pts 6 ast. FG 45-88, 3PT 12-35, FT 10-12. "
    "Q1 28-30 Q2 27-25 Q3 30-26 Q4 27-27. Att 18,997. T 2:14."
)
RACE_RESULTS = (  # the detector's best guess is Nigerian Pidgin, at a few percent
    "Results: 1. Kipchoge (KEN) 2:01:09; 2. Kiprotich (KEN) 2:05:58; 3. Geay (TAN) 2:06:28; "
    "4. Tola (ETH) 2:06:51; 5. Kamworor (KEN) 2:07:10; 6. Mutai (KEN) 2:07:50."
)
RECIPE = (  # Italian, says the detector (0.7): the words of the dish are
    "Ingredients: 250 g mozzarella di bufala, 2 tbsp olive oil, 12 basil leaves, 100 g "
    "pancetta, 50 g parmigiano reggiano, 200 g ricotta, 400 g tagliatelle, 1 clove garlic, "
    "pepperoncino, sale, pepe nero. Serves 4. Prep 20 min. Cook 15 min."
)
MENU = (  # Italian at 0.99, but too short a text to overrule a declaration
    "Menu: bruschetta al pomodoro, carpaccio di manzo, risotto ai funghi porcini, spaghetti "
    "alle vongole, ossobuco alla milanese, tiramisu, panna cotta, espresso, limoncello."
)


def test_declared_and_detected_agree():
    g = detect_language(ENGLISH, "en-US", "html lang en-US")
    assert g.language == "en"
    assert g.reason.startswith("html lang en-US; detected en (")


def test_a_confident_detection_overrules_a_template_declaration():
    g = detect_language(GERMAN, "en", "html lang en")
    assert g.language == "de"
    assert "overrules html lang en" in g.reason


@pytest.mark.parametrize("text", [BOX_SCORE, RACE_RESULTS, RECIPE, MENU])
def test_an_unsure_or_short_detection_keeps_the_declared_english(text):
    g = detect_language(text, "en-US", "html lang en-US")
    assert g.language == "en", g
    assert g.reason.startswith("html lang en-US; detected ")


def test_the_detector_alone_would_have_refused_them():
    """Without the declaration these pages are not all English: the declaration is what
    keeps them (so the test above tests the weighing, not the detector)."""
    guesses = {detect_language(t).language for t in (RACE_RESULTS, RECIPE, MENU)}
    assert guesses - {"en"}


def test_without_a_declaration_the_detector_decides():
    assert detect_language(FRENCH).language == "fr"
    g = detect_language(ENGLISH)
    assert g.language == "en" and "no declared language" in g.reason


def test_too_little_text():
    assert detect_language("Home | Login", None).language is None
    assert detect_language("Home | Login", "fr-FR").language == "fr"


@pytest.mark.parametrize(
    ("html", "hint", "expected"),
    [
        ('<html lang="en-GB"><head></head><body></body></html>', None, ("en", "html lang en-GB")),
        ('<html lang="pt_BR"><head></head><body></body></html>', None, ("pt", "html lang pt_BR")),
        (
            '<html><head><meta http-equiv="Content-Language" content="de-AT"></head></html>',
            None,
            ("de", "content-language de-AT"),
        ),
        (
            '<html><head><meta property="og:locale" content="fr_FR"></head></html>',
            None,
            ("fr", "og:locale fr_FR"),
        ),
        ("<html><head></head><body></body></html>", "es", ("es", "listing language es")),
        ('<html lang="und"><head></head><body></body></html>', None, (None, None)),
        ('<html lang="  "><head></head><body></body></html>', None, (None, None)),
    ],
)
def test_declared_language(html, hint, expected):
    assert declared_language(lxml.html.document_fromstring(html), hint) == expected


def test_html_lang_comes_before_the_listing():
    doc = lxml.html.document_fromstring('<html lang="en"><body></body></html>')
    assert declared_language(doc, "de") == ("en", "html lang en")
