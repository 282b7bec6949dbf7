"""The Discord bot: a thin shell over `Newsdesk` that loads one cog per feature.

`setup_hook` opens the service, loads the cogs, and brings the corpus up to date in the
background; commands answer from the SQLite cache meanwhile and
say the corpus is still loading. Models load lazily, once, inside the service's worker
threads. Nothing the bot sends can ping anyone. No privileged intents are asked for.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import scope
from bot.autocomplete import ChoiceCache
from bot.discord_connect import ConnectRetry, DiscordUnreachable, login_with_retry
from bot.ingest import IngestReport
from bot.log_redaction import RedactSecret
from bot.nlp.pipeline import Analyser
from bot.service import Newsdesk
from bot.settings import Settings
from bot.watcher import CorpusWatcher
from cogs.utils.errors import describe
from cogs.utils.respond import send_error

log = logging.getLogger(__name__)

# A slash-command bot never joins voice: discord.py's "PyNaCl/davey is not installed, voice
# will NOT be supported" warnings at start-up are noise for every user.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False

COGS = (
    "cogs.articles",
    "cogs.entities",
    "cogs.quotes",
    "cogs.summary",
    "cogs.ask",
    "cogs.corpus",
    "cogs.feeds",
    "cogs.admin",
    "cogs.status",
)

NO_TOKEN_HELP = """\
No Discord token is configured, so the bot can't connect.
  1. Create an application and bot at https://discord.com/developers/applications
     (see docs/discord.md for the whole walk-through and the invite URL).
  2. Put its token in .env:   DISCORD_TOKEN=...
  3. Run again:               python -m bot run --sync --guild YOUR_TEST_SERVER_ID
Meanwhile, try every command locally:  python -m bot console   (or: make run)"""


class NewsdeskTree(app_commands.CommandTree):
    """The one error handler: a short ephemeral answer for the user, details in the log.
    Each interaction sees the shared corpus plus its server's own articles (bot/scope.py)."""

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        scope.view_as(interaction.guild_id)  # this interaction's task only (a ContextVar)
        return True

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        reply = describe(error)
        command = interaction.command.qualified_name if interaction.command else "?"
        if reply.log_traceback:
            original = getattr(error, "original", error)
            log.error(
                "/%s failed", command, exc_info=(type(original), original, original.__traceback__)
            )
        elif reply.log_message:
            log.warning("/%s: %s", command, reply.log_message)
        else:
            log.info("/%s refused: %s", command, reply.message)
        await send_error(interaction, reply.message)


class NewsdeskBot(commands.AutoShardedBot):
    """Works unsharded too: one shard unless Discord recommends more."""

    def __init__(
        self,
        settings: Settings,
        *,
        desk: Newsdesk | None = None,
        analyser: Analyser | None = None,
        background: bool = True,
        sync_guild: int | None = None,
        sync_on_start: bool = False,
        **options: Any,
    ) -> None:
        options.setdefault("guild_ready_timeout", 1.0)
        if settings.shard_count is not None:  # a cluster of shards per process
            options.setdefault("shard_count", settings.shard_count)
            if settings.shard_ids is not None:
                options.setdefault("shard_ids", list(settings.shard_ids))
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents(guilds=True),
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=NewsdeskTree,
            help_command=None,
            owner_id=settings.discord_owner_id,
            chunk_guilds_at_startup=False,
            member_cache_flags=discord.MemberCacheFlags.none(),
            **options,
        )
        self.settings = settings
        self.desk = desk
        self._analyser = analyser  # models to share when the bot opens its own service
        self.choices = ChoiceCache()
        self.corpus_ready = asyncio.Event()
        self._owns_desk = desk is None
        self._background = background
        self._sync_on_start = sync_on_start
        self._sync_guild = sync_guild
        self._startup: asyncio.Task[None] | None = None
        self._warm: asyncio.Task[None] | None = None
        self._watcher: CorpusWatcher | None = None
        self._closing = False

    # -- startup ------------------------------------------------------------------------

    async def setup_hook(self) -> None:
        if self.desk is None:
            self.desk = await Newsdesk.open(self.settings, analyser=self._analyser)
        await self.load_cogs()
        if self._sync_on_start:
            synced = await self.sync_commands(self._sync_guild)
            where = f"guild {self._sync_guild}" if self._sync_guild else "globally"
            log.info("synced %d command(s) %s", len(synced), where)
        if self._background:
            # Autocomplete answers from what is cached before the first interaction can arrive;
            # the (possibly long) ingest then runs in the background.
            await self.choices.refresh(self.desk)
            self._startup = asyncio.create_task(self._bring_up_to_date(), name="corpus-startup")

    async def load_cogs(self) -> None:
        """One cog per feature (the Discord adapters over the service)."""
        for name in COGS:
            await self.load_extension(name)
        log.info("loaded cogs: %s", ", ".join(sorted(self.extensions)) or "none")

    async def _bring_up_to_date(self) -> None:
        assert self.desk is not None
        if self.settings.serve_only:  # `python -m bot worker` ingests; commits reach us
            self.corpus_ready.set()
            return
        try:
            report = await self.reingest()
            log.info("corpus ready: %s", report.summary_line())
        except Exception:
            log.exception("bringing the corpus up to date failed; answering from the cache")
        finally:
            self.corpus_ready.set()
        if self.settings.warm_models and not self._closing:
            self._warm = asyncio.create_task(self._warm_up(), name="warm-models")
        if self.settings.watch_corpus and not self._closing:
            self._watcher = CorpusWatcher(
                self.settings.corpus_dir,
                self.desk.ingest,
                on_ingest=self.after_ingest,
                debounce_ms=self.settings.watch_debounce_ms,
            )
            self._watcher.start()

    async def _warm_up(self) -> None:
        assert self.desk is not None
        try:
            await self.desk.warm_up()
        except Exception:  # a model that can't load says so again on first use
            log.exception("warming the models failed")

    async def reingest(self) -> IngestReport:
        """Bring the cache up to date with the folder, then refresh autocomplete."""
        assert self.desk is not None
        report = await self.desk.ingest()
        await self.after_ingest(report)
        return report

    async def after_ingest(self, report: IngestReport) -> None:
        """Refresh autocomplete after an ingest (the watcher's, a /corpus change's) that
        changed the store: one that analysed and removed nothing (a warm restart) leaves
        the snapshot as it is (at 10,000 articles a refresh takes seconds)."""
        assert self.desk is not None
        if report.analysed or report.removed:
            await self.choices.refresh(self.desk)

    def loading_note(self) -> str | None:
        """What every answer says while the corpus is not fully indexed yet."""
        if not self.corpus_ready.is_set():
            return "The corpus is still loading: answers cover what is indexed so far."
        if self.desk is not None and self.desk.ingesting:
            return "The corpus is being updated: answers may change in a moment."
        return None

    async def sync_commands(self, guild_id: int | None = None) -> list[app_commands.AppCommand]:
        """Publish the commands: to one guild (instant; a copy of the global ones) or globally."""
        if guild_id is None:
            return await self.tree.sync()
        guild = discord.Object(guild_id)
        self.tree.copy_global_to(guild=guild)
        return await self.tree.sync(guild=guild)

    async def on_ready(self) -> None:
        log.info(
            "logged in as %s (%s) in %d server(s)",
            self.user,
            self.user and self.user.id,
            len(self.guilds),
        )

    # -- shutdown -----------------------------------------------------------------------

    async def close(self) -> None:
        """Stop watching, stop the ingest (each article is saved atomically), close up."""
        if not self._closing:
            self._closing = True
            if self._watcher is not None:
                await self._watcher.stop()
            for task in (self._startup, self._warm):
                if task is not None and not task.done():
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await task
        await super().close()
        if self._owns_desk and self.desk is not None:
            desk, self.desk = self.desk, None
            await desk.close()


