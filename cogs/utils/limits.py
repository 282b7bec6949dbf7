"""Discord's message and embed limits, and the markdown helpers that keep text inside them.

The neutral part (UTF-16 length, truncation, packing, URLs) is `bot.text_limits`; this is
what only a Discord message needs: markdown escaping, links, quotation blocks and embeds.
"""

from __future__ import annotations

import discord

from bot.text_limits import clean, dlen, safe_url, truncate

CONTENT = 2000
EMBEDS = 10
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
EMBED_TOTAL = 6000


def escape(text: object) -> str:
    """Article text shown as-is: markdown neutralised (mentions never ping anyway)."""
    return discord.utils.escape_markdown(clean(text))


def link(title: object, url: object, limit: int = 300) -> str:
    """`[title](url)` when the url is usable, else the title alone (escaped, bounded)."""
    text = escape(truncate(title, limit)).replace("[", "(").replace("]", ")")
    target = safe_url(url)
    if target is None or dlen(target) > 512:  # a link must not eat the field it sits in
        return text
    return f"[{text}]({target.replace(')', '%29').replace('(', '%28')})"


def blockquote(text: object, limit: int) -> str:
    """Quotation style: every line prefixed with "> ", within `limit`."""
    body = truncate(text, max(limit - 20, 10))
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in body.split("\n"))
    return truncate(quoted, limit)


def embed_size(embed: discord.Embed) -> int:
    """What counts toward the 6,000-unit total: title, description, fields, footer, author."""
    total = dlen(embed.title or "") + dlen(embed.description or "")
    total += dlen(embed.footer.text or "") + dlen(embed.author.name or "")
    return total + sum(dlen(f.name or "") + dlen(f.value or "") for f in embed.fields)


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """The embed within every limit: each part truncated, then fields dropped from the end."""
    if embed.title:
        embed.title = truncate(embed.title, EMBED_TITLE)
    if embed.description:
        embed.description = truncate(embed.description, EMBED_DESCRIPTION)
    if embed.footer.text:
        embed.set_footer(text=truncate(embed.footer.text, FOOTER), icon_url=embed.footer.icon_url)
    if embed.author.name:
        embed.set_author(
            name=truncate(embed.author.name, AUTHOR),
            url=embed.author.url,
            icon_url=embed.author.icon_url,
        )
    fields = [
        (truncate(f.name, FIELD_NAME) or "\u200b", truncate(f.value, FIELD_VALUE) or "\u200b", f)
        for f in embed.fields[:EMBED_FIELDS]
    ]
    embed.clear_fields()
    for name, value, f in fields:
        embed.add_field(name=name, value=value, inline=bool(f.inline))
    while embed_size(embed) > EMBED_TOTAL and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    overflow = embed_size(embed) - EMBED_TOTAL
    if overflow > 0 and embed.description:
        keep = max(dlen(embed.description) - overflow, 1)
        embed.description = truncate(embed.description, keep)
    return embed


def content(text: object) -> str:
    """A message's plain content within 2,000 units."""
    return truncate(text, CONTENT)
