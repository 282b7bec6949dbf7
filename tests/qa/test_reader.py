"""The QA-model path, with a tiny extractive model built here from a config (random
weights, a WordPiece vocabulary made from the seed's own words, saved with
save_pretrained): the reading runs end to end and answers with a span of a passage."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import torch
from support import SEED_FILE
from transformers import BertConfig, BertForQuestionAnswering, BertTokenizerFast

from bot.nlp.model_errors import ModelUnavailable
from bot.qa import Answerer
from bot.qa.reader import Reader
from bot.service import Newsdesk


@pytest.fixture(scope="module")
def tiny_qa_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tiny-qa")
    text = SEED_FILE.read_text(encoding="utf-8").lower()
    words = sorted(set(re.findall(r"\w+|[^\w\s]", text)))
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]
    vocab_file = folder / "vocab.txt"
    vocab_file.write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(vocab_file), do_lower_case=True)
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
    )
    model_dir = folder / "model"
    tokenizer.save_pretrained(model_dir)
    BertForQuestionAnswering(config).save_pretrained(model_dir)
    return model_dir


def test_reader_returns_spans_of_the_passages(tiny_qa_model: Path) -> None:
    reader = Reader(str(tiny_qa_model))
    passages = [
        "Xi Jinping’s meeting is at the summit in Samarkand, Uzbekistan.",
        "Tokayev came to power in 2019 after nearly three decades of rule.",
        " ".join(["Kazakhstan leaned towards Russia."] * 40),  # longer than one window
    ]
    spans = reader.read("Where is the SCO summit held?", passages)
    assert {s.passage for s in spans} == {0, 1, 2}
    assert spans == sorted(spans, key=lambda s: -s.score)
    for span in spans:
        assert passages[span.passage][span.start : span.end] == span.text
        assert span.text.strip() and 0 < span.score <= 1
    assert reader.read("", passages) == [] and reader.read("Who?", []) == []


async def test_answerer_reads_with_the_configured_model(
    qa_desk: Newsdesk, tiny_qa_model: Path
) -> None:
    settings = qa_desk.settings.model_copy(update={"qa_model": str(tiny_qa_model)})
    answerer = Answerer(qa_desk.store, qa_desk.analyser, settings, reader_threshold=0.0)
    answer = await answerer.ask("Where is the SCO summit held?")
    assert answer.method == "reader" and answer.found and answer.note is None
    assert answer.evidence and answer.answer in answer.evidence
    assert answer.source and answer.title and answer.article
    # A random model is never sure: with the usual threshold it says the corpus does not.
    answerer.reader_threshold = 0.5
    unsure = await answerer.ask("Where is the SCO summit held?")
    assert not unsure.found and unsure.passages and unsure.method == "reader"


async def test_a_model_that_cannot_load_falls_back_offline_with_a_note(
    qa_desk: Newsdesk, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-model"
    with pytest.raises(ModelUnavailable, match="QA_MODEL"):
        Reader(str(missing))
    settings = qa_desk.settings.model_copy(update={"qa_model": str(missing)})
    answerer = Answerer(qa_desk.store, qa_desk.analyser, settings)
    answer = await answerer.ask("Where is the SCO summit held?")
    assert answer.method == "offline" and answer.answer.startswith("Samarkand")
    assert answer.note and "QA_MODEL" in answer.note and "offline" in answer.note
