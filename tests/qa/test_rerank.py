"""The passage re-ranker over a few hand-made retrieval results: a strong fused rank is
kept, a paraphrase earns partial credit, the previous sentence lends its names, and the
spans chosen inside the right sentence."""

from __future__ import annotations

from dataclasses import replace

import pytest
from spacy.language import Language

from bot.qa.answer import Mention, PassageInput, extract_answer, in_context, passage_features
from bot.qa.params import DEFAULT
from bot.qa.question import analyse_question
from bot.qa.rerank import passage_score


def _person(text: str, name: str) -> Mention:
    start = text.index(name)
    return Mention(start, start + len(name), "PERSON", name)


def _passage(text: str, rank: int, cosine: float, *names: str, **kw: str) -> PassageInput:
    mentions = tuple(_person(text, n) for n in names)
    return PassageInput(text, "", 1.0, cosine, mentions, rank=rank, **kw)


def test_a_strong_fused_rank_is_not_thrown_away_for_a_literal_word(nlp: Language) -> None:
    q = analyse_question(nlp("who started the global robotics challenge?"))
    right = _passage(
        "Dean Kamen founded the global robotics challenge in 2017.", 1, 0.72, "Dean Kamen"
    )
    literal = _passage("Joe Smith started the old car in the rain.", 9, 0.2, "Joe Smith")
    reading = extract_answer(nlp, q, [literal, right])
    assert reading.best is not None and reading.best.text == "Dean Kamen"
    assert reading.relevance[1] > reading.relevance[0]


def test_the_rank_feature_falls_with_the_fused_rank(nlp: Language) -> None:
    q = analyse_question(nlp("where is the summit held"))
    text = "The summit is held in Samarkand."
    ranks = [passage_features(q, _passage(text, r, 0.6)).rank for r in (1, 2, 5, 10)]
    assert ranks[0] == 1.0 and ranks == sorted(ranks, reverse=True) and ranks[-1] > 0


def test_a_paraphrase_beats_an_unrelated_sentence_of_equal_rank(nlp: Language) -> None:
    q = analyse_question(nlp("how many people were injured in the blast?"))
    killed = _passage("The blast killed 3 people on Monday.", 1, 0.6)
    wounded = _passage("The blast left 12 people wounded on Monday.", 1, 0.6)
    f_killed = passage_features(q, killed)
    f_wounded = passage_features(q, wounded)
    assert f_wounded.coverage > f_killed.coverage  # "wounded" stands in part for "injured"
    literal = passage_features(q, _passage("The blast injured 12 people.", 1, 0.6))
    assert literal.coverage > f_wounded.coverage  # … but less than the word itself
    reading = extract_answer(nlp, q, [killed, wounded])
    assert reading.best is not None and reading.best.text == "12"
    assert passage_score(f_wounded, DEFAULT) > passage_score(f_killed, DEFAULT)


def test_names_in_the_previous_sentence_count_for_the_sentence(nlp: Language) -> None:
    q = analyse_question(nlp("when was the nemisis database unveiled"))
    lone = _passage("It was unveiled on March 3, 2010.", 2, 0.45)
    with_context = _passage(
        "It was unveiled on March 3, 2010.",
        2,
        0.45,
        before="Police across Britain built the NEMISIS database.",
    )
    assert passage_features(q, with_context).context > passage_features(q, lone).context == 0
    other = _passage("A new phone was unveiled in 2012.", 2, 0.45)
    reading = extract_answer(nlp, q, [other, with_context])
    assert reading.best is not None and reading.best.passage == 1
    assert "March 3" in reading.best.text


def test_a_count_in_the_unit_asked_for_wins(nlp: Language) -> None:
    q = analyse_question(nlp("how many days did the team get to test its robot?"))
    text = "The team had only two weeks to build the robot and only one day to test it."
    reading = extract_answer(nlp, q, [_passage(text, 1, 0.7)])
    assert reading.best is not None and "one day" in reading.best.text


def test_an_open_what_keeps_the_noun_asked_about(nlp: Language) -> None:
    q = analyse_question(nlp("what medal did the afghan team win"))
    text = "The Afghan team was awarded a silver medal on Tuesday."
    reading = extract_answer(nlp, q, [_passage(text, 1, 0.7)])
    assert reading.best is not None and reading.best.text == "silver medal"


def test_a_relative_date_gives_way_to_an_absolute_one(nlp: Language) -> None:
    q = analyse_question(nlp("when did the festival open"))
    text = "The festival opened yesterday, on February 14, 2007."
    reading = extract_answer(nlp, q, [_passage(text, 1, 0.7)])
    assert reading.best is not None and "February 14" in reading.best.text


def test_the_score_is_a_probability_that_rises_with_each_feature(nlp: Language) -> None:
    q = analyse_question(nlp("what did valeska remove from the ship in 1997"))
    base = passage_features(q, _passage("Paris worked on the ship.", 3, 0.4))
    scores = [passage_score(base, DEFAULT)]
    for change in (
        {"coverage": base.coverage + 0.3},
        {"cosine": base.cosine + 0.3},
        {"rank": 1.0},
        {"anchors": 1.0},
        {"missing": 0},
    ):
        better = replace(base, **change)
        scores.append(passage_score(better, DEFAULT))
        assert passage_score(better, DEFAULT) >= scores[0]
    assert all(0.0 < s < 1.0 for s in scores)
    assert base.missing == 1  # "1997" is not there


def test_the_question_s_names_pick_the_sentence_about_it(nlp: Language) -> None:
    q = analyse_question(nlp("what did valeska have to take off the ship"))
    about = _passage("Valeska was made to remove asbestos from the ship.", 2, 0.5)
    other = _passage("The crew had to take food off the ship.", 1, 0.5)
    f_about, f_other = passage_features(q, about), passage_features(q, other)
    assert f_about.anchors == 1.0 and f_other.anchors == 0.0
    reading = extract_answer(nlp, q, [other, about])
    assert reading.best is not None and reading.best.passage == 1


def test_the_article_retrieved_most_and_the_cosines_first_choice_are_told(
    nlp: Language,
) -> None:
    a1 = replace(_passage("The festival runs through March 11.", 1, 0.5), retrieval=1.0)
    a2 = replace(_passage("The lanterns light the square.", 2, 0.7), retrieval=0.9)
    b1 = replace(_passage("A festival opened in Seoul.", 3, 0.6), retrieval=0.8)
    placed = in_context([a1, a2, b1], ["taipei", "taipei", "seoul"])
    assert [p.article for p in placed] == [1.0, 1.0, pytest.approx(0.8 / 1.9)]
    assert [p.cosine_rank for p in placed] == [3, 1, 2]
    q = analyse_question(nlp("how long does the festival go on"))
    home, away = (passage_features(q, replace(a1, article=x)) for x in (1.0, 0.4))
    assert home.article == 1.0 and away.article == 0.4
    assert passage_score(home, DEFAULT) > passage_score(away, DEFAULT)


def test_a_who_question_takes_a_noun_for_people_when_no_one_is_named(nlp: Language) -> None:
    q = analyse_question(nlp("who pulled the asylum seekers out after their boat sank?"))
    text = "On Friday, fishermen rescued over 700 asylum seekers whose boat sank."
    reading = extract_answer(nlp, q, [_passage(text, 1, 0.6)])
    assert reading.best is not None and reading.best.text == "fishermen"
    named = "Local fishermen said Ali Hasan rescued the asylum seekers whose boat sank."
    reading = extract_answer(nlp, q, [_passage(named, 1, 0.6, "Ali Hasan")])
    assert reading.best is not None and reading.best.text == "Ali Hasan"
