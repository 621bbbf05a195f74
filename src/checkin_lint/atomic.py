"""Atomic file writes: a reader sees the old content or the new one, never a half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: str | Path, data: bytes, *, durable: bool = True, keep_mode: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory and a rename.

    ``durable`` flushes the data to disk before the rename (for the user's files; a cache
    entry can skip it, since a lost entry is only a miss). With ``keep_mode`` the new file gets
    the permission bits of the file it replaces. The temporary file is removed if anything
    fails, leaving ``path`` as it was.
    """
    target = Path(path)
    mode = None
    if keep_mode:
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = None
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
