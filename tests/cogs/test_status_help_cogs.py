"""/status and /help: what a server admin checks first, answered privately."""

from __future__ import annotations

EPHEMERAL = 1 << 6


async def test_status_counts_the_corpus_and_names_the_models(harness) -> None:
    run = await harness.invoke("status")
    assert run.callback["type"] == 5
    assert run.callback["data"]["flags"] & EPHEMERAL
    [embed] = run.embeds
    assert embed["title"] == "newsdesk status"
    text = embed["description"]
    assert " article(s) · " in text and "quote(s) from" in text
    assert "SPACY_MODEL" in text and "EMBEDDING_MODEL" in text and "database: " in text


async def test_help_lists_every_command_with_its_description(harness) -> None:
    run = await harness.invoke("help")
    [embed] = run.embeds
    lines = embed["description"].splitlines()
    names = {line.split("`")[1] for line in lines}
    assert {"/ask", "/quotes", "/summary", "/entity", "/status", "/help"} <= names
    ask = next(line for line in lines if line.startswith("`/ask`"))
    assert ask == f"`/ask` — {harness.bot.tree.get_command('ask').description}"
