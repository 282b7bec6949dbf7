"""Long answers as pages of embeds under first / previous / next / last buttons.

Only the person who ran the command may turn the pages (others get a quiet note); after
`timeout` seconds of no use the buttons are removed from the message.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import discord

from cogs.utils.respond import send

log = logging.getLogger(__name__)


class Paginator(discord.ui.View):
    def __init__(self, pages: Sequence[discord.Embed], *, author_id: int, timeout: float) -> None:
        super().__init__(timeout=timeout)
        if not pages:
            raise ValueError("a paginator needs at least one page")
        self.pages = list(pages)
        self.author_id = author_id
        self.index = 0
        self.message: discord.Message | None = None
        self._sync_buttons()

    @property
    def page(self) -> discord.Embed:
        return self.pages[self.index]

    def _sync_buttons(self) -> None:
        last = len(self.pages) - 1
        self.first.disabled = self.previous.disabled = self.index == 0
        self.next.disabled = self.last.disabled = self.index == last
        self.counter.label = f"{self.index + 1} / {len(self.pages)}"

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.user.id == self.author_id:
            return True
        await interaction.response.send_message(
            "Only the person who ran this command can turn its pages.", ephemeral=True
        )
        return False

    async def show(self, interaction: discord.Interaction[Any], index: int) -> None:
        self.index = max(0, min(index, len(self.pages) - 1))
        self._sync_buttons()
        await interaction.response.edit_message(embed=self.page, view=self)

    async def on_timeout(self) -> None:
        if self.message is None:
            return
        try:
            await self.message.edit(view=None)
        except discord.HTTPException as exc:  # deleted, or the token expired
            log.debug("could not remove page buttons: %s", exc)

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        log.error("page button %r failed", item, exc_info=error)
        if not interaction.response.is_done():
            await interaction.response.send_message(
                "Those pages can't be turned right now.", ephemeral=True
            )

    @discord.ui.button(label="≪", style=discord.ButtonStyle.secondary, custom_id="pages:first")
    async def first(self, interaction: discord.Interaction[Any], _: discord.ui.Button[Any]) -> None:
        await self.show(interaction, 0)

    @discord.ui.button(label="‹", style=discord.ButtonStyle.primary, custom_id="pages:previous")
    async def previous(
        self, interaction: discord.Interaction[Any], _: discord.ui.Button[Any]
    ) -> None:
        await self.show(interaction, self.index - 1)

    @discord.ui.button(
        label="1 / 1", style=discord.ButtonStyle.secondary, custom_id="pages:counter", disabled=True
    )
    async def counter(
        self, interaction: discord.Interaction[Any], _: discord.ui.Button[Any]
    ) -> None:  # pragma: no cover - disabled, never clicked
        await interaction.response.defer()

    @discord.ui.button(label="›", style=discord.ButtonStyle.primary, custom_id="pages:next")
    async def next(self, interaction: discord.Interaction[Any], _: discord.ui.Button[Any]) -> None:
        await self.show(interaction, self.index + 1)

    @discord.ui.button(label="≫", style=discord.ButtonStyle.secondary, custom_id="pages:last")
    async def last(self, interaction: discord.Interaction[Any], _: discord.ui.Button[Any]) -> None:
        await self.show(interaction, len(self.pages) - 1)


async def send_pages(
    interaction: discord.Interaction[Any],
    pages: Sequence[discord.Embed],
    *,
    timeout: float = 300.0,
    content: str | None = None,
) -> discord.Message | None:
    """The first page, with buttons when there is more than one; answers or follows up."""
    if len(pages) <= 1:
        return await send(interaction, content=content, embeds=list(pages[:1]))
    view = Paginator(pages, author_id=interaction.user.id, timeout=timeout)
    view.message = await send(interaction, content=content, embeds=[view.page], view=view)
    return view.message
