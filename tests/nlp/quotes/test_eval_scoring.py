"""The benchmark's scoring: Gender Gap Tracker matching at 30 % coverage."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
from quotes_eval import (
    Score,
    Span,
    article_body,
    from_export,
    gold_spans,
    locate,
    same_speaker,
    score,
)


def test_a_gold_quote_is_found_above_30_percent_coverage() -> None:
    gold = [Span(0, 100, "Niva Yau")]
    assert score(gold, [Span(60, 200, "Niva Yau")]).found == 1  # covers 40 %
    missed = score(gold, [Span(75, 200, "Niva Yau")])  # covers 25 %
    assert missed.found == 0
    assert len(missed.misses) == 1 and len(missed.extras) == 1


def test_exactly_30_percent_is_not_enough() -> None:
    assert score([Span(0, 100, "x")], [Span(70, 100, "x")]).found == 0


def test_each_prediction_matches_one_gold_quote_best_first() -> None:
    gold = [Span(0, 50, "A"), Span(50, 100, "B")]
    one_big = [Span(0, 100, "A")]
    result = score(gold, one_big)
    assert result.found == 1 and result.predicted == 1 and len(result.misses) == 1
    # the better-covered gold quote gets the prediction
    result = score(gold, [Span(40, 100, "B")])
    assert result.found == 1 and result.misses[0].speaker == "A"


def test_unmatched_predictions_are_false_positives() -> None:
    result = score([Span(0, 10, "A")], [Span(0, 10, "A"), Span(20, 30, "B")])
    assert (result.precision, result.recall) == (0.5, 1.0)
    assert result.f1 == pytest.approx(2 / 3)


def test_speaker_accuracy_counts_full_name_matches_among_found() -> None:
    gold = [Span(0, 10, "Niva Yau"), Span(20, 30, "Elizabeth Wishnick"), Span(40, 50, "X")]
    predicted = [Span(0, 10, "niva yau"), Span(20, 30, "Wishnick")]
    result = score(gold, predicted)
    assert result.found == 2 and result.speaker_ok == 1
    assert result.speaker_accuracy == 0.5
    assert result.wrong_speaker[0][1].speaker == "Wishnick"


def test_pronoun_speakers_are_tallied() -> None:
    gold = [Span(0, 10, "Niva Yau"), Span(20, 30, "Cres Eastman")]
    predicted = [Span(0, 10, "Niva Yau", "She"), Span(20, 30, "Mark Tedeschi", "he")]
    result = score(gold, predicted)
    assert (result.pronoun_found, result.pronoun_ok) == (2, 1)


def test_per_kind_counts_and_totals_add_up() -> None:
    a = score([Span(0, 10, "A", kind="direct")], [Span(0, 10, "A")])
    b = score([Span(0, 10, "B", kind="indirect")], [])
    total = Score()
    total.add(a)
    total.add(b)
    assert (total.gold, total.found, total.speaker_ok) == (2, 1, 1)
    assert total.by_kind == {"direct": [1, 1, 1, 1], "indirect": [1, 0, 0, 0]}


def test_same_speaker_is_case_insensitive_and_ignores_a_leading_the() -> None:
    assert same_speaker("The Straits Times", "the straits times")
    assert same_speaker("Deseret News", "The Deseret News")
    assert not same_speaker("Yau", "Niva Yau")
    assert not same_speaker("", "")


def test_gold_quotes_are_located_in_order(tmp_path: Path) -> None:
    body = 'A "same words" here. Later "same words" again.'
    record = {
        "file": "x.txt",
        "quotes": [
            {"quote": "same words", "reference": "A"},
            {"quote": "same words", "reference": "B"},
            {"quote": "not in the text", "reference": "C"},
        ],
    }
    spans, missing = gold_spans(record, body)
    assert [s.start for s in spans] == [3, body.rindex("same words")]
    assert missing == ["not in the text"]
    assert locate(body, "Later", 0) == (body.index("Later"), body.index("Later") + 5)


def test_article_body_drops_the_title_and_page_furniture(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Title | Site\n\nFirst paragraph.\n\nSecond.\n\nLeave a Comment\n")
    assert article_body(path) == "First paragraph.\n\nSecond."


def test_export_records_are_keyed_by_source_basename(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    record = {
        "source": "gum-news/afghan.txt",
        "text": "body",
        "quotes": [{"text": "bo", "start": 0, "end": 2, "speaker": "A", "kind": "direct"}],
    }
    path.write_text(json.dumps(record) + "\n")
    text, quotes = from_export(path)["afghan.txt"]
    assert text == "body" and quotes == [Span(0, 2, "A", "", "direct")]


def test_pieces_are_scored_one_by_one() -> None:
    from quotes_eval import score_pieces

    gold = [Span(0, 100, "Niva Yau", pieces=((0, 40), (60, 100)))]
    one_span = [Span(0, 100, "Niva Yau")]  # a split quote emitted as one piece
    assert score_pieces(gold, one_span).found == 1
    two = [Span(0, 100, "Niva Yau", pieces=((0, 40), (60, 100)))]
    result = score_pieces(gold, two)
    assert (result.found, result.gold, result.speaker_ok) == (2, 2, 2)


def test_the_first_gold_set_splits_at_an_interrupting_cue() -> None:
    from quotes_eval import split_pieces

    body = "“A quiet rivalry,” said Therese Fallon, a director. “It is pretty clear.”"
    start, end = 1, len(body) - 1
    pieces = split_pieces(body, start, end)
    assert [body[a:b] for a, b in pieces] == ["A quiet rivalry", "It is pretty clear."]
    assert split_pieces("no marks here", 0, 13) == ((0, 13),)


def test_per_piece_gold_is_relocated_when_the_body_differs() -> None:
    from quotes_eval import segment_spans

    record = {"quotes": [{"reference": "X", "segments": [{"start": 0, "end": 5, "text": "hello"}]}]}
    spans, missing = segment_spans(record, "Say: hello")
    assert missing == [] and (spans[0].start, spans[0].end) == (5, 10)


def test_polnear_attributions_and_fullest_names() -> None:
    from polnear import fullest_name, is_saying, parse_ann

    ann = (
        "T1\tSource 0 5\tTrump\nT2\tCue 6 10\tsaid\nT3\tContent 11 20;30 40\tx\n"
        "T4\tAttribution 6 10\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    )
    (att,) = parse_ann(ann)
    assert att["content"] == [(11, 20), (30, 40)] and att["source"] == [(0, 5)]
    assert is_saying("has said") and is_saying("according to") and not is_saying("thinks")
    text = "Republican front-runner Donald Trump spoke. Sen. Lindsey Graham replied. Trump left."
    assert fullest_name(text, "Trump") == "Donald Trump"
    assert fullest_name(text, "Graham, a former candidate,") == "Lindsey Graham"
    assert fullest_name(text, "he") is None and fullest_name(text, "officials") is None


def test_polnear_speech_view_keeps_what_was_said_not_judgements_data_or_beliefs() -> None:
    from polnear import in_view

    assert in_view("said", "Trump", marked=False)
    assert in_view("noting", "Buchanan", marked=False)  # the first stemmer missed "noting"
    assert in_view("pointed out", "Clinton", marked=False)
    assert in_view("called", "Trump", marked=True)  # called immigrants “rapists”
    assert not in_view("criticized", "Mukasey", marked=False)  # criticized Clinton's email use
    assert not in_view("pointed to", "Cruz", marked=False)
    assert not in_view("did not respond to", "his campaign", marked=False)
    assert not in_view("Asked", "", marked=False)
    assert not in_view("according to", "the NBC-Wall Street Journal poll", marked=False)
    assert in_view("says", "The Census Bureau", marked=False)  # a body that speaks
    assert not in_view("thinks", "Trump", marked=True)  # a scare quote in a belief
    assert in_view("criticized", "Mukasey", marked=False, view="broad")


def test_polnear_speech_view_joins_pieces_brat_cut_at_a_sentence_boundary() -> None:
    from polnear import _merged

    text = "“They understand our plight. Both have horrible histories.”\nNext. “A,” she said."
    segs = [{"start": 1, "end": 28}, {"start": 29, "end": 59}, {"start": 68, "end": 69}]
    assert _merged(text, segs) == [{"start": 1, "end": 59}, {"start": 68, "end": 69}]
