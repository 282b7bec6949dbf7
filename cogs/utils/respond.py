"""Answering an interaction whatever state it is in, always within Discord's limits.

Every message goes out through `send` (or `send_error`): content and embeds are cut to
size, mentions never ping, and the right endpoint is used — the initial response when
nothing was sent yet, else a followup (the first one replaces the "thinking…" message).
"""

from __future__ import annotations

import contextlib
import io
import logging
from typing import Any

import discord

from cogs.utils import limits

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
ANSWERED = "newsdesk.answered"  # key in Interaction.extras once a visible answer is sent


async def defer(interaction: discord.Interaction[Any], *, ephemeral: bool = False) -> None:
    """Acknowledge now ("thinking…") so slow work can take longer than 3 s."""
    if not interaction.response.is_done():
        await interaction.response.defer(thinking=True, ephemeral=ephemeral)


def fit_embeds(embeds: list[discord.Embed]) -> list[discord.Embed]:
    """At most 10 embeds, each within its limits, 6,000 units across them all."""
    fitted = [limits.fit_embed(e) for e in embeds[: limits.EMBEDS]]
    while len(fitted) > 1 and sum(limits.embed_size(e) for e in fitted) > limits.EMBED_TOTAL:
        fitted.pop()
    return fitted


async def send(
    interaction: discord.Interaction[Any],
    *,
    content: str | None = None,
    embeds: list[discord.Embed] | None = None,
    view: discord.ui.View | None = None,
    ephemeral: bool = False,
) -> discord.Message | None:
    """Send an answer; returns the message when Discord tells us which one it is."""
    kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS, "ephemeral": ephemeral}
    if content:
        kwargs["content"] = limits.content(content)
    if embeds:
        kwargs["embeds"] = fit_embeds(embeds)
    if view is not None:
        kwargs["view"] = view
    if "content" not in kwargs and "embeds" not in kwargs:
        kwargs["content"] = "Nothing to show."
    interaction.extras[ANSWERED] = True
    if interaction.response.is_done():
        return await interaction.followup.send(wait=True, **kwargs)
    callback = await interaction.response.send_message(**kwargs)
    resource = getattr(callback, "resource", None)
    return resource if isinstance(resource, discord.Message) else None


async def send_chart(interaction: discord.Interaction[Any], png: bytes, title: str) -> None:
    """A PNG attached under an embed that shows it (after a defer)."""
    embed = discord.Embed(title=limits.truncate(title, limits.EMBED_TITLE))
    embed.set_image(url="attachment://chart.png")
    interaction.extras[ANSWERED] = True
    await interaction.followup.send(
        embed=embed, file=discord.File(io.BytesIO(png), "chart.png"), allowed_mentions=NO_MENTIONS
    )


async def send_error(interaction: discord.Interaction[Any], message: str) -> None:
    """A short failure note only the asker sees, whatever was already sent.

    After a public "thinking…" defer the first followup would inherit its visibility, so
    the placeholder is deleted first and the note sent as a fresh ephemeral followup.
    """
    text = limits.content(message)
    try:
        if not interaction.response.is_done():
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        thinking = (
            interaction.response.type == discord.InteractionResponseType.deferred_channel_message
        )
        if thinking and not interaction.extras.get(ANSWERED):
            with contextlib.suppress(discord.HTTPException):
                await interaction.delete_original_response()
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException as exc:
        log.warning("could not tell the user about an error: %s", exc)
