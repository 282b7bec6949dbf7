"""Rules for the failure groups seen on unseen news (issue 11): cues, page furniture,
documents, roles and organisations, shared surnames, names, pronouns, cue-less quotes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.nlp.quotes.lexicon import first_name_gender, tidy_name

# -- cue lexicon -------------------------------------------------------------------


def test_verb_and_particle_cues(quotes_of, only) -> None:
    q = only(quotes_of("Mayor Jane Whitfield points out that the budget is short."), "budget")
    assert (q.cue, q.speaker) == ("point out", "Jane Whitfield")


def test_manner_verbs_are_cues(quotes_of, only) -> None:
    q = only(quotes_of('"It is a disaster," blurted Tom Jones.'), "disaster")
    assert (q.cue, q.speaker) == ("blurt", "Tom Jones")


def test_quoted_as_saying(quotes_of, only) -> None:
    q = only(quotes_of("Mary Ellis was quoted as saying the firm would appeal."), "appeal")
    assert q.speaker == "Mary Ellis"


def test_adding_that_is_a_second_quote(quotes_of) -> None:
    text = "John Smith said the plan was dead, adding that the town would need a new one."
    quotes = quotes_of(text)
    assert [(q.cue, q.speaker) for q in quotes] == [("say", "John Smith"), ("add", "John Smith")]


@pytest.mark.parametrize(
    "text",
    [
        "Mary Jones believes the plan is dead.",
        "Tom Brown wondered whether the plan was dead.",
    ],
)
def test_thoughts_are_not_quotes(quotes_of, text: str) -> None:
    assert quotes_of(text) == []


def test_temporal_as_is_not_a_relay(quotes_of) -> None:
    text = "Ted Cruz is highlighting his win as he urges conservatives to unite behind him."
    assert quotes_of(text) == []


def test_as_x_told_y_is_a_relay(quotes_of, only) -> None:
    text = "As Colette Heald told The Huffington Post, surface ozone has not fallen."
    assert only(quotes_of(text), "ozone").speaker == "Colette Heald"


# -- page furniture ----------------------------------------------------------------


@pytest.mark.parametrize(
    "furniture",
    [
        "READ MORE: Mayor says the bridge will open next week",
        "WATCH: Mayor Jane Whitfield says the bridge will open",
        'Mayor Jane Whitfield says "the bridge is safe" at a rally. (Tom Reid/Reuters)',
        "Mayor Says Bridge Will Open Next Week Despite Delays",
    ],
)
def test_furniture_quotes_nobody(quotes_of, furniture: str) -> None:
    text = f"{furniture}\n\nThe bridge carries 20,000 cars a day."
    assert quotes_of(text) == []


# -- documents, roles, organisations -----------------------------------------------


def test_a_release_speaks_for_whoever_issued_it(quotes_of, only) -> None:
    text = "UFCW Local 832 issued a release on Monday. The release said the strike would go ahead."
    assert only(quotes_of(text), "strike").speaker == "UFCW Local 832"


def test_a_report_by_an_outlet(quotes_of, only) -> None:
    q = only(quotes_of("A report by Reuters said the company would close two plants."), "plants")
    assert q.speaker == "Reuters"


def test_an_authorless_survey_is_nobodys_words(quotes_of) -> None:
    assert quotes_of("A survey said that most voters want change.") == []


def test_the_mayor_is_the_person_called_mayor(quotes_of, only) -> None:
    text = "Mayor Jane Whitfield opened the bridge. The mayor said the project was on budget."
    assert only(quotes_of(text), "budget").speaker == "Jane Whitfield"


def test_the_company_is_the_company_just_named(quotes_of, only) -> None:
    text = "Facebook announced new rules. The company said the change would protect users."
    assert only(quotes_of(text), "protect").speaker == "Facebook"


def test_the_28_year_old(quotes_of, only) -> None:
    text = "Tom Becker, 28, scored twice. The 28-year-old said the goals came easily."
    assert only(quotes_of(text), "goals").speaker == "Tom Becker"


# -- names -------------------------------------------------------------------------


def test_a_shared_surname_goes_to_the_one_last_named_in_full(quotes_of, only) -> None:
    text = (
        "Hillary Clinton spoke in Iowa on Monday. Bill Clinton spoke in Ohio.\n\n"
        "Later, Hillary Clinton toured a factory. Clinton said the economy was improving."
    )
    assert only(quotes_of(text), "economy").speaker == "Hillary Clinton"


@pytest.mark.parametrize(
    ("raw", "tidy"),
    [
        ("Khaled Belkacemi,60", "Khaled Belkacemi"),
        ("Niva\u200b Yau", "Niva Yau"),
        ("Trump’s", "Trump"),
        ("Billionaire Donald Trump", "Donald Trump"),
        ("Dr. Amara Okafor", "Amara Okafor"),
        ("Hernan Dario Gomez", "Hernan Dario Gomez"),
    ],
)
def test_names_are_tidied(raw: str, tidy: str) -> None:
    assert tidy_name(raw) == tidy


def test_first_name_gender_lexicon() -> None:
    assert (first_name_gender("Mary"), first_name_gender("John")) == ("f", "m")


# -- pronouns ----------------------------------------------------------------------


def test_she_is_never_a_man_the_first_name_says(quotes_of, only) -> None:
    text = (
        "Mary Collins runs the shelter. John Baker donated the building.\n\n"
        "She said the shelter would double its beds."
    )
    assert only(quotes_of(text), "beds").speaker == "Mary Collins"


def test_an_antecedent_several_paragraphs_back(quotes_of, only) -> None:
    text = (
        "Mary Collins has run the shelter since 2010.\n\n"
        "The building dates from 1902.\n\n"
        "Its roof was replaced last year.\n\n"
        "She said the shelter would double its beds."
    )
    assert only(quotes_of(text), "beds").speaker == "Mary Collins"


def test_pronouns_module_does_not_import_the_name_resolver() -> None:
    path = Path(__file__).resolve().parents[3] / "bot" / "nlp" / "quotes" / "pronouns.py"
    imported = {
        node.module
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom)
    }
    assert "bot.nlp.quotes.speakers" not in imported
    assert "bot.nlp.quotes.memory" in imported


# -- cue-less quotes ---------------------------------------------------------------


def test_a_paragraph_opening_with_a_quote_carries_on(quotes_of) -> None:
    text = (
        '"We will reopen in May," said Mary Collins, the shelter\'s director.\n\n'
        '"The roof is done and the beds are coming." The shelter closed in March.'
    )
    quotes = quotes_of(text)
    assert [q.speaker for q in quotes] == ["Mary Collins", "Mary Collins"]


def test_a_quote_in_a_paragraph_about_one_person(quotes_of, only) -> None:
    text = (
        "Buddy Valastro praised the governor's record on Friday.\n\n"
        '"We need someone who is going to cut through the noise and bring people together."'
    )
    assert only(quotes_of(text), "cut through").speaker == "Buddy Valastro"


# -- cue sentences the small parser breaks -----------------------------------------


def test_a_cue_after_the_quote_read_off_the_surface(quotes_of) -> None:
    text = (
        '"The water is still rising," said Environment Canada meteorologist Paul Hébert. '
        '"We expect the crest on Thursday."'
    )
    (q,) = quotes_of(text)
    assert q.speaker == "Paul Hébert"
    assert [text[a:b] for a, b in q.segments] == [
        "The water is still rising",
        "We expect the crest on Thursday.",
    ]


def test_an_abbreviated_title_before_the_speaker(quotes_of, only) -> None:
    text = (
        "Police said the suspect was arrested on Tuesday.\n\n"
        '"He was cooperative," Sgt. Dana Moreau said.'
    )
    assert only(quotes_of(text), "cooperative").speaker == "Dana Moreau"


def test_the_n_year_old_just_quoted(quotes_of, only) -> None:
    text = (
        "The company's chief executive, Marcus Lee, said the layoffs would affect 300 workers.\n\n"
        '"This was not an easy decision," the 52-year-old told reporters.'
    )
    assert only(quotes_of(text), "easy decision").speaker == "Marcus Lee"


def test_a_participle_after_a_quote_is_not_its_cue(quotes_of) -> None:
    text = (
        'Trump insisted that he has "expanded the Republican party," claiming that he is '
        "responsible for higher turnout in the primary states."
    )
    assert all(q.speaker != "the primary states" for q in quotes_of(text))


def test_she_after_a_man_is_quoted_goes_to_the_woman(quotes_of, only) -> None:
    text = (
        "Mayor Jane Whitfield and Councillor Tom Reid clashed on Monday over the budget.\n\n"
        '"We can\'t afford it," Reid said.\n\n'
        "She disagreed, saying the city had a surplus of $4 million."
    )
    assert only(quotes_of(text), "surplus").speaker == "Jane Whitfield"
