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
