"""Speakers named in full: names, non-person sources, roles, and each pronoun rule."""

from __future__ import annotations

from bot.nlp.entities import analyse_entities
from bot.nlp.quotes.gender import infer_genders


# -- names ---------------------------------------------------------------------------------
def test_surname_and_title_resolve_to_the_full_name(quotes_of) -> None:
    text = (
        "Professor Elizabeth Wishnick, a senior research scientist, said Xi would support "
        'Putin. "Xi might feel compelled to express more support," Wishnick said.'
    )
    quotes = quotes_of(text)
    assert [q.speaker for q in quotes] == ["Elizabeth Wishnick"] * 2
    assert [q.speaker_text for q in quotes] == ["Professor Elizabeth Wishnick", "Wishnick"]
    assert quotes[1].role == "senior research scientist"  # carried from the first mention


def test_speaker_offsets_point_at_the_speakers_words(quotes_of) -> None:
    text = '"Kazakhstan matters most," Niva Yau said.'
    q = quotes_of(text)[0]
    assert text[q.speaker_start : q.speaker_end] == "Niva Yau"


def test_a_misspelt_surname_finds_the_closest_full_name(quotes_of, only) -> None:
    text = (
        "Lydia Buchtmann says they are looking at guidelines. "
        '"We need to make sure there is sufficient iodine," Ms Bauchtman said.'
    )
    assert only(quotes_of(text), "sufficient").speaker == "Lydia Buchtmann"


def test_spelling_variants_of_one_name_take_the_commonest(quotes_of, only) -> None:
    text = (
        "Kristin Wilkins gave a full interview. Kristen Wilkins curates the show. Kristen "
        'Wilkins hung the prints. "He was very prolific," Wilkins said.'
    )
    assert only(quotes_of(text), "prolific").speaker == "Kristen Wilkins"


def test_the_parse_beats_ner_for_a_speaker(quotes_of) -> None:
    # the small model tags "Therese Fallon" ORG and "Li Zhanshu" GPE
    text = (
        '"It is pretty clear that they have been pushing west," said Therese Fallon. '
        "Li Zhanshu told lawmakers that China supports Russia."
    )
    assert [(q.speaker, q.speaker_is_person) for q in quotes_of(text)] == [
        ("Therese Fallon", True),
        ("Li Zhanshu", True),
    ]


def test_a_name_the_ner_split_is_joined_and_reused(quotes_of) -> None:
    text = (
        "Valeska Paris, an Australian woman, has claimed that the church imprisoned her. "
        "Paris claims that her passport was taken away."
    )
    assert [q.speaker for q in quotes_of(text)] == ["Valeska Paris"] * 2


def test_a_role_phrase_with_the_name_last(quotes_of, only) -> None:
    text = (
        "After the leak, CEO of the Refugee Council Enver Solomon told Sky News that any "
        "process must be well thought out."
    )
    q = only(quotes_of(text), "process")
    assert q.speaker == "Enver Solomon" and q.speaker_is_person


def test_a_name_first_then_an_organisation(quotes_of, only) -> None:
    text = "Lydia Buchtmann for Food Standards Australia New Zealand, says they are looking."
    assert only(quotes_of(text), "looking").speaker == "Lydia Buchtmann"


def test_non_person_sources_are_kept_as_written(quotes_of) -> None:
    text = (
        "Russian officials have said the leaders have a full agenda, and some analysts said "
        "they expect Putin to seek help. The Chinese reading simply said that Beijing "
        "will continue to work with Russia."
    )
    quotes = quotes_of(text)
    assert [(q.speaker, q.speaker_is_person) for q in quotes] == [
        ("Russian officials", False),
        ("analysts", False),
        ("the Chinese reading", False),
    ]


def test_the_same_source_under_a_shorter_description(quotes_of) -> None:
    text = (
        "The report's authors say iodine deficiency is serious. "
        "The authors say the results confirm low intake."
    )
    assert [q.speaker for q in quotes_of(text)] == ["the report's authors"] * 2


def test_an_acronym_is_named_as_the_article_spells_it(quotes_of, only) -> None:
    text = (
        "The World Health Organisation (WHO) recommends that every country iodise salt. "
        "WHO say iodine deficiency is preventable."
    )
    assert only(quotes_of(text), "preventable").speaker == "World Health Organisation"


