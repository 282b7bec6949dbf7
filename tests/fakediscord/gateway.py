"""The fake gateway: HELLO, IDENTIFY→READY+GUILD_CREATE, heartbeats, RESUME, dispatch."""

from __future__ import annotations

import asyncio
import json
import secrets
import zlib
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .payloads import World

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE_UPDATE, VOICE_STATE = 0, 1, 2, 3, 4
RESUME, RECONNECT, REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 6, 7, 8, 9, 10, 11
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content


class Encoder:
    """Frames a payload as text, or with Discord's zlib-stream transport compression."""

    def __init__(self, compress: str | None) -> None:
        if compress not in (None, "zlib-stream"):
            raise ValueError(f"unsupported compress={compress!r}")
        self._zlib = zlib.compressobj() if compress == "zlib-stream" else None

    def encode(self, payload: dict[str, Any]) -> str | bytes:
        text = json.dumps(payload, separators=(",", ":"))
        if self._zlib is None:
            return text
        # One shared stream per connection; every message ends with Z_SYNC_FLUSH's 00 00 ff ff.
        return self._zlib.compress(text.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH)


@dataclass
class Connection:
    """One websocket: its encoder and a lock keeping sequence numbers in send order."""

    ws: web.WebSocketResponse
    encoder: Encoder
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def send(self, payload: dict[str, Any]) -> None:
        frame = self.encoder.encode(payload)
        if isinstance(frame, bytes):
            await self.ws.send_bytes(frame)
        else:
            await self.ws.send_str(frame)


@dataclass
class Session:
    """A gateway session: survives reconnects, buffers events for RESUME."""

    session_id: str
    identify: dict[str, Any]
    seq: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    conn: Connection | None = None

    @property
    def shard(self) -> list[int] | None:
        return self.identify.get("shard")

    async def dispatch(self, event: str, data: Any) -> int:
        """Number the event, keep it for RESUME and send it if connected."""
        conn = self.conn
        if conn is None:
            self.seq += 1
            self.sent.append({"op": DISPATCH, "t": event, "s": self.seq, "d": data})
            return self.seq
        async with conn.lock:
            self.seq += 1
            frame = {"op": DISPATCH, "t": event, "s": self.seq, "d": data}
            self.sent.append(frame)
            if not conn.ws.closed:
                await conn.send(frame)
            return self.seq


