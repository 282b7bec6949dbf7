"""Per-server corpora: which articles a request may see.

Articles under `servers/<guild id>/` in the corpus folder (a server's feeds and its
admins' adds) belong to that server; every other article is shared. A request made in a
server sees the shared articles plus that server's own; in a DM, the shared ones only.
The Discord command tree sets the viewer for each interaction (a ContextVar, so each
interaction's task has its own); the CLI, the console and ingests leave it unset and see
everything. Store queries that list or search articles apply `article_filter`.
"""

from __future__ import annotations

import re
from contextvars import ContextVar, Token
from typing import Any

SERVER_FOLDER = "servers"
_EVERYTHING: Any = object()
_viewer: ContextVar[Any] = ContextVar("newsdesk_viewer", default=_EVERYTHING)
_OWNED = re.compile(rf"^{SERVER_FOLDER}/(\d+)/")

# The owner as SQL, for the articles table's generated column (migration 10).
OWNER_SQL = (
    f"CASE WHEN source GLOB '{SERVER_FOLDER}/[0-9]*/*' THEN CAST(substr(source, "
    f"{len(SERVER_FOLDER) + 2}, instr(substr(source, {len(SERVER_FOLDER) + 2}), '/') - 1) "
    "AS INTEGER) END"
)


def owner_of(source: str) -> int | None:
    """The server an article belongs to (by its path in the corpus), None when shared."""
    match = _OWNED.match(source)
    return int(match.group(1)) if match else None


def server_folder(guild_id: int) -> str:
    return f"{SERVER_FOLDER}/{int(guild_id)}"


def view_as(guild_id: int | None) -> Token[Any]:
    """From now on in this task: what server `guild_id` (None: a DM) may see."""
    return _viewer.set(guild_id)


def view_everything() -> Token[Any]:
    return _viewer.set(_EVERYTHING)


def reset(token: Token[Any]) -> None:
    _viewer.reset(token)


def scoped() -> bool:
    return _viewer.get() is not _EVERYTHING


def visible(source: str) -> bool:
    viewer = _viewer.get()
    if viewer is _EVERYTHING:
        return True
    owner = owner_of(source)
    return owner is None or owner == viewer


def owner_visible(owner: int | None) -> bool:
    """Whether the viewer may see what server `owner` owns (None: the shared corpus)."""
    viewer = _viewer.get()
    return viewer is _EVERYTHING or owner is None or owner == viewer


def article_filter(column: str) -> tuple[str, list[Any]]:
    """A WHERE condition keeping rows whose `column` (an article id) the viewer may see;
    ("", []) when everything is visible."""
    viewer = _viewer.get()
    if viewer is _EVERYTHING:
        return "", []
    if viewer is None:
        return f"{column} IN (SELECT id FROM articles WHERE guild_id IS NULL)", []
    return (
        f"{column} IN (SELECT id FROM articles WHERE guild_id IS NULL OR guild_id = ?)",
        [viewer],
    )