def test_coordinated_sources_are_one_speaker(quotes_of) -> None:
    text = (
        "Both the Irving Independent School District and the Irving Police Department have "
        "asserted that religion was not a factor."
    )
    (q,) = quotes_of(text)
    assert q.speaker == "Irving Independent School District and the Irving Police Department"
    assert not q.speaker_is_person


# -- pronouns --------------------------------------------------------------------------------
def test_pronoun_right_after_a_speaker_is_that_speaker_whatever_the_gender(quotes_of) -> None:
    # machine-rewritten text says "he" for a woman
    text = (
        "Professor Elizabeth Wishnick studies the region. Russia's war has disrupted trade "
        "routes, Wishnick said. He left open the question of whether China would act."
    )
    assert [q.speaker for q in quotes_of(text)] == ["Elizabeth Wishnick"] * 2


def test_she_after_her_own_quote(quotes_of, only) -> None:
    text = (
        "Niva Yau, a senior researcher, said China had a long-term goal. She said the summit "
        "could announce trade deals."
    )
    q = only(quotes_of(text), "summit")
    assert (q.speaker, q.speaker_text) == ("Niva Yau", "She")


def test_someone_else_becoming_the_subject_breaks_recency(quotes_of, only) -> None:
    text = (
        'Steve Whitmore stated that the case was theft. "It is serious," Whitmore said.\n\n'
        "Mark Rathbun requested donations via his blog. He described Montalvo as an "
        'individual, "facing the penitentiary for leaving."'
    )
    assert only(quotes_of(text), "penitentiary").speaker == "Mark Rathbun"


def test_gender_agreement_picks_between_people(quotes_of, only) -> None:
    text = (
        "Thomas Sam and his wife Manju Sam are on trial. Gloria spent all her energy.\n\n"
        "Allegedly, Thomas' sister pleaded with him to send Gloria to a doctor, but he "
        'replied "I am not able to do that".'
    )
    assert only(quotes_of(text), "not able").speaker == "Thomas Sam"


def test_a_pronoun_is_not_someone_the_quote_names(quotes_of, only) -> None:
    text = (
        "For Kevin Allton, a USI instructor, Warhol was also a legend. He said, "
        '"Andy Warhol was the center of the Zeitgeist for the 20th century."'
    )
    assert only(quotes_of(text), "Zeitgeist").speaker == "Kevin Allton"


def test_it_is_the_last_organisation_speaking(quotes_of) -> None:
    text = (
        '"War maniacs made another grave provocation," said KCNA. "Foolhardy provocation '
        'deserves harsh punishment," it added.'
    )
    quotes = quotes_of(text)
    assert [q.speaker_text for q in quotes] == ["KCNA", "it"]
    assert quotes[0].speaker == quotes[1].speaker


def test_they_is_the_last_plural_source(quotes_of, only) -> None:
    text = (
        "The report's authors say iodine deficiency is a serious issue. The report has "
        "prompted calls for iodised salt. They say adding the mineral to salt is simplest."
    )
    assert only(quotes_of(text), "mineral").speaker == "the report's authors"


def test_they_can_be_an_organisation(quotes_of, only) -> None:
    text = (
        "In a statement, the Church of Scientology denied these allegations. "
        "They also claimed Paris was a volunteer."
    )
    assert only(quotes_of(text), "volunteer").speaker == "Church of Scientology"


def test_a_pronoun_with_no_antecedent_gives_no_quote(quotes_of) -> None:
    assert quotes_of('"We take document security seriously," she said.') == []


def test_gender_evidence_comes_from_the_text(quote_nlp) -> None:
    doc = quote_nlp(
        "Environment Canada spokeswoman Sujata Raisinghani spoke. Mr. Tedeschi told the "
        'court. Thomas Sam and his wife Manju Sam are on trial. Cynthia Thompson said, "his '
        'art was prolific."'
    )
    quoted = doc.text.index('"his')
    genders = infer_genders(doc, analyse_entities(doc), lambda t: t.idx > quoted)
    assert genders["Sujata Raisinghani"] == "f"  # a role noun next to the name
    assert genders["Tedeschi"] == "m"  # a title
    assert genders["Thomas Sam"] == "m"  # the first pronoun after him as subject
    assert genders["Manju Sam"] == "f"
    assert "Cynthia Thompson" not in genders  # a pronoun inside a quote is no evidence
