"""Loading transformers models without ever hanging on an unreachable hub.

A model setting is either a local folder or a Hugging Face id. Ids are looked up in the
local cache first; the hub is only asked when it is allowed (HF_HUB_OFFLINE unset) and a
quick TCP probe shows it answers — otherwise transformers retries for most of a minute
before failing. Every failure becomes one `ModelUnavailable`.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlparse

from bot.nlp.model_errors import ModelUnavailable

T = TypeVar("T")

_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")
_TRUE = {"1", "true", "yes", "on"}


def hub_offline() -> bool:
    """True when the environment forbids the hub (HF_HUB_OFFLINE / TRANSFORMERS_OFFLINE)."""
    return any(
        os.environ.get(var, "").strip().lower() in _TRUE
        for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    )


def hub_reachable(timeout: float = 3.0) -> bool:
    """A TCP connect to the hub's endpoint, bounded by `timeout` seconds."""
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
    parsed = urlparse(endpoint)
    host = parsed.hostname or "huggingface.co"
    port = parsed.port or (443 if parsed.scheme != "http" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def looks_like_path(source: str) -> bool:
    """A value meant as a folder (absolute, relative with ./ or ~, or not a valid hub id)."""
    if source.startswith(("/", "./", "../", "~", ".\\")) or "\\" in source:
        return True
    return not _HUB_ID.match(source)


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def load_pretrained(
    factory: Callable[..., T],
    source: str,
    *,
    setting: str,
    hint: str | None = None,
    **kwargs: object,
) -> T:
    """Call `factory(source, **kwargs)` (a `from_pretrained`), failing fast and clearly."""
    path = Path(source).expanduser()
    if path.is_dir():
        try:
            return factory(str(path), local_files_only=True, **kwargs)
        except Exception as error:
            raise ModelUnavailable(setting, source, _first_line(error), hint) from error
    if looks_like_path(source):
        raise ModelUnavailable(setting, source, f"no such folder {source}", hint)

    try:  # the local Hugging Face cache never touches the network
        return factory(source, local_files_only=True, **kwargs)
    except Exception as cached_error:
        if hub_offline():
            raise ModelUnavailable(
                setting,
                source,
                "not in the local Hugging Face cache and HF_HUB_OFFLINE is set",
                hint,
            ) from cached_error
    if not hub_reachable():
        raise ModelUnavailable(
            setting, source, "not in the local Hugging Face cache and the hub is unreachable", hint
        )
    try:
        return factory(source, **kwargs)
    except Exception as error:
        raise ModelUnavailable(setting, source, _first_line(error), hint) from error
