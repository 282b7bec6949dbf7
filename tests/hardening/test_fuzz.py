"""Property tests: hostile input to every command, through the services (rendered as the
cogs render it) and through the CLI.

Arbitrary unicode (lone surrogates and control characters included), huge strings, FTS5
syntax and unbalanced quotes, SQL fragments and NUL bytes. No unhandled exception (a
UserError with a message is an answer), and every rendered answer within Discord's limits
(checked here independently of bot/text_limits.py and cogs/utils/limits.py). Examples are
few, derandomized and without deadline, so CI is stable and quick.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
from collections.abc import Awaitable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import discord
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support import copy_corpus

from bot import cli
from bot.autocomplete import ChoiceCache
from bot.errors import UserError
from bot.nlp.pipeline import Analyser
from bot.service import ArticleCard, Newsdesk
from bot.settings import Settings
from bot.store import Store
from cogs.utils import embeds
from cogs.utils.base import to_choices
from cogs.utils.respond import fit_embeds

pytestmark = pytest.mark.slow  # hostile input through every service and the CLI

T = TypeVar("T")

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SPECIAL = [
    "",
    " ",
    "\x00",
    "Xi\x00Jinping",
    '"',
    '""',
    '"unbalanced',
    "'",
    "*",
    "^",
    "(",
    ")",
    "NEAR(xi putin, 3)",
    "xi OR putin",
    "NOT putin",
    "AND",
    "-putin",
    "+xi",
    "text:putin",
    "{text}: putin",
    "sentences_fts MATCH 'x'",
    "'; DROP TABLE articles; --",
    "' OR '1'='1",
    "1; DELETE FROM quotes",
    "%",
    "_",
    "\\",
    "%_%",
    "Xi Jinping",
    "putin",
    "Samarkand",
    "Yau",
    "she",
    "@everyone",
    "<@1234567890>",
    "**bold** __under__ `code` ||spoiler||",
    "\u202eevil",
    "\ud800",
    "a\udfffb",
    "\u200b",
    "🦄" * 60,
    "x" * 100_000,
    "Putin " * 20_000,
    '"' * 5_000,
    "NEAR(" * 1_000,
    "\n" * 1_000,
]
WORDS = ["Xi", "Putin", "Fallon", "SCO", "summit", "said", "who", "where", "?", "China", "OR"]

any_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=300)
text_input = st.one_of(
    st.sampled_from(SPECIAL),
    any_text,
    st.lists(st.sampled_from(SPECIAL[:40] + WORDS), max_size=10).map(" ".join),
)
maybe_text = st.one_of(st.none(), text_input)
# Inputs that resolve, so the hostile ones next to them reach the queries behind.
NAMES = ["Putin", "Xi Jinping", "Zara Yilmaz", "Omar Haddad", "Niva Yau", "Yau", "analysts"]
ARTICLES = ["afghan.txt", "asylum", "Summit", "hostile.txt", "hostile.json"]
name_input = st.one_of(st.sampled_from(NAMES), text_input)
article_input = st.one_of(st.none(), st.sampled_from(ARTICLES), text_input)
any_int = st.one_of(
    st.sampled_from([0, -1, 1, 2**31, 2**63, -(2**63), 10**30]),
    st.integers(-3, 3),
    st.integers(),
)

HOSTILE_TXT = (
    "**Bold** @everyone <@123456789> `code` ||spoiler|| " + "🦄" * 150 + "\n\n"
    "“@everyone is invited to the [launch](https://example.com),” said Zara Yilmaz, the "
    "mayor of Lisbon. " + "مرحبا بالعالم " * 20 + "\n\n"
    "Zara Yilmaz said that " + "the harbour " * 400 + "would open next year.\n\n"
    "“" + "A very long quotation without an end " * 120 + ",” Omar Haddad said."
)
HOSTILE_JSON = {
    "title": "Line one\nline two **markdown** " + "é" * 400,
    "text": "Omar Haddad, director of the " + "Very " * 300 + "Long Institute, spoke. "
    "“We will see,” Haddad said. " + "Word " * 3_000,
    "url": "javascript:alert(1)",
    "site": "S" * 500,
    "author": "@here",
    "date": "\u0000yesterday",
}


@dataclass(repr=False)
class Served:
    runner: asyncio.Runner
    desk: Newsdesk
    choices: ChoiceCache
    corpus: Path
    db: Path

    def __repr__(self) -> str:
        return f"Served({self.db})"

    def run(self, call: Awaitable[T]) -> T:
        return self.runner.run(call)  # type: ignore[arg-type]


async def _open(settings: Settings, analyser: Analyser) -> tuple[Newsdesk, ChoiceCache]:
    desk = Newsdesk(settings, await Store.open(settings.database), analyser)
    report = await desk.ingest()
    assert report.new == 5, report.summary_line()
    choices = ChoiceCache()
    await choices.refresh(desk)
    return desk, choices


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, analyser: Analyser) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("fuzz")
    corpus = copy_corpus(root / "corpus", gum=["afghan.txt", "asylum.txt"])
    (corpus / "hostile.txt").write_text(HOSTILE_TXT, encoding="utf-8")
    (corpus / "hostile.json").write_text(json.dumps(HOSTILE_JSON), encoding="utf-8")
    config = Settings(_env_file=None, corpus_dir=corpus, database=root / "db.sqlite3")
    runner = asyncio.Runner()
    desk, choices = runner.run(_open(config, analyser))
    yield Served(runner, desk, choices, corpus, config.database)
    runner.run(desk.close())
    runner.close()


# -- Discord's limits, counted independently -------------------------------------------------


def units(text: str) -> int:
    """UTF-16 code units: what Discord's limits may count."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def sendable(text: str) -> str:
    text.encode("utf-8")  # a lone surrogate can't go into a JSON payload Discord accepts
    return text


