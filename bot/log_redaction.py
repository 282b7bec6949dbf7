"""A logging filter that keeps a secret (the Discord token) out of every log line.

Redacting `record.getMessage()` alone misses the token inside an exception's text or a
traceback's frames, which handlers format later. So the filter formats the whole record
first (message, traceback, stack), redacts that, and leaves the record holding only the
redacted text: no handler or formatter (discord.py's coloured one formats `exc_info`
itself) can render the original exception again.
"""

from __future__ import annotations

import logging

MASK = "[token]"


class RedactSecret(logging.Filter):
    def __init__(self, secret: str, mask: str = MASK) -> None:
        super().__init__()
        self._secret = secret
        self._mask = mask

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secret:
            return True
        parts = [record.getMessage()]
        if record.exc_info:
            parts.append(record.exc_text or logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            parts.append(record.exc_text)
        if record.stack_info:
            parts.append(record.stack_info)
        if not any(self._secret in part for part in parts):
            return True
        record.msg = "\n".join(parts).replace(self._secret, self._mask)
        record.args = ()
        record.exc_info = record.exc_text = record.stack_info = None
        return True
