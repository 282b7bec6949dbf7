"""/articles, /article, /entity and /entities: exact bodies of the answers."""

from __future__ import annotations

from fakediscord.validate import validate_message_payload


async def test_articles_lists_with_links_and_ids(harness) -> None:
    run = await harness.invoke("articles")
    assert run.callback == {"type": 5}
    [embed] = run.embeds
    assert embed["title"] == "Articles in the corpus"
    lines = embed["description"].split("\n")
    assert len(lines) == 3 and embed["footer"]["text"] == "3 article(s)"
    linked = next(line for line in lines if "news.example" in line)
    assert linked.startswith("**[Markets \\*rally\\* as @everyone cheers (live)](https://")
    assert "— Example News, 2024-05-01 · `" in linked


async def test_articles_search_and_nothing_found(harness) -> None:
    run = await harness.invoke("articles", {"query": "robotics"})
    [embed] = run.embeds
    assert embed["title"] == "Articles matching “robotics”"
    assert embed["description"].count("\n") == 0
    none = await harness.invoke("articles", {"query": "zzzz"})
    assert none.embeds[0]["description"] == "No articles found."


async def test_article_card(harness) -> None:
    run = await harness.invoke("article", {"article": "markets"})
    [embed] = run.embeds
    assert embed["title"] == "Markets *rally* as @everyone cheers [live]"  # titles aren't markdown
    assert embed["url"] == "https://news.example/markets/rally%281%29"
    assert embed["description"] == "Example News · 2024-05-01"
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert "Jane Doe" in fields["Most mentioned"]
    assert fields["In numbers"].endswith("quotes")
    assert fields["File"].startswith("`linked.json` · id `")
    assert validate_message_payload(run.followup) == []


async def test_entity_card_then_sentence_pages(harness) -> None:
    run = await harness.invoke("entity", {"name": "xi"})
    first = run.embeds[0]
    assert first["title"] == "Xi Jinping"
    assert first["description"] == "*Person*\n**Also:** Xi"
    assert first["fields"][0]["name"] == "In 1 article(s)"
    assert first["footer"]["text"] == "9 sentence(s) mention them · page 1/3"
    nxt = await harness.click(run.message, "pages:next")
    [update] = nxt.of("callback")
    assert update.body["type"] == 7
    page2 = update.body["data"]["embeds"][0]
    assert page2["title"] == "Xi Jinping: where they appear"
    assert page2["description"].startswith("• ") and page2["footer"]["text"] == "page 2/3"


async def test_entities_for_one_article_and_autocomplete(harness) -> None:
    run = await harness.invoke("entities", {"article": "robotics"})
    [embed] = run.embeds
    assert embed["title"].startswith("Who and what “After visa snags")
    assert "`person` **Hamdullah Mohib**" in embed["description"]
    choices = await harness.autocomplete("entity", {"name": "wish"}, "name")
    assert choices == [] or all("·" in c["name"] for c in choices)
    xi = await harness.autocomplete("entity", {"name": "xi"}, "name")
    assert {"name": "Xi Jinping · PERSON", "value": "Xi Jinping"} in xi


async def test_unknown_entity_and_ambiguous_article(harness) -> None:
    run = await harness.invoke("entity", {"name": "Nobody Atall"})
    assert run.followup["flags"] == 64
    assert run.followup["content"].startswith("No person, place or organisation called")
    run = await harness.invoke("entities", {"article": "a"})  # matches several titles
    assert run.followup["flags"] == 64 and "is ambiguous" in run.followup["content"]
