"""/quotes and /speakers through real Interaction objects; exact bodies checked."""

from __future__ import annotations


async def test_quotes_by_surname_defer_then_paged_embed(harness) -> None:
    run = await harness.invoke("quotes", {"speaker": "yau"})
    assert [c.kind for c in run.calls] == ["callback", "followup"]
    assert run.callback == {"type": 5}  # "thinking…", public
    body = run.followup
    assert body["allowed_mentions"] == {"parse": []}
    [embed] = body["embeds"]
    assert embed["title"] == "Quotes from Niva Yau"
    blocks = embed["description"].split("\n> ")
    assert embed["description"].startswith("> “") and len(blocks) == 4  # four a page
    # speaker named in full with their role, the article cited
    assert "— **Niva Yau**, senior researcher at the OSCE Academy" in embed["description"]
    assert (
        "· Strength of ‘Unlimited’ China-Russia Ties to be Tested at Summit ·"
        in (embed["description"])
    )
    assert embed["footer"]["text"].startswith("5 quote(s) · page 1/2")
    buttons = body["components"][0]["components"]
    assert [b["custom_id"] for b in buttons] == [
        "pages:first",
        "pages:previous",
        "pages:counter",
        "pages:next",
        "pages:last",
    ]


async def test_quote_cites_a_linked_article_and_never_pings(harness) -> None:
    run = await harness.invoke("quotes", {"speaker": "Jane Doe"})
    [embed] = run.embeds
    assert "— **Jane Doe**, chief economist at Example Bank" in embed["description"]
    # title linked, markdown in it escaped, the URL's parentheses encoded
    assert "[Markets \\*rally\\* as @everyone cheers (live)]" in embed["description"]
    assert "(https://news.example/markets/rally%281%29)" in embed["description"]
    assert run.followup["allowed_mentions"] == {"parse": []}


async def test_filters_by_kind_and_words(harness) -> None:
    run = await harness.invoke("quotes", {"speaker": "yau", "kind": "direct", "text": "Tokayev"})
    [embed] = run.embeds
    assert embed["title"] == "Quotes from Niva Yau · words “Tokayev” · direct"
    assert embed["footer"]["text"] == "1 quote(s)"
    assert "*quoted*" in embed["description"]


async def test_speakers_lists_the_most_quoted_first(harness) -> None:
    run = await harness.invoke("speakers")
    [embed] = run.embeds
    assert embed["title"] == "Who is quoted"
    assert embed["description"].startswith("1. **Niva Yau** — 5 quotes\n")


async def test_unknown_speaker_is_told_quietly(harness) -> None:
    run = await harness.invoke("quotes", {"speaker": "Nobody Atall"})
    assert [c.kind for c in run.calls] == ["callback", "delete", "followup"]
    assert run.followup == {
        "content": "No quotes from “Nobody Atall” in the corpus.",
        "flags": 64,
        "tts": False,
        "allowed_mentions": {"parse": []},
    }


async def test_speaker_and_article_autocomplete(harness) -> None:
    choices = await harness.autocomplete("quotes", {"speaker": "ya"}, "speaker")
    assert choices[0] == {"name": "Niva Yau (5)", "value": "Niva Yau"}
    articles = await harness.autocomplete("quotes", {"article": "robot"}, "article")
    assert len(articles) == 1 and articles[0]["name"].startswith("After visa snags")
