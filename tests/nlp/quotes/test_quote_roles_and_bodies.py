"""Role phrases linked to the person they stand for, and organisations named as written
(issue 11, second pass): invented sentences, one rule each."""

from __future__ import annotations

# -- role phrases ----------------------------------------------------------------------


def test_a_capitalised_title_before_a_name_the_parse_learnt(quotes_of, only) -> None:
    text = (
        "Chief Executive Ingrid Solberg-Haas said on a call that margins had held up.\n\n"
        "Asked about the strike, the chief executive said talks would resume on Monday."
    )
    assert only(quotes_of(text), "talks would resume").speaker == "Ingrid Solberg-Haas"


def test_an_age_written_before_the_name(quotes_of, only) -> None:
    text = (
        "The dog was found by eight-year-old Milo Brannock on Sunday.\n\n"
        "The eight-year-old said he had fed it a sandwich."
    )
    assert only(quotes_of(text), "sandwich").speaker == "Milo Brannock"


def test_an_abbreviated_rank_matches_the_rank_spelt_out(quotes_of, only) -> None:
    text = (
        "Det. Sgt. Wendell Achterberg of the Fallowmere detachment said the car was found.\n\n"
        "The detective sergeant said officers were still searching the woods."
    )
    assert only(quotes_of(text), "searching the woods").speaker == "Wendell Achterberg"


def test_a_role_no_one_was_given_is_the_person_just_quoted(quotes_of, only) -> None:
    text = (
        "Inspector Harriet Quillfeather said the lorry had been stolen in March.\n\n"
        "The senior investigating officer said more arrests were likely."
    )
    assert only(quotes_of(text), "more arrests").speaker == "Harriet Quillfeather"


def test_a_role_that_names_no_person_is_not_the_last_speaker(quotes_of) -> None:
    text = (
        "Premier Odette Vanterpool said the budget would balance.\n\n"
        "The government said in a statement that taxes would not rise."
    )
    speakers = {q.speaker for q in quotes_of(text) if "taxes" in q.text}
    assert "Odette Vanterpool" not in speakers


def test_someone_elses_role_is_not_the_last_speaker(quotes_of) -> None:
    text = (
        "Marta Ellingsworth said the ramp had collapsed under her.\n\n"
        "The family's lawyer said the operator had ignored the warnings."
    )
    speakers = {q.speaker for q in quotes_of(text) if "ignored" in q.text}
    assert "Marta Ellingsworth" not in speakers


# -- organisations as written ---------------------------------------------------------


def test_a_company_keeps_the_period_of_its_suffix(quotes_of, only) -> None:
    text = "Brightwater Tools Ltd. said the recall would cost about $2 million."
    assert only(quotes_of(text), "recall").speaker == "Brightwater Tools Ltd."


def test_a_descriptor_before_a_company_name_is_dropped(quotes_of, only) -> None:
    text = "Logistics company Parcelwise Inc. said deliveries had resumed on Friday."
    assert only(quotes_of(text), "deliveries").speaker == "Parcelwise Inc."


def test_a_body_named_with_for_and_a_list(quotes_of, only) -> None:
    text = "The Department for Housing, Transport and Local Roads said the bridge would reopen."
    speaker = only(quotes_of(text), "bridge").speaker
    assert speaker == "Department for Housing, Transport and Local Roads"


def test_a_plural_possessive_inside_a_name(quotes_of, only) -> None:
    text = "The Women’s Rowing Federation said the regatta would go ahead in June."
    assert only(quotes_of(text), "regatta").speaker == "Women’s Rowing Federation"


# -- documents -------------------------------------------------------------------------


def test_the_release_is_whoever_said_things_in_it(quotes_of, only) -> None:
    text = (
        "The hiker was last seen on Friday, the Brackwater Police said in a news release. "
        "Her tent was found on Sunday, the release said."
    )
    assert only(quotes_of(text), "tent was found").speaker == "Brackwater Police"


def test_a_release_quoting_a_named_person_is_theirs(quotes_of, only) -> None:
    text = (
        "Orvane Dairy recalled 4,000 cartons on Monday. The release quoted chief executive "
        "Priyanka Delacourt-Wynn as saying the company was sorry."
    )
    assert only(quotes_of(text), "sorry").speaker == "Priyanka Delacourt-Wynn"


def test_the_statement_of_a_body_named_by_its_kind(quotes_of, only) -> None:
    text = (
        "The Merrowgate Savings Bank cut its rate to 3 per cent on Wednesday.\n\n"
        "The bank said in a statement that inflation had eased."
    )
    assert only(quotes_of(text), "inflation").speaker == "Merrowgate Savings Bank"