def check_embed(embed: discord.Embed) -> None:
    data = embed.to_dict()
    total = 0
    for key, limit in (("title", 256), ("description", 4096)):
        value = sendable(data.get(key, ""))
        assert units(value) <= limit, (key, units(value))
        total += units(value)
    fields = data.get("fields", [])
    assert len(fields) <= 25
    for field in fields:
        assert 0 < units(sendable(field["name"])) <= 256
        assert 0 < units(sendable(field["value"])) <= 1024
        total += units(field["name"]) + units(field["value"])
    footer = sendable(data.get("footer", {}).get("text", ""))
    author = sendable(data.get("author", {}).get("name", ""))
    assert units(footer) <= 2048 and units(author) <= 256
    total += units(footer) + units(author)
    assert total <= 6000, total
    if "url" in data:
        assert data["url"].startswith(("http://", "https://")) and len(data["url"]) <= 2048


def check_pages(pages: list[discord.Embed]) -> None:
    """Each page as it goes out: one page through `send`, which fits it to the limits;
    several under page buttons, which show each page (the first too) as it was made."""
    assert len(pages) >= 1
    for page in fit_embeds(pages) if len(pages) == 1 else pages:
        check_embed(page)


def check_choices(suggestions: list[Any], count: Any = len) -> None:
    """At most 25 choices, each name and value 1–100 characters (`count` counts them)."""
    choices = to_choices(suggestions)
    assert len(choices) <= 25
    for choice in choices:
        assert 1 <= count(sendable(choice.name)) <= 100, choice.name
        assert 1 <= count(sendable(str(choice.value))) <= 100, choice.value


def answered(served: Served, call: Awaitable[T]) -> T | None:
    """The result, or None for a UserError with a message fit to send."""
    try:
        return served.run(call)
    except UserError as exc:
        message = str(exc)
        assert message.strip()
        assert units(sendable(embeds.truncate(message, 2000))) <= 2000
        return None


# -- the services ---------------------------------------------------------------------------


@FUZZ
@given(ref=st.one_of(st.sampled_from(ARTICLES), text_input))
def test_articles(served: Served, ref: str) -> None:
    rows = answered(served, served.desk.articles(ref))
    assert rows is not None
    check_pages(embeds.article_list_pages(rows, ref))
    row = answered(served, served.desk.resolve_article(ref))
    if row is not None:
        counts = served.run(served.desk.article_counts(row.id))
        top = served.run(served.desk.entities(row.id))[:10]
        check_pages([embeds.article_card(ArticleCard(row, counts, top, None))])


@FUZZ
@given(name=name_input, page=any_int)
@example(name="Putin", page=10**30)
@example(name="Putin", page=-(2**63))
def test_entity(served: Served, name: str, page: int) -> None:
    card = answered(served, served.desk.entity(name, page=page))
    if card is not None:
        check_pages(embeds.entity_pages(card))


@FUZZ
@given(article=article_input)
def test_entities(served: Served, article: str | None) -> None:
    rows = answered(served, served.desk.entities(article))
    if rows is not None:
        check_pages(embeds.entities_pages(rows, "the corpus"))


@FUZZ
@given(
    speaker=st.one_of(st.none(), name_input),
    article=article_input,
    text=st.one_of(st.none(), st.sampled_from(["Russia", "team"]), text_input),
    kind=st.one_of(st.none(), st.sampled_from(["direct", "mixed", "indirect"]), text_input),
    limit=any_int,
    offset=any_int,
)
@example(speaker=None, article=None, text=None, kind=None, limit=10**30, offset=2**63)
@example(speaker="Yau", article="Summit", text='"', kind="direct", limit=-1, offset=-1)
def test_quotes(
    served: Served,
    speaker: str | None,
    article: str | None,
    text: str | None,
    kind: str | None,
    limit: int,
    offset: int,
) -> None:
    call = served.desk.quotes(speaker, article, text, kind, limit=limit, offset=offset)
    results = answered(served, call)
    if results is not None:
        check_pages(embeds.quote_pages(results, filters=text))


