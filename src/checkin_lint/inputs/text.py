"""Plain text: the whole file is one message."""

from __future__ import annotations

from checkin_lint.document import Message, Source


def read(source: Source) -> list[Message]:
    """Read a plain-text draft as one message (an empty file yields none)."""
    if not source.text.strip():
        return []
    return [Message.whole(source)]
