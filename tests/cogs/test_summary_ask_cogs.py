"""/summary and /ask: deferred, cited, cooled down per user."""

from __future__ import annotations


async def test_summary_links_the_article_and_says_how_it_was_made(harness) -> None:
    run = await harness.invoke("summary", {"article": "markets", "length": "short"})
    assert run.callback == {"type": 5}
    [embed] = run.embeds
    assert embed["title"] == "Markets *rally* as @everyone cheers [live]"
    assert embed["url"] == "https://news.example/markets/rally%281%29"
    assert embed["footer"]["text"].startswith("Extractive summary · short")
    again = await harness.invoke("summary", {"article": "markets", "length": "short"})
    assert again.embeds[0]["footer"]["text"].endswith("from cache")
    assert again.embeds[0]["description"] == embed["description"]


async def test_summary_bullets_render_as_points(harness) -> None:
    run = await harness.invoke("summary", {"article": "robotics", "length": "bullets"})
    lines = run.embeds[0]["description"].split("\n")
    assert lines and all(line.startswith("• ") for line in lines)


async def test_summary_medium_renders_as_prose(harness) -> None:
    """Stored one sentence a line; shown in Discord as one paragraph."""
    result = await harness.bot.desk.summary("robotics", "medium")
    assert "\n" in result.text
    run = await harness.invoke("summary", {"article": "robotics", "length": "medium"})
    description = run.embeds[0]["description"]
    assert "\n" not in description and not description.startswith("• ")
    assert description.startswith(result.points[0][:20])


async def test_summary_cooldown_is_per_user(harness) -> None:
    harness.bot.settings.summary_per_minute = 1
    first = await harness.invoke("summary", {"article": "robotics"})
    assert first.callback == {"type": 5}
    second = await harness.invoke("summary", {"article": "robotics"})
    assert second.callback["type"] == 4 and second.callback["data"]["flags"] == 64
    assert second.callback["data"]["content"].startswith("Easy there: you can use this command")
    other = harness.world.add_user("reader")
    third = await harness.invoke("summary", {"article": "robotics"}, user=other)
    assert third.callback == {"type": 5}


async def test_ask_cites_sentence_and_article(harness) -> None:
    run = await harness.invoke("ask", {"question": "Who is the chief economist at Example Bank?"})
    assert run.callback == {"type": 5}
    [embed] = run.embeds
    assert embed["title"] == "Q: Who is the chief economist at Example Bank?"
    fields = {f["name"]: f["value"] for f in embed.get("fields", [])}
    assert "Jane Doe" in embed["description"]
    assert fields["From"].startswith("> “") and "news.example" in fields["From"]


async def test_ask_cooldown(harness) -> None:
    harness.bot.settings.ask_per_minute = 1
    await harness.invoke("ask", {"question": "What did Yau say?"})
    second = await harness.invoke("ask", {"question": "What did Yau say?"})
    assert second.callback["type"] == 4 and second.callback["data"]["flags"] == 64
