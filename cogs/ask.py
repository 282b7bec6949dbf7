"""/ask: a question answered from the corpus, with the sentence and article it came from."""

from __future__ import annotations

import contextlib
from typing import Any

import discord
from discord import app_commands

from bot.command_specs import COMMANDS
from bot.errors import UserError
from cogs.utils.base import DeskCog, slash, to_choices
from cogs.utils.checks import per_user_per_minute
from cogs.utils.embeds import answer_embed
from cogs.utils.respond import defer


class Ask(DeskCog):
    @slash(COMMANDS["ask"])
    @per_user_per_minute("ask_per_minute")
    async def ask(
        self,
        interaction: discord.Interaction[Any],
        question: app_commands.Range[str, 1, 300],
        article: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        await defer(interaction)
        answer = await self.desk.ask(question, article=article)
        source = None
        if answer.article:
            with contextlib.suppress(UserError):
                source = await self.desk.resolve_article(str(answer.article))
        await self.answer(interaction, [answer_embed(answer, source)])

    @ask.autocomplete("article")
    async def article_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return to_choices(self.bot.choices.article_choices(current))


async def setup(bot: Any) -> None:
    await bot.add_cog(Ask(bot))