# -- running it ------------------------------------------------------------------------


def setup_logging(token: str, level: int = logging.INFO) -> None:
    """discord.py's coloured handler on the root logger (once), with the token redacted."""
    root = logging.getLogger()
    if not any(getattr(h, "_newsdesk", False) for h in root.handlers):
        for handler in [h for h in root.handlers if type(h) is logging.StreamHandler]:
            root.removeHandler(handler)  # the CLI's basicConfig one: no line printed twice
        discord.utils.setup_logging(level=level, root=True)
        root.handlers[-1]._newsdesk = True  # type: ignore[attr-defined]
    root.setLevel(level)
    for handler in root.handlers:
        handler.filters = [f for f in handler.filters if not isinstance(f, RedactSecret)]
        handler.addFilter(RedactSecret(token))


def _token(settings: Settings) -> str:
    return settings.discord_token.get_secret_value().strip() if settings.discord_token else ""


async def run_bot(
    settings: Settings,
    desk: Newsdesk | None = None,
    *,
    sync: bool = False,
    sync_guild: int | None = None,
    log_level: int = logging.INFO,
    retry: ConnectRetry | None = None,
) -> int:
    """`python -m bot run`: connect until SIGINT/SIGTERM, then shut down cleanly."""
    token = _token(settings)
    if not token:
        print(NO_TOKEN_HELP, file=sys.stderr)
        return 2
    setup_logging(token, log_level)
    bot = NewsdeskBot(settings, desk=desk, sync_on_start=sync, sync_guild=sync_guild)
    loop = asyncio.get_running_loop()
    stopping: list[asyncio.Task[None]] = []
    login: asyncio.Future[None] | None = None

    def stop(sig: signal.Signals) -> None:
        log.info("%s received: shutting down", sig.name)
        if login is not None:
            login.cancel()  # still retrying to reach Discord: stop waiting
        stopping.append(asyncio.create_task(bot.close()))

    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop, sig)
            installed.append(sig)
    policy = retry or ConnectRetry(settings.discord_connect_attempts)
    try:
        async with bot:
            login = asyncio.ensure_future(login_with_retry(bot, token, policy))
            try:
                await login
            except asyncio.CancelledError:
                if not stopping:
                    raise
                return 0
            login = None
            await bot.connect(reconnect=True)
    except DiscordUnreachable as exc:
        print(f"can't reach Discord ({exc}); giving up", file=sys.stderr)
        return 1
    except discord.LoginFailure:
        log.error("Discord refused the token: check DISCORD_TOKEN (see docs/discord.md)")
        return 1
    except discord.PrivilegedIntentsRequired:  # pragma: no cover - we ask for none
        log.error("Discord says the bot needs privileged intents it was not granted")
        return 1
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
        if stopping:
            await asyncio.gather(*stopping, return_exceptions=True)
    return 0


async def sync_only(settings: Settings, desk: Newsdesk, guild_id: int | None) -> int:
    """`python -m bot sync`: log in over REST, publish the commands, leave."""
    token = _token(settings)
    if not token:
        print(NO_TOKEN_HELP, file=sys.stderr)
        return 2
    setup_logging(token, logging.WARNING)
    bot = NewsdeskBot(settings, desk=desk, background=False)
    async with bot:
        try:
            await bot.login(token)
        except discord.LoginFailure:
            print("Discord refused the token: check DISCORD_TOKEN.", file=sys.stderr)
            return 1
        synced = await bot.sync_commands(guild_id)
    where = f"to guild {guild_id} (instant)" if guild_id else "globally (may take a while)"
    print(f"synced {len(synced)} command(s) {where}: " + ", ".join(sorted(c.name for c in synced)))
    return 0
