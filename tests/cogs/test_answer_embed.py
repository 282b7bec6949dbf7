from bot.qa import Answer, Passage
from cogs.utils.embeds import answer_embed
from cogs.utils.limits import FIELD_VALUE


def passage(i: int, text: str) -> Passage:
    return Passage(f"a{i}", f"a{i}.txt", f"Article {i}", 0, text, 0.2)


def test_a_miss_shows_the_closest_passages_within_limits() -> None:
    answer = Answer(
        "Who is the mayor of Atlantis?",
        "",
        found=False,
        passages=[passage(i, "The mayor spoke. " * 200) for i in range(5)],
    )
    embed = answer_embed(answer, None).to_dict()
    assert embed["description"].startswith("I couldn't find an answer")
    [field] = [f for f in embed["fields"] if f["name"] == "Closest passages"]
    assert field["value"].count("— Article") == 3
    assert len(field["value"]) <= FIELD_VALUE


def test_a_found_answer_lists_no_closest_passages() -> None:
    answer = Answer(
        "Where?",
        "Samarkand",
        found=True,
        evidence="In Samarkand.",
        title="T",
        passages=[passage(0, "In Samarkand.")],
    )
    names = [f["name"] for f in answer_embed(answer, None).to_dict()["fields"]]
    assert names == ["From"]


def test_a_best_match_is_shown_as_a_guess() -> None:
    answer = Answer(
        "who started the challenge",
        "Dean Kamen",
        found=True,
        evidence="The competition was founded by Dean Kamen.",
        title="T",
        score=0.27,
        best_match=True,
    )
    embed = answer_embed(answer, None).to_dict()
    assert embed["description"] == "Best match (not sure): **Dean Kamen**"
    assert "confidence 0.27" in embed["footer"]["text"]
    sure = Answer("q", "Dean Kamen", found=True, evidence="…", title="T", score=0.8)
    assert answer_embed(sure, None).to_dict()["description"] == "**Dean Kamen**"
