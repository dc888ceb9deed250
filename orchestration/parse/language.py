"""The language of a page: a statistical detector weighed against the language the page declares.

The detector is py3langid, a maintained fork of langid.py: a naive Bayes model over byte n-grams
for 140 languages, shipped inside the package (no download at run time), about a millisecond per
page after a one-off load of under a second. lingua is more accurate on very short strings but
loads hundreds of megabytes of models and is an order of magnitude slower; news pages are long
enough that langid's accuracy is not what limits us, and a night has thousands of pages.

Evidence, and how it is weighed (:func:`detect_language`):

- the declared language: ``<html lang>``, else ``<meta http-equiv="content-language">``, else
  ``og:locale``, else the feed's or the sidecar's language; only its primary subtag counts
  (``en-US`` -> ``en``);
- the detector's best language and its probability (normalised over all languages) on the
  main text.

A confident detection (probability >= ``CONFIDENT``) on enough text (``MIN_CHARS``) wins over a
declaration: templates often say ``lang="en"`` on pages written in another language. Otherwise
the declaration wins: a recipe list or a sports box score declared ``en-US`` has too few
ordinary sentences for the detector to be sure, and stays English. Without a declaration the
detector's best language is taken, however unsure (the reason says so). The reason is kept with
the article (``language_reason``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["CONFIDENT", "MIN_CHARS", "LanguageGuess", "declared_language", "detect_language"]

CONFIDENT = 0.9
"""The detector's probability above which it overrules the page's declared language."""

MIN_CHARS = 200
"""Fewer letters than this and the detector does not overrule a declaration."""

MIN_DETECT_CHARS = 20
"""Fewer letters than this and nothing is detected at all."""

SAMPLE_CHARS = 5000
"""The detector reads the first this many characters of the text (enough, and bounded)."""

_TAG = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*\s*$")


@dataclass(frozen=True)
class LanguageGuess:
    language: str | None  # ISO 639-1 (or -3 where there is no two-letter code); None: unknown
    reason: str


def _primary(tag: str | None) -> str | None:
    """'en-US' -> 'en', 'pt_BR' -> 'pt'; None for a missing, 'und', 'mul' or malformed tag."""
    if not tag:
        return None
    m = _TAG.match(tag)
    if not m:
        return None
    code = m.group(1).lower()
    return None if code in {"und", "mul", "zxx", "mis"} else code


def declared_language(doc, hint: str | None = None) -> tuple[str | None, str | None]:
    """(primary language subtag, where it was declared) from an lxml document and a listing's
    hint: ``<html lang>`` (or ``xml:lang``), ``content-language``, ``og:locale``, the hint."""
    if doc is not None:
        root = doc.getroottree().getroot() if hasattr(doc, "getroottree") else doc
        for attr in ("lang", "{http://www.w3.org/XML/1998/namespace}lang", "xml:lang"):
            raw = root.get(attr)
            if _primary(raw):
                return _primary(raw), f"html lang {raw.strip()}"
        for el in doc.iter("meta"):
            equiv = (el.get("http-equiv") or "").strip().lower()
            prop = (el.get("property") or el.get("name") or "").strip().lower()
            content = (el.get("content") or "").split(",")[0]
            if (equiv == "content-language" or prop == "og:locale") and _primary(content):
                return _primary(content), f"{equiv or prop} {content.strip()}"
    if _primary(hint):
        return _primary(hint), f"listing language {hint.strip()}"
    return None, None


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def detect_language(
    text: str, declared: str | None = None, declared_from: str | None = None
) -> LanguageGuess:
    """The language of `text`, weighing the detector against the `declared` language (a tag
    such as 'en-US'; `declared_from` says where it was declared, for the reason)."""
    declared_code = _primary(declared)
    where = declared_from or (f"declared {declared.strip()}" if declared_code else None)
    sample = text[:SAMPLE_CHARS]
    letters = _letters(sample)
    if letters < MIN_DETECT_CHARS:
        if declared_code:
            return LanguageGuess(declared_code, f"{where}; too little text to detect")
        return LanguageGuess(None, "no declared language and too little text to detect")
    found, prob = _identifier().classify(sample)
    detected = f"detected {found} ({prob:.2f})"
    if declared_code is None:
        unsure = "" if prob >= CONFIDENT else ", unsure"
        return LanguageGuess(found, f"{detected}{unsure}; no declared language")
    if found == declared_code:
        return LanguageGuess(declared_code, f"{where}; {detected}")
    if prob >= CONFIDENT and letters >= MIN_CHARS:
        return LanguageGuess(found, f"{detected} overrules {where}")
    return LanguageGuess(declared_code, f"{where}; {detected} not sure enough to overrule it")
