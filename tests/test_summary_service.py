from pathlib import Path

import pytest

from bot.errors import UserError
from bot.nlp.pipeline import Analyser
from bot.service import Newsdesk
from bot.settings import Settings
from bot.store_factory import open_store


async def fresh_desk(desk: Newsdesk, **overrides: object) -> Newsdesk:
    """A second Newsdesk over the same database whose models are not loaded yet."""
    settings = Settings(
        _env_file=None,
        corpus_dir=desk.settings.corpus_dir,
        database=desk.settings.database,
        **overrides,
    )
    return Newsdesk(settings, await open_store(settings.database), Analyser(settings))


async def test_default_summary_is_cached_at_ingest_and_served_without_models(
    desk: Newsdesk,
) -> None:
    await desk.ingest()
    cold = await fresh_desk(desk)
    try:
        result = await cold.summary("Unlimited", "medium")
        assert result.cached and result.method == "extractive"
        assert len(result.sentences) == len(result.points) >= 2
        assert result.text == "\n".join(result.points)  # one sentence a line
        assert "nlp" not in vars(cold.analyser) and "embedder" not in vars(cold.analyser)
    finally:
        await cold.close()


async def test_other_lengths_are_made_once_then_cached(desk: Newsdesk) -> None:
    await desk.ingest()
    first = await desk.summary("Unlimited", "short")
    again = await desk.summary("Unlimited", "short")
    assert (first.cached, again.cached) == (False, True)
    assert first.text == again.text and 1 <= len(first.sentences) <= 2
    bullets = await desk.summary("Unlimited", "bullets")
    medium = await desk.summary("Unlimited", "medium")
    assert bullets.text.split("\n") == [f"- {p}" for p in medium.points]
    assert bullets.points == medium.points
    assert "Leave a Comment" not in (await desk.summary("Unlimited", "long")).text


async def test_changed_article_drops_stale_summaries(desk: Newsdesk, seed_corpus: Path) -> None:
    await desk.ingest()
    old = await desk.resolve_article("Unlimited")
    await desk.summary("Unlimited", "short")
    seed = next(seed_corpus.glob("*.txt"))
    seed.write_text(seed.read_text(encoding="utf-8") + "\n\nA late paragraph was added today.")
    await desk.ingest()
    for length in ("short", "medium"):
        assert (
            await desk.store.get_summary(
                old.id,
                old.content_hash,
                "extractive",
                length,
                (await desk.summary("Unlimited", length)).model,
            )
            is None
        )


async def test_bad_length_and_unknown_article(desk: Newsdesk) -> None:
    await desk.ingest()
    with pytest.raises(UserError, match="Length must be one of"):
        await desk.summary("Unlimited", "epic")
    with pytest.raises(UserError, match="No article matches"):
        await desk.summary("no such article anywhere", "short")


async def test_unloadable_abstractive_model_falls_back_with_a_note(desk: Newsdesk) -> None:
    await desk.ingest()
    other = await fresh_desk(desk, summarizer_model=str(desk.settings.corpus_dir / "no-model"))
    other.analyser = desk.analyser  # reuse the loaded models
    try:
        result = await other.summary("Unlimited", "medium")
        assert result.method == "extractive" and result.note and "SUMMARIZER_MODEL" in result.note
    finally:
        await other.close()


async def test_export_gives_the_medium_summary_as_sentences(desk: Newsdesk) -> None:
    await desk.ingest()
    [row] = await desk.export_rows()
    medium = await desk.summary("Unlimited", "medium")
    assert row["summary_sentences"] == list(medium.points) and len(medium.points) >= 2
    assert row["summary"] == "\n".join(row["summary_sentences"])
    assert "Leave a Comment" not in row["summary"]


async def test_console_shows_prose_and_bullets_as_bullets(desk: Newsdesk) -> None:
    from bot.text_render import render_summary

    await desk.ingest()
    medium = await desk.summary("Unlimited", "medium")
    shown = render_summary(medium).split("\n")
    assert shown[2] == " ".join(medium.points) and len(shown) == 3  # title, blank, paragraph
    bullets = render_summary(await desk.summary("Unlimited", "bullets")).split("\n")[2:]
    assert bullets == [f"- {p}" for p in medium.points]


async def test_a_summary_cached_on_one_line_still_reads(desk: Newsdesk) -> None:
    """Rows cached before summaries kept their lines are one sentence: served as is."""
    from bot.records import SummaryRecord
    from bot.service import _summary_result

    await desk.ingest()
    row = await desk.resolve_article("Unlimited")
    old = SummaryRecord("abstractive", "medium", "m", "One line. Two sentences.", ())
    result = _summary_result(row, old, cached=True)
    assert result.points == ("One line. Two sentences.",)
    assert result.prose == "One line. Two sentences."
