"""A throwaway PostgreSQL server for the tests: Debian's server binaries, a temp data
directory, a Unix socket only (no TCP port), fsync off. As root, initdb refuses to run,
so the server runs as the `postgres` user, which owns the directory."""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def server_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise RuntimeError(
        "PostgreSQL's server binaries are missing: apt-get install -y postgresql "
        "(make install does it)"
    )


class PgServer:
    def __init__(self) -> None:
        self.bin = server_bin()
        # /tmp: short enough for a socket path, and traversable by the postgres user.
        tmp = "/tmp" if os.path.isdir("/tmp") else None
        self.root = Path(tempfile.mkdtemp(prefix="newsdesk-pg-", dir=tmp))
        self.data = self.root / "data"
        self.socket = self.root
        self.user = "postgres" if os.geteuid() == 0 else None
        self._names = itertools.count()

    def _run(self, *args: str) -> None:
        cmd = [str(a) for a in args]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def start(self) -> PgServer:
        if self.user:
            shutil.chown(self.root, self.user)
        self._run(
            self.bin / "initdb",
            "-D",
            self.data,
            "-U",
            "newsdesk",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        opts = f"-k {self.socket} -c listen_addresses='' -F -c max_connections=200"
        self._run(
            self.bin / "pg_ctl", "-D", self.data, "-o", opts, "-w", "-l", self.root / "log", "start"
        )
        return self

    def stop(self) -> None:
        try:
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://newsdesk@/{database}?host={self.socket}"

    async def fresh_database(self) -> str:
        """A new empty database's URL: each test gets its own."""
        import asyncpg

        name = f"t{os.getpid()}_{next(self._names)}"
        conn = await asyncpg.connect(self.url())
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        return self.url(name)

    async def drop_database(self, url: str) -> None:
        """Drop a database `fresh_database` made (its connections are closed by force)."""
        import asyncpg

        name = url.rsplit("/", 1)[1].split("?", 1)[0]
        conn = await asyncpg.connect(self.url())
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()
