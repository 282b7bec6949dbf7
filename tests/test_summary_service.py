from pathlib import Path

import pytest

from bot.errors import UserError
from bot.nlp.pipeline import Analyser
from bot.service import Newsdesk
from bot.settings import Settings
from bot.store import Store


async def fresh_desk(desk: Newsdesk, **overrides: object) -> Newsdesk:
    """A second Newsdesk over the same database whose models are not loaded yet."""
    settings = Settings(
        _env_file=None,
        corpus_dir=desk.settings.corpus_dir,
        database=desk.settings.database,
        **overrides,
    )
    return Newsdesk(settings, await Store.open(settings.database), Analyser(settings))


async def test_default_summary_is_cached_at_ingest_and_served_without_models(
    desk: Newsdesk,
) -> None:
    await desk.ingest()
    cold = await fresh_desk(desk)
    try:
        result = await cold.summary("Unlimited", "medium")
        assert result.cached and result.method == "extractive"
        assert len(result.sentences) == 3
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
    assert bullets.text.startswith("- ") and bullets.text.count("\n- ") == 2
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