@dataclass
class Gateway:
    """Gateway state shared by all connections, plus what the bot sent."""

    world: World
    resume_url: str = ""
    heartbeat_interval_ms: int = 41_250
    token: str | None = None
    allow_privileged_intents: bool = True
    sessions: dict[str, Session] = field(default_factory=dict)
    current: Session | None = None
    received: list[dict[str, Any]] = field(default_factory=list)  # every frame from the bot
    connections: list[Connection] = field(default_factory=list)
    close_codes: list[int] = field(default_factory=list)  # codes the fake closed with
    queries: list[dict[str, str]] = field(default_factory=list)  # each connect's query string
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    resumed: asyncio.Event = field(default_factory=asyncio.Event)

    def count(self, op: int) -> int:
        """How many frames with this opcode the bot sent."""
        return sum(1 for frame in self.received if frame.get("op") == op)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """The websocket endpoint (``/?v=10&encoding=json[&compress=zlib-stream]``)."""
        ws = web.WebSocketResponse(autoclose=True, max_msg_size=0)
        await ws.prepare(request)
        query = request.query
        self.queries.append(dict(query))
        try:
            encoder = Encoder(query.get("compress"))
        except ValueError:
            return await self._close(ws, 4000, "unsupported compression")
        conn = Connection(ws, encoder)
        if query.get("v") != "10":
            return await self._close(ws, 4012, "Invalid API version")
        if query.get("encoding", "json") != "json":
            return await self._close(ws, 4002, "Only encoding=json is faked")
        self.connections.append(conn)
        try:
            await self._serve(conn)
        finally:
            self.connections.remove(conn)
            for session in self.sessions.values():
                if session.conn is conn:
                    session.conn = None
        return ws

    async def _close(self, ws: web.WebSocketResponse, code: int, reason: str) -> web.StreamResponse:
        self.close_codes.append(code)
        await ws.close(code=code, message=reason.encode())
        return ws

    async def _serve(self, conn: Connection) -> None:
        interval = self.heartbeat_interval_ms
        await conn.send({"op": HELLO, "d": {"heartbeat_interval": interval}, "s": None, "t": None})
        session: Session | None = None
        # Discord drops a connection that stops heartbeating; so does the fake (bounded reads).
        idle_limit = interval / 1000 * 2 + 5
        while not conn.ws.closed:
            try:
                msg = await conn.ws.receive(timeout=idle_limit)
            except TimeoutError:
                await self._close(conn.ws, 4009, "Session timed out")
                return
            if msg.type != WSMsgType.TEXT:
                return
            frame = json.loads(msg.data)
            self.received.append(frame)
            op, data = frame.get("op"), frame.get("d")
            if op == HEARTBEAT:
                async with conn.lock:
                    await conn.send({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
            elif op == IDENTIFY:
                session = await self._identify(conn, data or {}, session)
            elif op == RESUME:
                session = await self._resume(conn, data or {}, session)
            elif session is None:
                await self._close(conn.ws, 4003, "Not authenticated")
            elif op == REQUEST_MEMBERS:
                await self._members_chunk(session, data or {})
            elif op not in (PRESENCE_UPDATE, VOICE_STATE):
                await self._close(conn.ws, 4001, f"Unknown opcode {op}")

    async def _identify(
        self, conn: Connection, data: dict[str, Any], old: Session | None
    ) -> Session | None:
        if old is not None:
            await self._close(conn.ws, 4005, "Already authenticated")
            return old
        if self.token is not None and data.get("token") != self.token:
            await self._close(conn.ws, 4004, "Authentication failed")
            return None
        intents = data.get("intents")
        if not isinstance(intents, int):
            await self._close(conn.ws, 4013, "Invalid intent(s)")
            return None
        if intents & PRIVILEGED_INTENTS and not self.allow_privileged_intents:
            await self._close(conn.ws, 4014, "Disallowed intent(s)")
            return None
        session = Session(session_id=secrets.token_hex(16), identify=data, conn=conn)
        self.sessions[session.session_id] = session
        self.current = session
        await session.dispatch(
            "READY", self.world.ready(session.session_id, self.resume_url, session.shard)
        )
        await session.dispatch("GUILD_CREATE", self.world.guild())
        self.ready.set()
        return session

    async def _resume(
        self, conn: Connection, data: dict[str, Any], old: Session | None
    ) -> Session | None:
        session = self.sessions.get(str(data.get("session_id")))
        token_ok = self.token is None or data.get("token") == self.token
        if old is not None or session is None or not token_ok:
            async with conn.lock:
                await conn.send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return old
        last = int(data.get("seq") or 0)
        async with conn.lock:
            session.conn = conn  # later dispatches queue on the lock behind the replay
            for frame in session.sent:
                if frame["s"] > last:
                    await conn.send(frame)
        await session.dispatch("RESUMED", {"_trace": ['["fake-gateway",{"micros":0}]']})
        self.resumed.set()
        return session

    async def _members_chunk(self, session: Session, data: dict[str, Any]) -> None:
        members = self.world.guild()["members"]
        chunk = {
            "guild_id": self.world.guild_id,
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
            "nonce": data.get("nonce"),
        }
        await session.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    def session_for_guild(self, guild_id: str | None) -> Session:
        """The session (shard) that receives events for a guild; DMs go to shard 0."""
        live = list(self.sessions.values())
        if not live:
            raise RuntimeError("no bot has identified with the fake gateway yet")
        for session in live:
            shard = session.shard
            if shard is None:
                continue
            target = (int(guild_id) >> 22) % shard[1] if guild_id else 0
            if shard[0] == target:
                return session
        assert self.current is not None
        return self.current

    async def reconnect(self) -> None:
        """Send op 7 RECONNECT on the current session: the bot must RESUME."""
        session = self.current
        if session is None or session.conn is None:
            raise RuntimeError("no connected session to reconnect")
        self.resumed.clear()
        async with session.conn.lock:
            await session.conn.send({"op": RECONNECT, "d": None, "s": None, "t": None})

    async def close_all(self) -> None:
        """Close every websocket (server shutdown)."""
        for conn in list(self.connections):
            await conn.ws.close(code=1001, message=b"fake shutting down")
