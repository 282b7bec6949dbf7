"""The feature commands as every front end shows them: names, options, descriptions, choices.

The Discord cogs declare their slash commands from these (`cogs.utils.base.slash`) and the
console parses, completes and explains what is typed from the same objects, so the two never
disagree and the console needs no cog (nor discord.py) to know its commands.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.nlp.summary_types import LENGTHS


@dataclass(frozen=True, slots=True)
class Choice:
    label: str  # what a user sees
    value: str  # what the command receives


@dataclass(frozen=True, slots=True)
class Option:
    name: str
    description: str
    required: bool = False
    choices: tuple[Choice, ...] = ()
    complete: str | None = None  # autocomplete list: "article" | "speaker" | "entity"

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    description: str
    options: tuple[Option, ...] = ()

    def usage(self) -> str:
        parts = [f"/{self.name}"]
        for o in self.options:
            parts.append(f"{o.name}: …" if o.required else f"[{o.name}: …]")
        return " ".join(parts)

    def option(self, name: str) -> Option:
        return next(o for o in self.options if o.name == name)


ARTICLE = "The article: start typing its title"
SINCE = "An ISO date/time (UTC) or 6h, 2d, 1w ago (default: a day)"

COMMANDS: dict[str, Command] = {
    c.name: c
    for c in (
        Command(
            "articles",
            "List the articles in the corpus, or search their titles",
            (Option("query", "Words of a title, a file name or an id (leave empty for all)"),),
        ),
        Command(
            "article",
            "One article's card: title, site, date, link, counts and summary",
            (Option("article", ARTICLE, required=True, complete="article"),),
        ),
        Command(
            "entity",
            "A person, place or organisation: role, articles, quotes, sentences",
            (
                Option(
                    "name",
                    "The name as written in the news: full, surname or near miss",
                    required=True,
                    complete="entity",
                ),
            ),
        ),
        Command(
            "entities",
            "Who and what one article, or the whole corpus, mentions",
            (
                Option(
                    "article", "An article (leave empty for the whole corpus)", complete="article"
                ),
            ),
        ),
        Command(
            "quotes",
            "Who said what: quotes by speaker, article or words",
            (
                Option(
                    "speaker",
                    "Who said it: a full name, a surname or a near miss",
                    complete="speaker",
                ),
                Option("article", "Only quotes from this article", complete="article"),
                Option("text", "Words the quote contains"),
                Option(
                    "kind",
                    "Direct quotes, mixed quotes or reported speech",
                    choices=(
                        Choice("direct: “…,” she said", "direct"),
                        Choice("mixed: said China “understands” …", "mixed"),
                        Choice("reported: he said that …", "indirect"),
                    ),
                ),
            ),
        ),
        Command(
            "speakers",
            "Everyone quoted in the corpus, most quoted first",
            (
                Option(
                    "chart",
                    "A bar chart of the most-quoted speakers in what arrived through the feeds",
                ),
                Option("since", SINCE),
            ),
        ),
        Command("status", "What the corpus holds, the last ingest and the models"),
        Command(
            "brief",
            "What arrived through this server's feeds",
            (
                Option("since", SINCE),
                Option("feed", "Only this feed (its number in /feed list)"),
            ),
        ),
        Command(
            "summary",
            "Summarize one article",
            (
                Option("article", ARTICLE, required=True, complete="article"),
                Option(
                    "length",
                    "short (2 sentences), medium, long, or bullet points",
                    choices=tuple(Choice(v, v) for v in LENGTHS),
                ),
            ),
        ),
        Command(
            "ask",
            "Ask a question; the answer cites the sentence and article",
            (
                Option("question", "A question about the news in the corpus", required=True),
                Option("article", "Only look in this article (optional)", complete="article"),
            ),
        ),
    )
}
