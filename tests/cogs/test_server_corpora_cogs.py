"""Per-server corpora through real interactions: another server's admin can't list,
search, autocomplete or remove this server's article; this server can."""

from __future__ import annotations

import json

from bot import scope

OWN = {
    "title": "Zeppelin festival draws record crowds",
    "text": (
        "A zeppelin festival drew record crowds to the old airfield on Saturday.\n\n"
        '"Nobody expected so many visitors," said Maria Lopez, the festival director.'
    ),
}


def described(run) -> str:
    return " ".join(e.get("description") or "" for e in run.embeds)


async def test_another_server_cannot_see_search_or_remove_it(harness) -> None:
    world = harness.world
    folder = harness.bot.settings.corpus_dir / scope.server_folder(int(world.guild_id))
    folder.mkdir(parents=True)
    (folder / "own.json").write_text(json.dumps(OWN))
    await harness.bot.reingest()

    assert "Zeppelin festival" in described(await harness.invoke("articles"))
    mine = world.guild_id
    world.guild_id = world.ids()  # the same bot, asked from another server
    try:
        assert "Zeppelin festival" not in described(await harness.invoke("articles"))
        assert "Zeppelin" not in described(await harness.invoke("articles", {"query": "zep"}))
        quotes = await harness.invoke("quotes", {"text": "visitors"})
        assert "Maria Lopez" not in json.dumps(quotes.embeds)
        assert await harness.autocomplete("corpus remove", {"article": "zep"}, "article") == []
        # Nor are its speakers or names offered as choices.
        speakers = await harness.autocomplete("quotes", {"speaker": "lop"}, "speaker")
        assert all("Maria Lopez" not in c["name"] for c in speakers)
        names = await harness.autocomplete("entity", {"name": "maria lo"}, "name")
        assert all("Maria Lopez" not in c["name"] for c in names)
        refused = await harness.invoke("corpus remove", {"article": "Zeppelin"})
        assert "No article matches" in refused.followup["content"]
        assert (folder / "own.json").exists()
    finally:
        world.guild_id = mine
    choices = await harness.autocomplete("corpus remove", {"article": "zep"}, "article")
    assert [c["name"].split(" (")[0] for c in choices] == [OWN["title"]]
    speakers = await harness.autocomplete("quotes", {"speaker": "lop"}, "speaker")
    assert any("Maria Lopez" in c["name"] for c in speakers)  # its own server sees them
    names = await harness.autocomplete("entity", {"name": "maria lo"}, "name")
    assert any("Maria Lopez" in c["name"] for c in names)
    removed = await harness.invoke("corpus remove", {"article": "Zeppelin"})
    assert removed.embeds[0]["title"] == "Article removed"
    assert not (folder / "own.json").exists()