def test_speakers(served: Served) -> None:
    check_pages(embeds.speaker_pages(served.run(served.desk.speakers())))


@FUZZ
@given(
    article=st.one_of(st.sampled_from(ARTICLES), text_input),
    length=st.one_of(st.sampled_from(["short", "long", "bullets"]), text_input),
)
def test_summary(served: Served, article: str, length: str) -> None:
    result = answered(served, served.desk.summary(article, length))
    if result is not None:
        check_pages([embeds.summary_embed(result.article, result)])


@settings(FUZZ, max_examples=15)
@given(question=text_input, article=article_input)
def test_ask(served: Served, question: str, article: str | None) -> None:
    answer = answered(served, served.desk.ask(question, article))
    if answer is not None:
        source = None
        if answer.article:
            source = served.run(served.desk.resolve_article(answer.article))
        check_pages([embeds.answer_embed(answer, source)])


@FUZZ
@given(current=text_input)
def test_autocomplete(served: Served, current: str) -> None:
    check_choices(served.choices.article_choices(current))
    check_choices(served.choices.speaker_choices(current))
    check_choices(served.choices.entity_choices(current))


def test_every_article_renders_within_limits(served: Served) -> None:
    """The hostile articles' own titles, quotes and summaries, whatever was typed."""
    for row in served.run(served.desk.articles(None, limit=100)):
        check_pages([embeds.summary_embed(row, served.run(served.desk.summary(row.id)))])
        counts = served.run(served.desk.article_counts(row.id))
        top = served.run(served.desk.entities(row.id))
        check_pages([embeds.article_card(ArticleCard(row, counts, top[:10], "summary"))])
        check_pages(embeds.entities_pages(top, row.title))
        quotes = served.run(served.desk.quotes(article=row.id, limit=100))
        check_pages(embeds.quote_pages(quotes, filters=row.title))
        for name, _ in served.run(served.desk.speakers()):
            card = answered(served, served.desk.entity(name))
            if card is not None:
                check_pages(embeds.entity_pages(card))
    check_choices(served.choices.article_choices(""))
    check_choices(served.choices.entity_choices(""))
    check_choices(served.choices.speaker_choices(""))


def test_choice_labels_fit_in_utf16_units(served: Served) -> None:
    check_choices(served.choices.article_choices("bold"), count=units)


# -- the CLI --------------------------------------------------------------------------------

cli_value = st.one_of(text_input, any_int.map(str))
cli_article = st.one_of(st.sampled_from(ARTICLES), text_input)
QUOTE_FLAGS = {
    "--speaker": name_input,
    "--article": cli_article,
    "--text": text_input,
    "--kind": st.sampled_from(["direct", "mixed", "indirect", "none"]),
    "--limit": cli_value,
    "--page": cli_value,
}
quote_args = st.lists(
    st.sampled_from(sorted(QUOTE_FLAGS)).flatmap(
        lambda flag: st.tuples(st.just(flag), QUOTE_FLAGS[flag]).map(list)
    ),
    max_size=3,
).map(lambda pairs: [x for pair in pairs for x in pair])
CLI_COMMANDS = st.one_of(
    st.tuples(st.just("entity"), st.lists(name_input, min_size=1, max_size=3)),
    st.tuples(st.just("entities"), st.lists(cli_article, max_size=1)),
    st.tuples(st.just("quotes"), quote_args),
    st.tuples(st.just("quotes"), st.just(["--speakers"])),
    st.tuples(st.just("summary"), st.lists(cli_article, min_size=1, max_size=2)),
    st.tuples(st.just("ask"), st.lists(text_input, min_size=1, max_size=2)),
)


@contextlib.contextmanager
def real_streams() -> Iterator[tuple[io.TextIOWrapper, io.TextIOWrapper]]:
    """stdout and stderr that encode UTF-8 strictly, as a terminal or a pipe does."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        yield out, err


@settings(FUZZ, max_examples=30)
@given(command=CLI_COMMANDS, json_flag=st.booleans(), page=st.one_of(st.none(), any_int))
@example(command=("entity", ["Putin"]), json_flag=False, page=10**20)
@example(command=("quotes", ["--limit", "100"]), json_flag=True, page=10**20)
@example(command=("summary", ["\ud800"]), json_flag=False, page=None)
def test_cli(
    served: Served,
    analyser: Analyser,
    command: tuple[str, list[str]],
    json_flag: bool,
    page: int | None,
) -> None:
    name, args = command
    argv = [name, *args, "--corpus", str(served.corpus), "--db", str(served.db)]
    if json_flag:
        argv.append("--json")
    if page is not None and name in ("entity", "quotes"):
        argv += ["--page", str(page)]
    with pytest.MonkeyPatch.context() as mp, real_streams():
        mp.setattr("bot.service.Analyser", lambda _settings: analyser)
        try:
            code = cli.main(argv)
        except SystemExit as exc:  # argparse: the arguments themselves were rejected
            code = exc.code
    assert code in (0, 1, 2), argv
